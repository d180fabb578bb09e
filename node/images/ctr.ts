/**
 * Importing an image tarball into containerd with `ctr images import`, the importer that ships with
 * Debian's containerd package. K3s calls the same code (containerd's `client.Import`) in process; from
 * TypeScript that would mean re-implementing the OCI-layout and docker-archive readers, content-store
 * writes under a lease, image records and the snapshot unpacking that CRI needs, so the agent runs the
 * real importer instead and reads the images it reports.
 *
 * @module
 */
import { spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { lookPath } from "../../core/cli/lookpath.ts";

/** The containerd namespace CRI keeps its images in. */
export const CRI_NAMESPACE = "k8s.io";

/**
 * The `ctr` executable; throws naming the package when it is missing.
 *
 * @example
 * ```ts
 * findCtr(); // "/usr/bin/ctr"
 * ```
 */
export function findCtr(path?: string): string {
  const found = lookPath("ctr", { path });
  if (!found) {
    throw new Error("ctr not found on PATH: it comes with Debian's containerd package (apt-get install containerd)");
  }
  return found;
}

/** What {@linkcode ctrImport} needs. */
export interface CtrImportOptions {
  /** The ctr executable. */
  ctr: string;
  /** containerd's socket. */
  address: string;
  /** The uncompressed tarball (OCI image layout or docker-archive). */
  tar: Readable;
  /** Called as each image is imported and unpacked. */
  onImage?(name: string): void;
}

/** ctr's line for each imported image: `unpacking docker.io/library/busybox:1.36 (sha256:…)...done`. */
const UNPACKED = /^unpacking (\S+) \(sha256:[0-9a-f]{64}\)\.\.\.done$/;

/**
 * Import a tarball into CRI's namespace, unpacked for this machine's platform; resolves to the names of
 * the images it held, rejects with ctr's own message.
 *
 * @example
 * ```ts
 * const names = await ctrImport({ ctr: findCtr(), address: "/run/k3s/containerd/containerd.sock", tar: createReadStream("busybox.tar") });
 * // ["docker.io/library/busybox:1.36"]
 * ```
 */
export function ctrImport(options: CtrImportOptions): Promise<string[]> {
  const args = ["--address", options.address, "--namespace", CRI_NAMESPACE, "images", "import", "-"];
  const child = spawn(options.ctr, args, { stdio: ["pipe", "pipe", "pipe"] });
  const names: string[] = [];
  let stderr = "";
  let pending = "";
  let readError: Error | undefined;
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      const name = UNPACKED.exec(line.trim())?.[1];
      if (!name) continue;
      names.push(name);
      options.onImage?.(name);
    }
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => stderr += chunk);
  // ctr closing its input early (a bad archive) surfaces as its exit status and message.
  child.stdin!.on("error", () => {});
  options.tar.on("error", (error) => {
    readError = error;
    child.kill();
  });
  options.tar.pipe(child.stdin!);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      if (readError) reject(readError);
      else if (code === 0) resolve(names);
      else reject(new Error(stderr.trim().replace(/^ctr: /, "") || `ctr exited with ${signal ?? `code ${code}`}`));
    });
  });
}
