/**
 * A containerd left running by an agent that died without stopping it holds the metadata database's
 * lock, so a new one would hang at start. The supervisor records its child's PID and, on the next start,
 * stops the process named there if it is still a containerd using the same config.
 *
 * @module
 */
import { readFileSync, rmSync } from "node:fs";
import process from "node:process";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/**
 * Stop the containerd recorded in `pidFile` when its command line names `configPath` (a recycled PID
 * belongs to someone else and is left alone): SIGTERM, then SIGKILL after `timeoutMs`. Removes the file.
 *
 * @example
 * ```ts
 * await stopLeftover("/run/k3s/containerd/containerd.pid", "/var/lib/rancher/k3s/agent/etc/containerd/config.toml", console.log);
 * ```
 */
export async function stopLeftover(
  pidFile: string,
  configPath: string,
  log: (line: string) => void,
  timeoutMs = 10_000,
): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, "utf8").trim());
  } catch {
    return;
  }
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0) return;
  let argv: string[];
  try {
    argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return;
  }
  if (!argv[0]?.endsWith("containerd") || !argv.includes(configPath)) return;
  log(`Stopping containerd left running by an earlier agent (pid ${pid})`);
  process.kill(pid, "SIGTERM");
  if (await gone(pid, timeoutMs)) return;
  process.kill(pid, "SIGKILL");
  await gone(pid, timeoutMs);
}
