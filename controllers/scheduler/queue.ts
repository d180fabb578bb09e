/**
 * Kube's scheduling queue: pods wait in one of three places.
 *
 * - *active*: ready to be tried, highest `spec.priority` first, then the longest waiting;
 * - *backoff*: tried and failed, waiting out a back-off of 1 s doubling per attempt up to 10 s;
 * - *unschedulable*: rejected by some plugins, waiting for a cluster change that could help them (a node
 *   added, a pod deleted, …), or at the latest `podMaxInUnschedulablePodsDuration` (5 min).
 *
 * A pod that failed for no plugin's reason (an API error, no nodes at all) goes to *backoff* directly.
 *
 * @module
 */
import { Heap } from "./heap.ts";
import type { PodInfo } from "./pod_info.ts";

/** Kube's `DefaultPodInitialBackoffDuration`. */
const INITIAL_BACKOFF_MS = 1_000;
/** Kube's `DefaultPodMaxBackoffDuration`. */
const MAX_BACKOFF_MS = 10_000;
/** Kube's `DefaultPodMaxInUnschedulablePodsDuration`. */
const MAX_IN_UNSCHEDULABLE_MS = 5 * 60_000;
/** How often kube looks for pods that waited too long among the unschedulable ones. */
const UNSCHEDULABLE_FLUSH_INTERVAL_MS = 30_000;

/** A pod in the queue, with its scheduling history. */
export interface QueuedPod {
  info: PodInfo;
  /** When it last (re-)entered the queue; orders pods of equal priority. */
  timestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** The plugins that rejected it on its last attempt. */
  unschedulablePlugins: ReadonlySet<string>;
  /** Tie-break for equal timestamps: arrival order. */
  readonly seq: number;
}

/** Options of a {@linkcode SchedulingQueue}; the durations are kube's defaults unless given. */
export interface QueueOptions {
  now?: () => number;
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  podMaxInUnschedulablePodsMs?: number;
}

type Place = "active" | "backoff" | "unschedulable";

/**
 * The scheduling queue.
 *
 * @example
 * ```ts
 * const queue = new SchedulingQueue();
 * queue.add(podInfo(pod));
 * const next = await queue.pop(); // the highest-priority, longest-waiting pod
 * queue.requeue(next!, new Set(["NodeResourcesFit"])); // unschedulable until a helpful change
 * queue.moveAll((q) => q.unschedulablePlugins.has("NodeResourcesFit")); // a pod was deleted
 * ```
 */
