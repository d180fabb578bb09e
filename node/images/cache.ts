/**
 * The record of imported files, `.cache.json` in the images directory as K3s names it: for each file,
 * the size and modification time it had when imported and the images it held. A file that still
 * matches, whose images containerd still has, is not imported again after a restart.
 *
 * @module
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The record's file name in the images directory. */
export const CACHE_FILE = ".cache.json";

/** One imported file. */
export interface ImportRecord {
  size: number;
  /** Modification time, ms since the epoch. */
  mtimeMs: number;
  /** The images it held. */
  images: string[];
}

function isRecord(value: unknown): value is ImportRecord {
  const r = value as ImportRecord;
  return typeof r?.size === "number" && typeof r.mtimeMs === "number" && Array.isArray(r.images) &&
    r.images.every((image) => typeof image === "string");
}

/**
 * The records of one images directory, kept on disk.
 *
 * @example
 * ```ts
 * const cache = new ImportCache("/var/lib/rancher/k3s/agent/images");
 * cache.set("busybox.tar", { size: 1044480, mtimeMs: 1764300000000, images: ["docker.io/library/busybox:1.36"] });
 * cache.get("busybox.tar")?.images; // ["docker.io/library/busybox:1.36"]
 * ```
 */
export class ImportCache {
  readonly path: string;
  readonly #records = new Map<string, ImportRecord>();

  constructor(readonly dir: string) {
    this.path = join(dir, CACHE_FILE);
    let stored: Record<string, unknown> = {};
    try {
      stored = JSON.parse(readFileSync(this.path, "utf8"));
    } catch {
      // Missing, or not ours: every file gets imported and the record is written anew.
    }
    for (const [name, record] of Object.entries(stored ?? {})) {
      if (isRecord(record)) this.#records.set(name, record);
    }
  }

  /** The record of file `name`, if it was imported. */
  get(name: string): ImportRecord | undefined {
    return this.#records.get(name);
  }

  /** Record an import of `name` and save. */
  set(name: string, record: ImportRecord): void {
    this.#records.set(name, record);
    this.#save();
  }

  /** Forget `name` (it was removed) and save. */
  delete(name: string): void {
    if (this.#records.delete(name)) this.#save();
  }

  #save(): void {
    // Written whole and renamed into place, so a crash never leaves half a record.
    const partial = `${this.path}.partial`;
    writeFileSync(partial, JSON.stringify(Object.fromEntries(this.#records), null, 2) + "\n");
    renameSync(partial, this.path);
  }
}
