/**
 * The manager: one per process. It owns the shared informers (one per kind, whatever number of
 * controllers use it), starts controllers, and — when leader election is configured — runs the
 * controllers that need it only while this process holds the Lease. Its caches keep no managedFields,
 * as kube-controller-manager's shared informers keep none.
 *
 * @module
 */
import type { Indexer } from "./cache/indexer.ts";
import type { Controller } from "./controller.ts";
import { Informer, type InformerOptions, stripManagedFields } from "./informer.ts";
import { type LeaderElectionOptions, LeaderElector } from "./leader_election.ts";
import type { Kind, LeaseClient, ListWatcher } from "./source.ts";

/** Options of a {@linkcode Manager}. */
export interface ManagerOptions {
  /** The list+watch source of a kind (adapted from the Client). */
  source(kind: Kind): ListWatcher;
  /** Options every informer gets (back-off, error reporting; the transform defaults to stripping managedFields). */
  informerOptions?: Omit<InformerOptions, "indexers">;
  /** Run leader-elected controllers only while holding this Lease. */
  leaderElection?: Omit<LeaderElectionOptions, "onStartedLeading" | "onStoppedLeading"> & { client: LeaseClient };
}

function kindKey(kind: Kind): string {
  return `${kind.group}/${kind.version}/${kind.resource}`;
}

/**
 * Shared informers + controllers + leader election.
 *
 * @example
 * ```ts
 * const manager = new Manager({ source: (kind) => listWatcherFor(client, kind) });
 * manager.add(controller("x").for(configmaps).complete(async (req) => {
 *   const cm = manager.cache(configmaps).get(req.key);
 * }));
 * const stop = new AbortController();
 * const done = manager.start(stop.signal);
 * // … later
 * stop.abort();
 * await done;
 * ```
 */
export class Manager {
  readonly #informers = new Map<string, Informer>();
  /** Stops each running informer alone (its resource went away), besides the manager's own signal. */
  readonly #informerStops = new Map<Informer, AbortController>();
  readonly #controllers: Controller[] = [];
  /** The controllers running now (a leader's term runs fresh copies of the elected ones). */
  readonly #active = new Set<Controller>();
  /** Informer runs, so `start` can wait for them on the way out. */
  readonly #runs: Promise<void>[] = [];
  #signal?: AbortSignal;
  #elector?: LeaderElector;

  constructor(readonly options: ManagerOptions) {}

  /** The shared informer of `kind`, created (and started, if the manager runs) on first use. */
  informer(kind: Kind): Informer {
    const key = kindKey(kind);
    let informer = this.#informers.get(key);
    if (!informer) {
      informer = new Informer(this.options.source(kind), {
        transform: stripManagedFields,
        ...this.options.informerOptions,
      });
      this.#informers.set(key, informer);
      if (this.#signal && !this.#signal.aborted) this.#run(informer, this.#signal);
    }
    return informer;
  }

  /** The cache of `kind` (read objects from it in reconcile instead of calling the API). */
  cache(kind: Kind): Indexer {
    return this.informer(kind).indexer;
  }

  /** Register a controller; its informers are created now so indexes can be added before start. */
  add(controller: Controller): this {
    this.#controllers.push(controller);
    for (const kind of controller.kinds) this.informer(kind);
    return this;
  }

  /** The controllers running in this process now (for metrics). */
  get running(): Controller[] {
    return [...this.#active];
  }

  /** Whether this process currently leads (always true without leader election). */
  get isLeader(): boolean {
    return this.#elector ? this.#elector.isLeader : Boolean(this.#signal && !this.#signal.aborted);
  }

  /** Run everything until `signal` aborts; resolves when all has stopped and the Lease is released. */
  async start(signal: AbortSignal): Promise<void> {
    if (this.#signal) throw new Error("manager already started");
    this.#signal = signal;
    // Caches run on every server, leader or not, so a new leader starts with warm caches.
    for (const informer of this.#informers.values()) this.#run(informer, signal);
    const running: Promise<void>[] = [];
    const startAll = (controllers: Controller[], s: AbortSignal) => {
      const started = controllers.map((c) => {
        this.#active.add(c);
        return c.start((kind) => this.informer(kind), s).catch(logError(c.name)).finally(() => this.#active.delete(c));
      });
      running.push(...started);
      return Promise.all(started).then(() => {});
    };
    startAll(this.#controllers.filter((c) => !c.needLeaderElection), signal);
    const elected = this.#controllers.filter((c) => c.needLeaderElection);
    const election = this.options.leaderElection;
    if (!election) {
      startAll(elected, signal);
    } else {
      const { client, ...options } = election;
      // A controller runs once, so each term of leadership runs fresh copies of the elected ones.
      this.#elector = new LeaderElector(client, {
        ...options,
        onStartedLeading: (leading) => startAll(elected.map((c) => c.copy()), leading),
      });
      running.push(this.#elector.run(signal));
    }
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener("abort", () => resolve(), { once: true });
    });
    await Promise.all(running);
    await Promise.all(this.#runs);
  }

  /**
   * Stop and forget the informer of `kind` (a custom resource no longer served); controllers should
   * `unwatch` it first.
   *
   * @example
   * ```ts
   * gc.unwatch(widgets);
   * manager.dropInformer(widgets);
   * ```
   */
  dropInformer(kind: Kind): void {
    const key = kindKey(kind);
    const informer = this.#informers.get(key);
    if (!informer) return;
    this.#informers.delete(key);
    this.#informerStops.get(informer)?.abort();
    this.#informerStops.delete(informer);
  }

  #run(informer: Informer, signal: AbortSignal): void {
    const stop = new AbortController();
    this.#informerStops.set(informer, stop);
    this.#runs.push(informer.run(AbortSignal.any([signal, stop.signal])).catch(logError("informer")));
  }
}

function logError(name: string): (error: unknown) => void {
  return (error) => console.error(`${name}:`, error);
}
