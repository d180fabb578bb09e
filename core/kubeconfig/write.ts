/**
 * Where `k3s server` puts the admin kubeconfig and how it writes it (`--write-kubeconfig`,
 * `--write-kubeconfig-mode`).
 *
 * @module
 */
import { homedir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../pki/atomic_write.ts";
import { isRoot } from "../server/paths.ts";

/** K3s's kubeconfig mode when `--write-kubeconfig-mode` is not given: readable by its owner only. */
export const DEFAULT_KUBECONFIG_MODE = 0o600;

/**
 * Where K3s writes the admin kubeconfig by default: `/etc/rancher/k3s/k3s.yaml` as root,
 * `~/.kube/k3s.yaml` for a rootless user.
 *
 * @example
 * ```ts
 * defaultKubeconfigPath(); // "/etc/rancher/k3s/k3s.yaml" when root
 * ```
 */
export function defaultKubeconfigPath(): string {
  return isRoot() ? "/etc/rancher/k3s/k3s.yaml" : join(homedir(), ".kube", "k3s.yaml");
}

/**
 * A file mode from `--write-kubeconfig-mode`: octal text as K3s parses it ("0644", "644"), or a number.
 * Throws a message naming the expected form otherwise.
 *
 * @example
 * ```ts
 * parseFileMode("0644"); // 0o644
 * ```
 */
export function parseFileMode(mode: string | number): number {
  if (typeof mode === "number") {
    if (Number.isInteger(mode) && mode >= 0 && mode <= 0o7777) return mode;
  } else if (/^[0-7]{1,4}$/.test(mode.trim())) {
    return parseInt(mode.trim(), 8);
  }
  throw new Error(`invalid file mode ${JSON.stringify(mode)}: expected octal permissions such as "0644" or "600"`);
}

/**
 * Write a kubeconfig atomically, creating its directory, with `mode` applied regardless of the umask.
 *
 * @example
 * ```ts
 * await writeKubeconfig(defaultKubeconfigPath(), renderKubeconfig({ server, caPem, certPem, keyPem }), "0644");
 * ```
 */
export async function writeKubeconfig(
  path: string,
  text: string,
  mode: string | number = DEFAULT_KUBECONFIG_MODE,
): Promise<void> {
  await writeFileAtomic(path, text, parseFileMode(mode));
}
