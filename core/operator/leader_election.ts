/**
 * Leader election on a `coordination.k8s.io/v1` Lease, as client-go does it: the leader renews the
 * Lease every retry period; others take it over once they have seen it unchanged for a whole lease
 * duration (by their own clock, so clock skew between servers does not matter), or at once when the
 * leader released it on a clean stop. Updates carry the resourceVersion, so two contenders cannot
 * both win.
 *
 * @module
 */
import { sleep } from "./informer.ts";
import type { Lease, LeaseClient } from "./source.ts";

/** Options of a {@linkcode LeaderElector}. */
export interface LeaderElectionOptions {
  namespace: string;
  name: string;
  /** Who we are (unique per server process). */
  identity: string;
  /** How long a Lease not renewed stays valid for others. Default 15 s. */
  leaseDurationMs?: number;
  /** How long the leader keeps trying to renew before it gives up leading. Default 10 s. */
  renewDeadlineMs?: number;
  /** How often to try to acquire or renew. Default 2 s. */
  retryPeriodMs?: number;
  /** Clear the Lease on a clean stop so another server takes over at once. Default true. */
  releaseOnStop?: boolean;
  /**
   * Called when we become leader; `signal` aborts when we stop leading. A returned promise is awaited
   * after that, before the Lease is released, so work stops before another server starts it.
   */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called when we stop leading (lost the Lease, or stopped). */
  onStoppedLeading?(): void;
  /** Acquire/renew errors, for logs. */
  onError?(error: unknown): void;
}

/** A Lease's MicroTime: RFC 3339 with microseconds. */
function microTime(date = new Date()): string {
  return date.toISOString().replace(/Z$/, "000Z");
}

/**
 * Contend for a Lease; while held, run what `onStartedLeading` starts.
 *
 * @example
 * ```ts
 * const elector = new LeaderElector(leases, {
 *   namespace: "kube-system", name: "k3s", identity: hostname,
 *   onStartedLeading: (signal) => startControllers(signal),
 * });
 * await elector.run(stop.signal); // resolves after stop, with the Lease released
 * ```
 */
export class LeaderElector {
  #leader = false;
  /** The last Lease spec we saw and when we first saw it, by our own clock. */
  #observed?: { record: string; at: number };
  #lease?: Lease;

  constructor(readonly client: LeaseClient, readonly options: LeaderElectionOptions) {}

  get isLeader(): boolean {
    return this.#leader;
  }

  /** The holder of the Lease as last observed. */
  get leader(): string | undefined {
    return this.#lease?.spec?.holderIdentity || undefined;
  }

  /** Contend, lead, and contend again after losing, until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const retry = this.options.retryPeriodMs ?? 2000;
    const renewDeadline = this.options.renewDeadlineMs ?? 10_000;
    while (!signal.aborted) {
      if (!(await this.#tryAcquireOrRenew())) {
        await sleep(retry, signal);
        continue;
      }
      this.#leader = true;
      const leading = new AbortController();
      let work: Promise<void>;
      try {
        work = Promise.resolve(this.options.onStartedLeading(leading.signal)).catch((e) => this.options.onError?.(e));
      } catch (error) {
        this.options.onError?.(error);
        work = Promise.resolve();
      }
      let lastRenew = performance.now();
      while (!signal.aborted) {
        await sleep(retry, signal);
        if (signal.aborted) break;
        if (await this.#tryAcquireOrRenew()) lastRenew = performance.now();
        // Give up before others may consider the Lease expired, so two leaders never overlap.
        else if (performance.now() - lastRenew > renewDeadline || this.#heldByOther()) break;
      }
      this.#leader = false;
      leading.abort();
      await work;
      this.options.onStoppedLeading?.();
      if (signal.aborted && (this.options.releaseOnStop ?? true)) await this.#release();
    }
  }

  #heldByOther(): boolean {
    const holder = this.#lease?.spec?.holderIdentity;
    return Boolean(holder) && holder !== this.options.identity;
  }

  async #tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name, identity } = this.options;
    const durationMs = this.options.leaseDurationMs ?? 15_000;
    const now = microTime();
    try {
      const current = await this.client.get(namespace, name);
      if (!current) {
        this.#lease = await this.client.create({
          apiVersion: "coordination.k8s.io/v1",
          kind: "Lease",
          metadata: { name, namespace },
          spec: {
            holderIdentity: identity,
            leaseDurationSeconds: Math.max(1, Math.ceil(durationMs / 1000)),
            acquireTime: now,
            renewTime: now,
            leaseTransitions: 0,
          },
        });
        this.#observe(this.#lease);
        return true;
      }
      this.#lease = current;
      this.#observe(current);
      const spec = current.spec ?? {};
      const mine = spec.holderIdentity === identity;
      if (!mine && spec.holderIdentity && performance.now() < this.#observed!.at + durationMs) return false;
      this.#lease = await this.client.update({
        ...current,
        spec: {
          ...spec,
          holderIdentity: identity,
          leaseDurationSeconds: Math.max(1, Math.ceil(durationMs / 1000)),
          acquireTime: mine ? spec.acquireTime : now,
          renewTime: now,
          leaseTransitions: (spec.leaseTransitions ?? 0) + (mine ? 0 : 1),
        },
      });
      this.#observe(this.#lease);
      return true;
    } catch (error) {
      this.options.onError?.(error);
      return false;
    }
  }

  #observe(lease: Lease): void {
    const record = JSON.stringify(lease.spec ?? {});
    if (this.#observed?.record !== record) this.#observed = { record, at: performance.now() };
  }

  async #release(): Promise<void> {
    const { namespace, name, identity } = this.options;
    try {
      const current = await this.client.get(namespace, name);
      if (!current || current.spec?.holderIdentity !== identity) return;
      const now = microTime();
      await this.client.update({
        ...current,
        spec: { ...current.spec, holderIdentity: "", leaseDurationSeconds: 1, renewTime: now, acquireTime: now },
      });
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}
