/**
 * The periodic compaction K3s's apiserver drives (`--etcd-compaction-interval`, 5 minutes), keeping
 * the newest revisions so that watchers that fell a little behind can still resume.
 *
 * @module
 */
import type { Store } from "./store.ts";

/** Options for {@linkcode startCompactor}. */
export interface CompactorOptions {
  /** How often to compact, in milliseconds (default 5 minutes). */
  intervalMs?: number;
  /** Revisions never compacted away (default 1000, as kine keeps). */
  minRetain?: number;
  /** Told about each compaction that removed history. */
  onCompact?: (from: number, to: number, ms: number) => void;
}

/**
 * Compact `store` every interval, up to `current - minRetain`; returns a function that stops it.
 *
 * @example
 * ```ts
 * const stop = startCompactor(store, { intervalMs: 60_000, minRetain: 1000 });
 * // … on shutdown:
 * stop();
 * ```
 */
export function startCompactor(store: Store, options: CompactorOptions = {}): () => void {
  const interval = options.intervalMs ?? 5 * 60_000;
  const retain = options.minRetain ?? 1000;
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const [current, compacted] = await Promise.all([store.currentRevision(), store.compactRevision()]);
      const target = current - retain;
      if (target > compacted) {
        const started = performance.now();
        await store.compact(target);
        options.onCompact?.(compacted, target, performance.now() - started);
      }
    } catch (error) {
      console.warn(`datastore compaction failed: ${error}`);
    } finally {
      running = false;
    }
  }, interval);
  return () => clearInterval(timer);
}
