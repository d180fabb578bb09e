/**
 * SQLite's WAL checkpoints on a worker thread. SQLite checkpoints on its own inside the COMMIT that takes the WAL
 * past 1000 pages: the pages copied into the database file and both files synced, all on the event loop (`node:sqlite`
 * is synchronous) — every few MiB written, a stall of as long as the disk takes. Here the writing connection has
 * those checkpoints off, and a connection of its own on a worker thread checkpoints between two write transactions,
 * at most once a second: the event loop goes on meanwhile (reads too), only the next write waits. As no write runs
 * during it, a checkpoint takes in the whole WAL, so the next write starts the WAL over and it never grows unbounded.
 *
 * @module
 */
import { Worker } from "node:worker_threads";

/** The worker: one connection, a PASSIVE checkpoint per message till "close" (CommonJS, as eval'd workers are). */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { DatabaseSync } = require("node:sqlite");
const db = new DatabaseSync(workerData.path);
db.exec("PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL;");
const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
parentPort.on("message", (message) => {
  try {
    if (message === "close") db.close();
    else checkpoint.get();
    parentPort.postMessage({});
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
});
`;

/** How often, at most, a checkpoint runs while writes go on. */
const INTERVAL_MS = 1000;

/**
 * Checkpoints of one database file, run on a worker thread.
 *
 * @example
 * ```ts
 * const checkpointer = new Checkpointer("/var/lib/rancher/k3s/server/db/state.db", (error) => fallBack(error));
 * await checkpointer.beforeWrite(); // a checkpoint first, when one is due
 * await checkpointer.close();
 * ```
 */
export class Checkpointer {
  readonly #worker: Worker;
  #last = Date.now();
  #failed = false;
  #done?: () => void;

  /** `onFailure` hears once that checkpoints stopped (the caller checkpoints some other way then). */
  constructor(path: string, private readonly onFailure: (error: Error) => void) {
    this.#worker = new Worker(WORKER, { eval: true, workerData: { path } });
    this.#worker.unref();
    this.#worker.on("message", (message: { error?: string }) => {
      if (message.error) this.#fail(new Error(message.error));
      this.#settle();
    });
    this.#worker.on("error", (error: unknown) => {
      this.#fail(error instanceof Error ? error : new Error(String(error)));
      this.#settle();
    });
    this.#worker.on("exit", () => {
      this.#fail(new Error("the checkpoint worker exited"));
      this.#settle();
    });
  }

  /** Called before each write transaction: resolves at once, or once the checkpoint that was due has run. */
  async beforeWrite(): Promise<void> {
    if (this.#failed || Date.now() - this.#last < INTERVAL_MS) return;
    this.#last = Date.now();
    await this.#ask("checkpoint");
  }

  /** Close the worker's connection (waiting for a checkpoint under way), then end the worker. */
  async close(): Promise<void> {
    const failed = this.#failed;
    this.#failed = true;
    while (this.#done) await new Promise((resolve) => setTimeout(resolve, 5));
    if (!failed) await this.#ask("close");
    await this.#worker.terminate();
  }

  /** Send `message` and wait for the answer; the process stays up meanwhile (the idle worker does not hold it). */
  #ask(message: "checkpoint" | "close"): Promise<void> {
    this.#worker.ref();
    return new Promise<void>((resolve) => {
      this.#done = () => {
        this.#worker.unref();
        resolve();
      };
      this.#worker.postMessage(message);
    });
  }

  #settle(): void {
    const done = this.#done;
    this.#done = undefined;
    done?.();
  }

  #fail(error: Error): void {
    if (this.#failed) return;
    this.#failed = true;
    this.onFailure(error);
  }
}
