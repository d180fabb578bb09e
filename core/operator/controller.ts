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
  readonly metrics: ReconcileMetrics = new ReconcileMetrics();
  #running = false;
  /** While running: where informers come from, and how to leave each watch's informer. */
  #informers?: InformerProvider;
  readonly #unsubscribe = new Map<Watch, () => void>();
  /** The controller this is a copy of, and the copies of this one now running. */
  #original?: Controller;
  readonly #copies = new Set<Controller>();

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
    const onAbort = () => this.queue.shutDown();
    signal.addEventListener("abort", onAbort, { once: true });
    this.#informers = informers;
    if (this.#original) this.#original.#copies.add(this);
    try {
      const used = this.watchesKinds.map((watch) => this.#subscribe(watch));
      await Promise.race([Promise.all(used.map((i) => i.synced)), aborted(signal)]);
      const workers = Array.from({ length: Math.max(1, this.options.concurrency ?? 1) }, () => this.#work());
      await Promise.all(workers);
    } finally {
      for (const u of this.#unsubscribe.values()) u();
      this.#unsubscribe.clear();
      this.#informers = undefined;
      if (this.#original) this.#original.#copies.delete(this);
      signal.removeEventListener("abort", onAbort);
      this.queue.shutDown();
      this.#running = false;
    }
  }

  /**
   * Watch one more kind from now on (a custom resource that appeared after the controller was built); kept
   * by the copies a new leadership term runs.
   *
   * @example
   * ```ts
   * registry.subscribe(() => gc.watch(widgets, (o) => [itemKey("widgets.example.com", o)]));
   * ```
   */
  watch(kind: Kind, map: MapFunc, predicate?: Predicate): void {
    const watch: Watch = { kind, map, predicate };
    (this.watchesKinds as Watch[]).push(watch);
    for (const running of [this, ...this.#copies]) {
      if (running.#informers && !running.queue.shuttingDown) running.#subscribe(watch);
    }
  }

  /**
   * A fresh controller with the same declaration, sharing this one's watches (also those added later);
   * a controller runs once, so each leadership term runs a copy.
   *
   * @example
   * ```ts
   * await gc.copy().start(informers, leading.signal);
   * ```
   */
  copy(): Controller {
    const copy = new (this.constructor as typeof Controller)(
      this.name,
      this.forKind,
      this.watchesKinds,
      this.reconcile,
      this.options,
    );
    copy.#original = this;
    return copy;
  }

  /**
   * Stop watching `kind` (its resource is no longer served).
   *
   * @example
   * ```ts
   * gc.unwatch(widgets);
   * ```
   */
  unwatch(kind: Kind): void {
    const watches = this.watchesKinds as Watch[];
    for (let i = watches.length - 1; i >= 0; i--) {
      const watch = watches[i];
      if (watch.kind.group !== kind.group || watch.kind.resource !== kind.resource) continue;
      if (watch.kind.version !== kind.version) continue;
      watches.splice(i, 1);
      for (const running of [this, ...this.#copies]) {
        running.#unsubscribe.get(watch)?.();
        running.#unsubscribe.delete(watch);
      }
    }
  }

  #subscribe(watch: Watch): Informer {
    const informer = this.#informers!(watch.kind);
    this.#unsubscribe.set(watch, informer.addHandler(this.#handler(watch)));
    return informer;
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
