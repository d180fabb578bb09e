/**
 * Controllers in the controller-runtime style: declare what the controller is *for* (its primary
 * kind), what it *owns* (events on owned objects reconcile the controlling owner) and what else it
 * *watches* (through a mapping function), then give one `reconcile` function. The controller turns
 * informer events into keys on a {@linkcode WorkQueue} and runs reconciles with back-off.
 *
 * @module
 */
import type { EventHandler, Informer } from "./informer.ts";
import { type Kind, type KubeObject, objectKey, splitKey } from "./source.ts";
import { type RateLimiter, WorkQueue } from "./workqueue.ts";
import { ReconcileMetrics, type ReconcileResult } from "./metrics.ts";

/** What to reconcile: the key of an object of the controller's primary kind. */
export interface Request {
  /** `namespace/name`, or `name` for cluster-scoped kinds. */
  key: string;
  namespace?: string;
  name: string;
}

/** What to do after a successful reconcile; nothing means "done until something changes". */
export interface Result {
  /** Try again with the rate-limited back-off. */
  requeue?: boolean;
  /** Try again after this long (e.g. a certificate's renewal time); resets the back-off. */
  requeueAfterMs?: number;
}

/** The reconcile function; throwing retries with exponential back-off. */
export type ReconcileFunc = (request: Request) => Promise<Result | void> | Result | void;

/** Maps a watched object to the primary objects to reconcile (keys, or namespace + name). */
export type MapFunc = (object: KubeObject) => (string | { namespace?: string; name: string })[];

/** Only objects for which this is true produce work. */
export type Predicate = (object: KubeObject) => boolean;

/** Where a controller gets its (shared) informers from; the manager provides this. */
export type InformerProvider = (kind: Kind) => Informer;

/** Options of a controller. */
export interface ControllerOptions {
  /** Reconciles running at once (never two for one key). Default 1. */
  concurrency?: number;
  rateLimiter?: RateLimiter;
  /** Whether only the elected leader runs it. Default true; node-local loops say false. */
  needLeaderElection?: boolean;
  /** Reconcile errors, for logs; defaults to `console.error`. */
  onError?(error: unknown, request: Request): void;
}

interface Watch {
  kind: Kind;
  map: MapFunc;
  predicate?: Predicate;
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

/**
 * Start declaring a controller.
 *
 * @example
 * ```ts
 * const c = controller("configmap-hash")
 *   .for(configmaps)
 *   .owns(secrets)
 *   .watches(namespaces, (ns) => cacheOf(configmaps).byIndex("namespace", ns.metadata!.name!).map(objectKey))
 *   .complete(async ({ namespace, name }) => { … });
 * manager.add(c);
 * ```
 */
export function controller(name: string): ControllerBuilder {
  return new ControllerBuilder(name);
}

/** The for / owns / watches builder; see {@linkcode controller}. */
export class ControllerBuilder {
  #for?: Kind;
  #forPredicate?: Predicate;
  readonly #watches: Watch[] = [];
  #options: ControllerOptions = {};

  constructor(readonly name: string) {}

