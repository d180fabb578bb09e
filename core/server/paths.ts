/**
 * K3s's on-disk layout: where a server keeps its data, database and kubeconfig.
 *
 * @module
 */
import { homedir } from "node:os";
import { join } from "node:path";
import process from "node:process";

/** Whether this process runs as root (K3s's defaults differ for rootless users). */
export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * `--data-dir`'s default: `/var/lib/rancher/k3s` as root, `~/.rancher/k3s` otherwise.
 *
 * @example
 * ```ts
 * defaultDataDir(); // "/var/lib/rancher/k3s" when root
 * ```
 */
export function defaultDataDir(): string {
  return isRoot() ? "/var/lib/rancher/k3s" : join(homedir(), ".rancher", "k3s");
}

/**
 * The embedded SQLite database of a server: `<data-dir>/server/db/state.db`.
 *
 * @example
 * ```ts
 * sqlitePath("/var/lib/rancher/k3s"); // "/var/lib/rancher/k3s/server/db/state.db"
 * ```
 */
export function sqlitePath(dataDir: string): string {
  return join(dataDir, "server", "db", "state.db");
}
