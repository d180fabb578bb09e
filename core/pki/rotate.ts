/**
 * `k3s certificate rotate`: back up `server/tls` to `server/tls-<unix seconds>` (agent files included), leave
 * `tls/dynamic-cert-regenerate` for the front door's certificate, and delete the selected services' files so
 * the next start issues new keys and certificates (K3s `pkg/cli/cert.rotate`).
 *
 * @module
 */
import { copyFile, cp, mkdir, rm, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { DYNAMIC_CERT_REGENERATE_FILE } from "./dynamic_listener.ts";
import { tlsDir } from "./server.ts";
import { filesForServices } from "./services.ts";

/** What a rotation did, for the CLI's lines. */
export interface RotationResult {
  /** The backup directory. */
  backup: string;
  /** The services whose files were removed, in order. */
  services: string[];
  /** Whether the dynamic listener certificate will be regenerated. */
  dynamicListener: boolean;
}

/**
 * Back up and delete the files of `services` under `dataDir`.
 *
 * @example
 * ```ts
 * const { backup } = await rotateCertificates("/var/lib/rancher/k3s", ["admin", "k3s-server"]);
 * // backup: "/var/lib/rancher/k3s/server/tls-1764300000"
 * ```
 */
export async function rotateCertificates(
  dataDir: string,
  services: readonly string[],
  now: Date = new Date(),
): Promise<RotationResult> {
  const files = filesForServices(dataDir, services);
  const name = `tls-${Math.floor(now.getTime() / 1000)}`;
  const tls = tlsDir(dataDir);
  const agent = join(dataDir, "agent");
  let backup = join(agent, name);
  if (await exists(tls)) {
    backup = join(dataDir, "server", name);
    await cp(tls, backup, { recursive: true, preserveTimestamps: true });
  }
  await mkdir(backup, { recursive: true, mode: 0o700 });
  for (const paths of files.values()) {
    for (const path of paths) {
      if (path.startsWith(agent + "/") && await exists(path)) await copyFile(path, join(backup, basename(path)));
    }
  }
  const dynamicListener = services.includes("k3s-server");
  if (dynamicListener) await writeFile(join(tls, DYNAMIC_CERT_REGENERATE_FILE), "", { mode: 0o600 });
  for (const paths of files.values()) for (const path of paths) await rm(path, { force: true });
  return { backup, services: [...files.keys()], dynamicListener };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
