/**
 * The load balancer's state file, K3s's `<data-dir>/agent/etc/<service>.json`: the `--server` URL and the server
 * addresses last learned, so an agent that restarts while its `--server` is down still reaches the other servers.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../../core/pki/mod.ts";

/** The file's content, with K3s's field names. */
export interface LoadBalancerConfig {
  ServerURL: string;
  ServerAddresses: string[];
}

/**
 * Where a balancer's state lives under the agent's data dir.
 *
 * @example
 * ```ts
 * configPath("/var/lib/rancher/k3s/agent", "k3s-agent-load-balancer");
 * // "/var/lib/rancher/k3s/agent/etc/k3s-agent-load-balancer.json"
 * ```
 */
export function configPath(agentDir: string, serviceName: string): string {
  return join(agentDir, "etc", `${serviceName}.json`);
}

/**
 * The saved state, or undefined when there is none or it cannot be read.
 *
 * @example
 * ```ts
 * const saved = await readConfig(configPath(agentDir, "k3s-agent-load-balancer"));
 * ```
 */
export async function readConfig(path: string): Promise<LoadBalancerConfig | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, "utf8")) as Partial<LoadBalancerConfig>;
    if (typeof parsed.ServerURL !== "string" || !Array.isArray(parsed.ServerAddresses)) return undefined;
    return { ServerURL: parsed.ServerURL, ServerAddresses: parsed.ServerAddresses.map(String) };
  } catch {
    return undefined;
  }
}

/**
 * Save the state (indented JSON, as K3s writes it).
 *
 * @example
 * ```ts
 * await writeConfig(path, { ServerURL: "https://10.0.0.1:6443", ServerAddresses: ["10.0.0.1:6443"] });
 * ```
 */
export async function writeConfig(path: string, config: LoadBalancerConfig): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(config, null, 2), 0o600, 0o700);
}
