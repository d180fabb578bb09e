/**
 * An informer: lists a resource into an {@linkcode Indexer}, then watches it, telling handlers about
 * every change. A watch that ends is resumed from the last resourceVersion seen (events and bookmarks
 * both advance it); a 410 "Expired" means that history is gone, so the informer lists again and
 * reports the difference (including deletions it missed).
 *
 * @module
 */
import { Indexer, type IndexFunc } from "./cache/indexer.ts";
import { type KubeObject, type ListWatcher, objectKey, type SelectorOptions, type WatchEvent } from "./source.ts";

/**
 * Callbacks for cache changes. They run after the cache is updated, synchronously, so they should only
 * enqueue work.
 *
 * @example
 * ```ts
 * informer.addHandler({ add: (o) => queue.add(objectKey(o)), update: (_, o) => queue.add(objectKey(o)) });
 * ```
 */
export interface EventHandler {
  add?(object: KubeObject): void;
  update?(oldObject: KubeObject, newObject: KubeObject): void;
  delete?(object: KubeObject): void;
}

/** Options of an informer. */
export interface InformerOptions extends SelectorOptions {
  /** Watch one namespace; all when undefined. */
  namespace?: string;
  /** Extra indexes besides `namespace`. */
  indexers?: Record<string, IndexFunc>;
  /** First retry delay after a failed list or watch; doubles up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Called with errors the informer recovers from (for logs); defaults to nothing. */
  onError?(error: unknown): void;
  /**
   * client-go's `SetTransform`: applied to every object (the informer's own copy) before it is cached or handed to a
   * handler, to keep only what its readers need — e.g. {@linkcode stripManagedFields}.
   */
  transform?(object: KubeObject): KubeObject;
}

/**
 * client-go's `TransformStripManagedFields`: drops `metadata.managedFields`, which no controller reads and which make
 * up much of a cached object — kube-controller-manager's and kube-apiserver's shared informers drop them too.
 *
 * @example
 * ```ts
 * new Informer(source, { transform: stripManagedFields });
 * ```
 */
export function stripManagedFields(object: KubeObject): KubeObject {
  if (object.metadata?.managedFields !== undefined) delete object.metadata.managedFields;
  return object;
}

/** A watch ERROR event's Status, or a thrown error with a code: was it 410 Gone / Expired? */
function isExpired(status: unknown): boolean {
  const s = status as { code?: number; reason?: string; status?: { code?: number } } | undefined;
  return s?.code === 410 || s?.reason === "Expired" || s?.reason === "Gone" || s?.status?.code === 410;
}

class ExpiredError extends Error {}

/**
 * List + watch one resource into an indexed cache.
 *
 * @example
 * ```ts
 * const informer = new Informer(source, { indexers: { byApp: (o) => [o.metadata?.labels?.app ?? ""] } });
 * informer.addHandler({ add: (o) => console.log("added", o.metadata?.name) });
 * const stop = new AbortController();
 * informer.run(stop.signal);
 * await informer.synced;
 * informer.indexer.byIndex("byApp", "web");
 * ```
 */
export class Informer {
  readonly indexer: Indexer;
  readonly #handlers = new Set<EventHandler>();
  #resourceVersion = "";
  #running = false;
  #markSynced!: () => void;
  /** Resolves once the first list is in the cache. */
  readonly synced: Promise<void> = new Promise((resolve) => this.#markSynced = resolve);
  #hasSynced = false;
  /** How many lists the informer has done (the first, plus one per relist). */
  lists = 0;

  constructor(readonly source: ListWatcher, readonly options: InformerOptions = {}) {
    this.indexer = new Indexer(options.indexers);
  }

  /** The last resourceVersion the cache reflects. */
  get resourceVersion(): string {
    return this.#resourceVersion;
  }

  get hasSynced(): boolean {
    return this.#hasSynced;
  }

  /**
   * Register a handler; objects already cached are replayed to it as adds, so a handler registered
   * late still sees everything. Returns a function that unregisters it.
   */
  addHandler(handler: EventHandler): () => void {
    this.#handlers.add(handler);
    for (const object of this.indexer.list()) handler.add?.(object);
    return () => this.#handlers.delete(handler);
  }

  /** Add indexes to the shared cache. */
  addIndexers(indexers: Record<string, IndexFunc>): void {
    this.indexer.addIndexers(indexers);
  }

  /** List and watch until `signal` aborts. Running twice is an error. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.#running) throw new Error("informer is already running");
    this.#running = true;
    const initial = this.options.initialBackoffMs ?? 100;
    const max = this.options.maxBackoffMs ?? 30_000;
    let backoff = initial;
    let needList = true;
    try {
      while (!signal.aborted) {
        try {
          if (needList) {
            await this.#list();
            needList = false;
          }
          const progressed = await this.#watch(signal);
          // A watch that delivered something was healthy; reconnect at once. An empty one may be a
          // server closing on us immediately, so it backs off.
          if (progressed) {
            backoff = initial;
            continue;
          }
        } catch (error) {
          if (signal.aborted) break;
          if (error instanceof ExpiredError || isExpired(error)) {
            needList = true;
            backoff = initial;
            continue;
          }
          this.options.onError?.(error);
        }
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, max);
      }
    } finally {
      this.#running = false;
    }
  }

  async #list(): Promise<void> {
    const { namespace, labelSelector, fieldSelector } = this.options;
    const list = await this.source.list(namespace, { labelSelector, fieldSelector });
    this.lists++;
    const seen = new Set<string>();
    for (const object of list.items as KubeObject[]) {
      seen.add(objectKey(object));
      this.#apply("ADDED", object);
    }
    // Whatever the cache holds but the list does not was deleted while we were not watching.
    for (const key of this.indexer.keys()) {
      if (!seen.has(key)) this.#apply("DELETED", this.indexer.get(key)!);
    }
    this.#resourceVersion = list.metadata.resourceVersion;
    if (!this.#hasSynced) {
      this.#hasSynced = true;
      this.#markSynced();
    }
  }

  /** One watch connection; resolves when it ends, true if it delivered anything. */
  async #watch(signal: AbortSignal): Promise<boolean> {
    const { namespace, labelSelector, fieldSelector } = this.options;
    let progressed = false;
    const events = this.source.watch(namespace, {
      resourceVersion: this.#resourceVersion,
      allowWatchBookmarks: true,
      labelSelector,
      fieldSelector,
      signal,
    });
    for await (const event of events as AsyncIterable<WatchEvent>) {
      if (signal.aborted) break;
      if (event.type === "ERROR") {
        if (isExpired(event.object)) throw new ExpiredError(event.object?.message ?? "expired");
        throw Object.assign(new Error(event.object?.message ?? "watch error"), { status: event.object });
      }
      progressed = true;
      if (event.type !== "BOOKMARK") this.#apply(event.type, event.object);
      const rv = event.object?.metadata?.resourceVersion;
      if (rv) this.#resourceVersion = rv;
    }
    return progressed;
  }

  #apply(type: "ADDED" | "MODIFIED" | "DELETED", received: KubeObject): void {
    const object = this.options.transform ? this.options.transform(received) : received;
    if (type === "DELETED") {
      const old = this.indexer.delete(objectKey(object));
      if (old) { for (const h of this.#handlers) h.delete?.(object); }
      return;
    }
    const old = this.indexer.set(object);
    // A relist re-adds unchanged objects; handlers hear about them as updates (a resync), as in client-go.
    for (const h of this.#handlers) {
      if (old) h.update?.(old, object);
      else h.add?.(object);
    }
  }
}

/** Resolves after `ms`, or early when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