  /** The primary kind: its events reconcile the object itself. */
  for(kind: Kind, predicate?: Predicate): this {
    if (this.#for) throw new Error(`controller ${this.name}: for() given twice`);
    this.#for = kind;
    this.#forPredicate = predicate;
    return this;
  }

  /** An owned kind: its events reconcile the owner named by the `controller: true` ownerReference. */
  owns(kind: Kind, predicate?: Predicate): this {
    // The owner's kind is only known once for() is given, so the mapping reads it lazily.
    this.#watches.push({ kind, predicate, map: (object) => this.#ownerOf(object) });
    return this;
  }

  /** Any other kind: `map` says which primary objects an event concerns. */
  watches(kind: Kind, map: MapFunc, predicate?: Predicate): this {
    this.#watches.push({ kind, map, predicate });
    return this;
  }

  /** Concurrency, rate limiter, leader election, error reporting. */
  withOptions(options: ControllerOptions): this {
    this.#options = { ...this.#options, ...options };
    return this;
  }

  /** Finish with the reconcile function. */
  complete(reconcile: ReconcileFunc): Controller {
    if (!this.#for) throw new Error(`controller ${this.name}: for() is required`);
    const watches: Watch[] = [
      { kind: this.#for, predicate: this.#forPredicate, map: (o) => [objectKey(o)] },
      ...this.#watches,
    ];
    return new Controller(this.name, this.#for, watches, reconcile, this.#options);
  }

  #ownerOf(object: KubeObject): string[] {
    const owner = this.#for!;
    const refs = object.metadata?.ownerReferences ?? [];
    const ref = refs.find((r) => r.controller && r.kind === owner.kind && groupOf(r.apiVersion) === owner.group);
    if (!ref) return [];
    const namespace = owner.namespaced ? object.metadata?.namespace : undefined;
    return [namespace ? `${namespace}/${ref.name}` : ref.name];
  }
}

/**
 * A declared controller; a {@linkcode Manager} starts it (or `start` it yourself with informers).
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * await c.start((kind) => informers.get(kind), stop.signal); // returns once stopped
 * ```
 */
export class Controller {
  readonly queue: WorkQueue;
  readonly needLeaderElection: boolean;
  readonly metrics = new ReconcileMetrics();
  #running = false;

  constructor(
    readonly name: string,
    readonly forKind: Kind,
    readonly watchesKinds: readonly Watch[],
    readonly reconcile: ReconcileFunc,
    readonly options: ControllerOptions = {},
  ) {
    this.queue = new WorkQueue(options.rateLimiter);
    this.needLeaderElection = options.needLeaderElection ?? true;
  }

  /** The kinds this controller needs informers for. */
  get kinds(): Kind[] {
    return this.watchesKinds.map((w) => w.kind);
  }

  /**
   * Subscribe to the informers, wait for their caches, and reconcile until `signal` aborts; resolves
   * once in-flight reconciles have finished. A controller runs once: build a new one to run again.
   */
  async start(informers: InformerProvider, signal: AbortSignal): Promise<void> {
    if (this.#running || this.queue.shuttingDown) throw new Error(`controller ${this.name} already ran`);
    this.#running = true;
    const unsubscribe: (() => void)[] = [];
    const onAbort = () => this.queue.shutDown();
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      const used: Informer[] = [];
      for (const watch of this.watchesKinds) {
        const informer = informers(watch.kind);
        used.push(informer);
        unsubscribe.push(informer.addHandler(this.#handler(watch)));
      }
      await Promise.race([Promise.all(used.map((i) => i.synced)), aborted(signal)]);
      const workers = Array.from({ length: Math.max(1, this.options.concurrency ?? 1) }, () => this.#work());
      await Promise.all(workers);
    } finally {
      for (const u of unsubscribe) u();
      signal.removeEventListener("abort", onAbort);
      this.queue.shutDown();
      this.#running = false;
    }
  }

  #handler(watch: Watch): EventHandler {
    const enqueue = (object: KubeObject) => {
      if (watch.predicate && !watch.predicate(object)) return;
      for (const target of watch.map(object)) {
        this.queue.add(typeof target === "string" ? target : objectKey({ metadata: target }));
      }
    };
    return {
      add: enqueue,
      // An update can move ownership or mapping, so both versions get a say.
      update: (old, object) => {
        enqueue(old);
        enqueue(object);
      },
      delete: enqueue,
    };
  }

  async #work(): Promise<void> {
    while (true) {
      const key = await this.queue.get();
      if (key === undefined) return;
      const request: Request = { key, ...splitKey(key) };
      const started = performance.now();
      let outcome: ReconcileResult = "error";
      try {
        const result = await this.reconcile(request);
        if (result?.requeueAfterMs !== undefined && result.requeueAfterMs > 0) {
          outcome = "requeue_after";
          this.queue.forget(key);
          this.queue.addAfter(key, result.requeueAfterMs);
        } else if (result?.requeue) {
          outcome = "requeue";
          this.queue.addRateLimited(key);
        } else {
          outcome = "success";
          this.queue.forget(key);
        }
      } catch (error) {
        (this.options.onError ?? ((e, r) => console.error(`controller ${this.name}: reconcile ${r.key}:`, e)))(
          error,
          request,
        );
        this.queue.addRateLimited(key);
      } finally {
        this.metrics.observe((performance.now() - started) / 1000, outcome);
        this.queue.done(key);
      }
    }
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}
