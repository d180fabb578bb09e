/**
 * The files K3s imports from its images directory, by name: image tarballs (`.tar`, or compressed as
 * `.tar.gz`/`.tgz`, `.tar.zst`/`.tzst`, `.tar.bz2`/`.tbz`, `.tar.lz4`; OCI layout or docker-archive
 * inside) and `.txt` lists of images to pull. A compressed tarball is decompressed on the fly: gzip in
 * process, the others through their command-line tools (the `zstd`, `bzip2` and `lz4` packages).
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createReadStream, type ReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { lookPath } from "../../core/cli/lookpath.ts";

/** How a tarball is compressed. */
export type Compression = "none" | "gzip" | "zstd" | "bzip2" | "lz4";

/** What a file in the images directory is. */
export type ImageFileKind = { kind: "archive"; compression: Compression } | { kind: "list" };

const SUFFIXES: [string, ImageFileKind][] = [
  [".tar", { kind: "archive", compression: "none" }],
  [".tar.gz", { kind: "archive", compression: "gzip" }],
  [".tgz", { kind: "archive", compression: "gzip" }],
  [".tar.zst", { kind: "archive", compression: "zstd" }],
  [".tzst", { kind: "archive", compression: "zstd" }],
  [".tar.bz2", { kind: "archive", compression: "bzip2" }],
  [".tbz", { kind: "archive", compression: "bzip2" }],
  [".tar.lz4", { kind: "archive", compression: "lz4" }],
  [".txt", { kind: "list" }],
];

/**
 * What `name` is by its suffix (case-insensitive, as K3s matches), or `undefined` for a file the
 * importer leaves alone.
 *
 * @example
 * ```ts
 * imageFileKind("k3s-airgap-images-amd64.tar.zst"); // { kind: "archive", compression: "zstd" }
 * imageFileKind("README.md");                       // undefined
 * ```
 */
export function imageFileKind(name: string): ImageFileKind | undefined {
  const lower = name.toLowerCase();
  return SUFFIXES.find(([suffix]) => lower.endsWith(suffix))?.[1];
}

/** The decompressing programs and the Debian package each comes in. */
const TOOLS: Record<"zstd" | "bzip2" | "lz4", { program: string; pkg: string }> = {
  zstd: { program: "zstd", pkg: "zstd" },
  bzip2: { program: "bzip2", pkg: "bzip2" },
  lz4: { program: "lz4", pkg: "lz4" },
};

/** An open tarball: the uncompressed stream, and how far through the file reading is. */
export interface OpenArchive {
  tar: Readable;
  /** Bytes of the file read so far (compressed bytes for a compressed file). */
  bytesRead(): number;
  /** Stop reading (the import failed elsewhere). */
  close(): void;
}

/**
 * Open a tarball for reading, decompressed. Throws at once when the tool a compression needs is not
 * installed, naming its package.
 *
 * @example
 * ```ts
 * const archive = openArchive("/var/lib/rancher/k3s/agent/images/busybox.tar.zst", "zstd");
 * archive.tar.pipe(ctr.stdin);
 * ```
 */
export function openArchive(path: string, compression: Compression): OpenArchive {
  let file: ReadStream;
  let closed = false;
  let decompressor: ChildProcess | undefined;
  let tar: Readable;
  if (compression === "none" || compression === "gzip") {
    file = createReadStream(path);
    tar = compression === "gzip" ? file.pipe(createGunzip()) : file;
  } else {
    const { program, pkg } = TOOLS[compression];
    const binary = lookPath(program);
    if (!binary) {
      throw new Error(`cannot import ${path}: ${program} is not installed (apt-get install ${pkg})`);
    }
    file = createReadStream(path);
    decompressor = spawn(binary, ["-d", "-c"], { stdio: ["pipe", "pipe", "pipe"] });
    const child = decompressor;
    let stderr = "";
    child.stderr!.on("data", (chunk) => stderr += chunk);
    file.pipe(child.stdin!);
    // A write after the tool exited (a corrupt file) is reported through the tool's exit, not here.
    child.stdin!.on("error", () => {});
    tar = child.stdout!;
    child.once("exit", (code, signal) => {
      if (code !== 0 && !closed) {
        tar.destroy(new Error(`${program} -d failed on ${path} (${signal ?? `exit code ${code}`}): ${stderr.trim()}`));
      }
    });
  }
  return {
    tar,
    bytesRead: () => file.bytesRead,
    close: () => {
      closed = true;
      file.destroy();
      decompressor?.kill();
      tar.destroy();
    },
  };
}
