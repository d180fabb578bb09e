/**
 * Watch bookmarks: the `BOOKMARK` events that tell a watcher how far the store has gone when nothing it watches
 * changed (so a resumed watch need not start from an old, maybe compacted, revision), and the interval they come at.
 *
 * @module
 */
import type { ResourceInfo } from "../registry/types.ts";
import { groupVersion } from "../registry/types.ts";
import type { WireEvent } from "./rest.ts";

/** How often a quiet watch that asked for bookmarks gets one. */
export const BOOKMARK_INTERVAL_MS = 60_000;

/**
 * A `BOOKMARK` event at `revision`: an object of the watched kind carrying only its resourceVersion (and
 * `annotations`, e.g. `k8s.io/initial-events-end`).
 *
 * @example
 * ```ts
 * yield [bookmark(configmaps, 42)]; // { type: "BOOKMARK", object: { apiVersion: "v1", kind: "ConfigMap", metadata: { resourceVersion: "42" } } }
 * ```
 */
export function bookmark(r: ResourceInfo, revision: number, annotations?: Record<string, string>): WireEvent {
  return {
    type: "BOOKMARK",
    object: {
      apiVersion: groupVersion(r),
      kind: r.kind,
      metadata: { resourceVersion: String(revision), ...(annotations ? { annotations } : {}) },
    },
  };
}

/**
 * One watch's bookmark interval: one timer at a time, re-armed only once it fired, so a busy watch piles up no timers —
 * nor, as racing one long-lived promise would, reactions that keep every batch it waited for alive until it fires.
 *
 * @example
 * ```ts
 * const ticks = new BookmarkTicks(BOOKMARK_INTERVAL_MS, signal);
 * const next = await ticks.next(pending); // the store's next batch, or "tick"
 * ```
 */
export class BookmarkTicks {
  #timer?: ReturnType<typeof setTimeout>;
  /** The interval passed while nobody waited: the next wait ends at once. */
  #due = false;
  #wake?: () => void;

  constructor(private readonly ms: number, signal: AbortSignal) {
    signal.addEventListener("abort", () => clearTimeout(this.#timer), { once: true });
  }

  /** `pending`'s result, or "tick" when the interval has passed since the last one. */
  next<T>(pending: Promise<T>): Promise<T | "tick"> {
    if (this.#due) {
      this.#due = false;
      return Promise.resolve("tick");
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      const wake = this.#wake;
      this.#wake = undefined;
      if (wake) wake();
      else this.#due = true;
    }, this.ms);
    return new Promise<T | "tick">((resolve, reject) => {
      const wake = () => resolve("tick");
      this.#wake = wake;
      const settled = () => {
        if (this.#wake === wake) this.#wake = undefined;
      };
      pending.then((value) => {
        settled();
        resolve(value);
      }, (error) => {
        settled();
        reject(error);
      });
    });
  }
}
