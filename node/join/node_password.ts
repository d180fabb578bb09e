/**
 * The agent's node password (K3s's `ensureNodePassword`): 16 random bytes in hex, created once in
 * `/etc/rancher/node/password` (mode 0600) and sent with every kubelet certificate request, so the server can tell
 * this machine from another one claiming the same node name.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** Where K3s keeps the node password (outside the data dir, so a wiped data dir keeps the node's identity). */
export const NODE_PASSWORD_FILE = "/etc/rancher/node/password";

/**
 * The node password in `path`, created there when absent.
 *
 * @example
 * ```ts
 * const password = await ensureNodePasswordFile(NODE_PASSWORD_FILE); // "3f2a…" (32 hex characters)
 * ```
 */
export async function ensureNodePasswordFile(path: string): Promise<string> {
  try {
    return (await readFile(path, "utf8")).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const password = randomBytes(16).toString("hex");
  await mkdir(dirname(path), { recursive: true, mode: 0o755 });
  // "wx": two agents starting at once must not each write a different password.
  await writeFile(path, password + "\n", { mode: 0o600, flag: "wx" }).catch((error) => {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  });
  return (await readFile(path, "utf8")).trim();
}
