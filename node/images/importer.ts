/**
 * K3s's air-gap images directory (`<data-dir>/agent/images/`): at start, and whenever a file appears or
 * changes, every image tarball in it is imported into containerd's CRI namespace and every `.txt` list is
 * pre-pulled. A file is imported once it has been left alone for a moment (a copy in progress is not),
 * and not again while it keeps its size and modification time and containerd keeps its images (see
 * {@linkcode ImportCache}). Changes are seen through a filesystem watch, and a periodic resync catches
 * whatever a watch misses (the directory created later, events lost); the work goes through the
 * operator framework's queue, one file at a time, failures retried with back-off.
 *
 * @module
 */
import { type FSWatcher, readdirSync, readFileSync, statSync, watch } from "node:fs";
import { join } from "node:path";
import { ExponentialBackoff, WorkQueue } from "../../core/operator/workqueue.ts";
import { CriClient } from "../cri/client.ts";
import { type Compression, imageFileKind, openArchive } from "./archive.ts";
import { ImportCache } from "./cache.ts";
import { ctrImport, findCtr } from "./ctr.ts";
import { prePullImages } from "./prepull.ts";

/**
 * The images directory of a data directory.
 *
 * @example
 * ```ts
 * imagesDir("/var/lib/rancher/k3s"); // "/var/lib/rancher/k3s/agent/images"
 * ```
 */
export function imagesDir(dataDir: string): string {
  return join(dataDir, "agent", "images");
}

/** Options of {@linkcode startImageImporter}. */
export interface ImageImporterOptions {
  /** The directory to import from (see {@linkcode imagesDir}). */
  dir: string;
  /** containerd's socket. */
  address: string;
  /** The ctr executable (default: the one on PATH). */
  ctr?: string;
  /** How often the whole directory is looked at again besides the watch (default 30 s). */
  resyncMs?: number;
  /** How long a file must stay unchanged before it is imported (default 2 s, K3s's delay). */
  settleMs?: number;
  /** Progress lines (default: the console). */
  log?: (line: string) => void;
}

/** Show progress of an import that takes longer than this. */
const PROGRESS_EVERY_MS = 5_000;

/** What a file looked like when it was handled. */
interface Seen {
  size: number;
  mtimeMs: number;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/**
 * The running importer; build it with {@linkcode startImageImporter}.
 *
 * @example
 * ```ts
 * const importer = await startImageImporter({ dir: imagesDir(dataDir), address: containerd.address });
 * await importer.stop();
 * ```
 */
export class ImageImporter {
  readonly dir: string;
  readonly #options: ImageImporterOptions;
  readonly #log: (line: string) => void;
  readonly #ctr: string;
  readonly #cri: CriClient;
  readonly #cache: ImportCache;
  readonly #queue = new WorkQueue(new ExponentialBackoff(1_000, 300_000));
  /** Files handled by this process, as they were then; no CRI check is needed to skip these. */
  readonly #seen = new Map<string, Seen>();
  #watcher?: FSWatcher;
  #resync?: ReturnType<typeof setInterval>;
  #worker: Promise<void> = Promise.resolve();

  constructor(options: ImageImporterOptions) {
    this.#options = options;
    this.dir = options.dir;
    this.#log = options.log ?? ((line) => console.log(line));
    this.#ctr = options.ctr ?? findCtr();
    this.#cri = new CriClient(options.address);
    this.#cache = new ImportCache(options.dir);
  }

  /** Import what the directory holds now, then keep watching it. */
  async start(): Promise<void> {
    this.#watch();
    for (const name of this.#list()) {
      try {
        const { requeueAfterMs } = await this.#reconcile(name);
        if (requeueAfterMs) this.#queue.addAfter(name, requeueAfterMs);
      } catch (error) {
        this.#failed(name, error);
      }
    }
    this.#resync = setInterval(() => this.#sync(), this.#options.resyncMs ?? 30_000);
    this.#worker = this.#work();
  }

  /** Stop watching; an import under way finishes first. */
  async stop(): Promise<void> {
    clearInterval(this.#resync);
    this.#watcher?.close();
    this.#watcher = undefined;
    this.#queue.shutDown();
    await this.#worker;
    this.#cri.close();
  }

  #list(): string[] {
    try {
      return readdirSync(this.dir).filter((name) => !name.startsWith(".") && imageFileKind(name)).sort();
    } catch {
      return [];
    }
  }

