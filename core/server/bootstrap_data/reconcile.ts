/**
 * Bringing a server's shared files in step with the datastore's copy before it uses them (K3s's
 * `ReconcileBootstrapData`): a file that is missing, or differs and is not newer than the datastore's, is replaced
 * by the datastore's; a file that differs and is newer on disk stops the start, since pushing it would swap a CA or
 * key under every other server — changes reach the datastore when they are made, not at the next start.
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import { readdir, readFile, stat } from "node:fs/promises";
import { tlsDir } from "../../pki/server.ts";
import { type BootstrapFile, sharedFiles, unixNanos, writeBootstrapFiles } from "./files.ts";

/** Seconds a file on disk may be newer than the datastore's copy and still be taken as older (K3s's skew). */
export const SYSTEM_TIME_SKEW = 3n;

/** What a reconcile did. */
export interface ReconcileResult {
  /** Paths written from the datastore (empty when the disk was already in step). */
  written: string[];
}

/**
 * Reconcile `dataDir`'s shared files with the datastore's `files`; throws K3s's "newer than datastore" error,
 * writing nothing, when a file on disk differs and is newer.
 *
 * @example
 * ```ts
 * const { written } = await reconcileBootstrapFiles(dataDir, decodeBootstrapFiles(plaintext), console.log);
 * ```
 */
export async function reconcileBootstrapFiles(
  dataDir: string,
  files: Map<string, BootstrapFile>,
  log: (line: string) => void = () => {},
): Promise<ReconcileResult> {
  log("Reconciling bootstrap data between datastore and disk");
  // A server that has no certificates yet takes everything as it is stored.
  if (await isEmptyDir(tlsDir(dataDir))) return { written: await writeBootstrapFiles(dataDir, files) };
  const known = new Map(sharedFiles(dataDir).map((file) => [file.name, file.path]));
  let updateDisk = false;
  const newerOnDisk: string[] = [];
  for (const [name, file] of files) {
    const path = known.get(name);
    if (!path) {
      log(`Unable to lookup path to reconcile ${name}`);
      continue;
    }
    const status = await compare(path, file);
    if (status === "missing") log(`${path} doesn't exist. continuing...`);
    if (status === "older") log(`${path} will be updated from the datastore.`);
    if (status === "newer") newerOnDisk.push(path);
    updateDisk ||= status !== "same";
  }
  if (newerOnDisk.length) {
    throw new Error(
      `${newerOnDisk.join(", ")} newer than datastore and could cause a cluster outage. ` +
        "Remove the file(s) from disk and restart to be recreated from datastore.",
    );
  }
  if (!updateDisk) return { written: [] };
  log("Updating bootstrap data on disk from datastore");
  return { written: await writeBootstrapFiles(dataDir, files) };
}

/** How the file on disk stands against the datastore's copy (K3s's `isNewerFile`). */
async function compare(path: string, file: BootstrapFile): Promise<"missing" | "same" | "older" | "newer"> {
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw new Error(`reconcile failed to read ${path}: ${(error as Error).message}`);
  }
  if (content.equals(file.content)) return "same";
  const local = (await stat(path, { bigint: true })).mtimeNs / 1_000_000_000n;
  const stored = unixNanos(file.timestamp) / 1_000_000_000n;
  return local - stored >= SYSTEM_TIME_SKEW ? "newer" : "older";
}

async function isEmptyDir(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return true;
    throw error;
  }
}