export class SchedulingQueue {
  readonly #active = new Heap<QueuedPod>((a, b) =>
    a.info.priority !== b.info.priority
      ? a.info.priority > b.info.priority
      : a.timestamp !== b.timestamp
      ? a.timestamp < b.timestamp
      : a.seq < b.seq
  );
  readonly #backoff = new Heap<QueuedPod>((a, b) => this.#backoffExpiry(a) < this.#backoffExpiry(b));
  readonly #unschedulable = new Map<string, QueuedPod>();
  /** Every queued pod by uid, with where it waits. */
  readonly #where = new Map<string, { pod: QueuedPod; place: Place }>();
  readonly #waiters: ((pod: QueuedPod | undefined) => void)[] = [];
  readonly #now: () => number;
  readonly #initialBackoff: number;
  readonly #maxBackoff: number;
  readonly #maxInUnschedulable: number;
  #backoffTimer?: { at: number; timer: ReturnType<typeof setTimeout> };
  #flushTimer?: ReturnType<typeof setInterval>;
  #seq = 0;
  #closed = false;

  constructor(options: QueueOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#initialBackoff = options.podInitialBackoffMs ?? INITIAL_BACKOFF_MS;
    this.#maxBackoff = options.podMaxBackoffMs ?? MAX_BACKOFF_MS;
    this.#maxInUnschedulable = options.podMaxInUnschedulablePodsMs ?? MAX_IN_UNSCHEDULABLE_MS;
  }

  /** Start the periodic flush of pods that waited too long as unschedulable. */
  run(): void {
    this.#flushTimer ??= setInterval(
      () => this.moveAll((q) => this.#now() - q.timestamp >= this.#maxInUnschedulable),
      Math.min(UNSCHEDULABLE_FLUSH_INTERVAL_MS, this.#maxInUnschedulable),
    );
  }

  /** A pod that needs scheduling appeared, or changed: queue it, or refresh what the queue holds of it. */
  add(info: PodInfo, changed = true): void {
    if (this.#closed) return;
    const known = this.#where.get(info.uid);
    if (!known) {
      this.#toActive({ info, timestamp: this.#now(), attempts: 0, unschedulablePlugins: new Set(), seq: this.#seq++ });
      return;
    }
    known.pod.info = info;
    // An unschedulable pod may fit after a change to itself (a new toleration, a removed gate).
    if (known.place === "unschedulable" && changed) this.#release(known.pod);
  }

  /** Forget a pod (deleted, bound, or no longer this scheduler's). */
  delete(uid: string): void {
    const known = this.#where.get(uid);
    if (!known) return;
    this.#where.delete(uid);
    if (known.place === "active") this.#active.remove(known.pod);
    else if (known.place === "backoff") this.#backoff.remove(known.pod);
    else this.#unschedulable.delete(uid);
  }

  /** The next pod to try (counting the attempt); waits for one; undefined once closed. */
  pop(): Promise<QueuedPod | undefined> {
    if (this.#closed) return Promise.resolve(undefined);
    const pod = this.#active.pop();
    if (!pod) return new Promise((resolve) => this.#waiters.push(resolve));
    return Promise.resolve(this.#taken(pod));
  }

  /**
   * Put a pod back after a failed attempt: unschedulable when plugins rejected it, to back off when nothing
   * in particular did (an error, no nodes).
   */
  requeue(pod: QueuedPod, unschedulablePlugins: ReadonlySet<string>): void {
    if (this.#closed || this.#where.has(pod.info.uid)) return;
    pod.timestamp = this.#now();
    pod.unschedulablePlugins = unschedulablePlugins;
    if (unschedulablePlugins.size === 0) this.#toBackoff(pod);
    else {
      this.#unschedulable.set(pod.info.uid, pod);
      this.#where.set(pod.info.uid, { pod, place: "unschedulable" });
    }
  }

  /** A cluster change: unschedulable pods it may help go back to be tried (after their back-off). */
  moveAll(mayHelp: (pod: QueuedPod) => boolean): void {
    for (const pod of [...this.#unschedulable.values()]) if (mayHelp(pod)) this.#release(pod);
  }

  /** How many pods wait where. */
  get counts(): Record<Place, number> {
    return { active: this.#active.size, backoff: this.#backoff.size, unschedulable: this.#unschedulable.size };
  }

  /** Stop: pending and future pops resolve to undefined, timers stop. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#flushTimer);
    clearTimeout(this.#backoffTimer?.timer);
    for (const waiter of this.#waiters.splice(0)) waiter(undefined);
  }

  #taken(pod: QueuedPod): QueuedPod {
    this.#where.delete(pod.info.uid);
    pod.attempts++;
    return pod;
  }

  #release(pod: QueuedPod): void {
    this.#unschedulable.delete(pod.info.uid);
    this.#where.delete(pod.info.uid);
    if (this.#backoffExpiry(pod) > this.#now()) this.#toBackoff(pod);
    else this.#toActive(pod);
  }

  #toActive(pod: QueuedPod): void {
    const waiter = this.#waiters.shift();
    if (waiter) return waiter(this.#taken(pod));
    this.#active.push(pod);
    this.#where.set(pod.info.uid, { pod, place: "active" });
  }

  #toBackoff(pod: QueuedPod): void {
    this.#backoff.push(pod);
    this.#where.set(pod.info.uid, { pod, place: "backoff" });
    this.#armBackoffTimer();
  }

  /** Kube's back-off: the initial duration doubled per further attempt, capped. */
  #backoffExpiry(pod: QueuedPod): number {
    let duration = this.#initialBackoff;
    for (let i = 1; i < pod.attempts && duration < this.#maxBackoff; i++) duration *= 2;
    return pod.timestamp + Math.min(duration, this.#maxBackoff);
  }

  #armBackoffTimer(): void {
    const next = this.#backoff.peek();
    if (!next || this.#closed) return;
    const at = this.#backoffExpiry(next);
    if (this.#backoffTimer && this.#backoffTimer.at <= at) return;
    clearTimeout(this.#backoffTimer?.timer);
    const timer = setTimeout(() => {
      this.#backoffTimer = undefined;
      this.#flushBackoff();
    }, Math.max(0, at - this.#now()));
    this.#backoffTimer = { at, timer };
  }

  #flushBackoff(): void {
    const now = this.#now();
    for (let pod = this.#backoff.peek(); pod && this.#backoffExpiry(pod) <= now; pod = this.#backoff.peek()) {
      this.#backoff.pop();
      this.#where.delete(pod.info.uid);
      this.#toActive(pod);
    }
    this.#armBackoffTimer();
  }
}