  /** Watch the directory if it exists (again, after it was removed or created). */
  #watch(): void {
    if (this.#watcher) return;
    try {
      const settle = this.#options.settleMs ?? 2_000;
      this.#watcher = watch(this.dir, (_event, name) => {
        if (name && !name.startsWith(".") && imageFileKind(name)) this.#queue.addAfter(name, settle);
      });
      this.#watcher.on("error", () => {
        this.#watcher?.close();
        this.#watcher = undefined;
      });
    } catch {
      // No directory yet: the next resync looks again.
    }
  }

  #sync(): void {
    this.#watch();
    for (const name of new Set([...this.#list(), ...this.#seen.keys()])) this.#queue.add(name);
  }

  async #work(): Promise<void> {
    while (true) {
      const name = await this.#queue.get();
      if (name === undefined) return;
      try {
        const { requeueAfterMs } = await this.#reconcile(name);
        this.#queue.forget(name);
        if (requeueAfterMs) this.#queue.addAfter(name, requeueAfterMs);
      } catch (error) {
        this.#failed(name, error);
      } finally {
        this.#queue.done(name);
      }
    }
  }

  #failed(name: string, error: unknown): void {
    const delay = this.#queue.rateLimiter.when(name);
    this.#log(
      `Failed to import images from ${join(this.dir, name)}: ${(error as Error).message}; retrying in ${delay / 1000}s`,
    );
    this.#queue.addAfter(name, delay);
  }

  /** Bring one file's images into containerd unless that is done already. */
  async #reconcile(name: string): Promise<{ requeueAfterMs?: number }> {
    const kind = imageFileKind(name);
    const path = join(this.dir, name);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      // Removed: its images stay (K3s never deletes them), but a file by that name later is new.
      this.#seen.delete(name);
      this.#cache.delete(name);
      return {};
    }
    if (!kind || !stat.isFile()) return {};
    const settleMs = this.#options.settleMs ?? 2_000;
    const age = Date.now() - stat.mtimeMs;
    if (age >= 0 && age < settleMs) return { requeueAfterMs: settleMs - age + 50 };
    const now: Seen = { size: stat.size, mtimeMs: stat.mtimeMs };
    const same = (other?: Seen) => other?.size === now.size && other.mtimeMs === now.mtimeMs;
    if (same(this.#seen.get(name))) return {};
    const record = this.#cache.get(name);
    if (same(record) && await this.#present(record!.images)) {
      this.#log(`Skipping ${path}: unchanged since its images were imported`);
      this.#seen.set(name, now);
      return {};
    }
    const started = Date.now();
    const images = kind.kind === "list"
      ? await prePullImages(this.#cri, readFileSync(path, "utf8"), this.#log)
      : await this.#import(path, kind.compression, stat.size);
    this.#cache.set(name, { ...now, images });
    this.#seen.set(name, now);
    this.#log(`Imported images from ${path} in ${((Date.now() - started) / 1000).toFixed(2)}s`);
    return {};
  }

  async #import(path: string, compression: Compression, size: number): Promise<string[]> {
    this.#log(`Importing images from ${path}`);
    const archive = openArchive(path, compression);
    const progress = setInterval(() => {
      const read = archive.bytesRead();
      this.#log(`Importing ${path}: ${Math.floor((read / size) * 100)}% (${mib(read)} of ${mib(size)})`);
    }, PROGRESS_EVERY_MS);
    try {
      return await ctrImport({
        ctr: this.#ctr,
        address: this.#options.address,
        tar: archive.tar,
        onImage: (image) => this.#log(`Imported ${image}`),
      });
    } finally {
      clearInterval(progress);
      archive.close();
    }
  }

  /** Whether containerd has every one of `images`. */
  async #present(images: string[]): Promise<boolean> {
    for (const image of images) {
      if (!(await this.#cri.imageStatus({ image })).image) return false;
    }
    return true;
  }
}

/**
 * Import the images directory's files now and whenever they change, until stopped. Resolves once what is
 * there at start has been imported (so the pause image is in place before the first pod).
 *
 * @example
 * ```ts
 * const importer = await startImageImporter({ dir: imagesDir("/var/lib/rancher/k3s"), address: containerd.address });
 * ```
 */
export async function startImageImporter(options: ImageImporterOptions): Promise<ImageImporter> {
  const importer = new ImageImporter(options);
  await importer.start();
  return importer;
}
