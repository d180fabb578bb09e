/**
 * One term of the scheduler: informer events keep the cache and the queue current, and a loop takes pods
 * from the queue one at a time, decides synchronously where each goes, assumes it there, and leaves the
 * binding to run behind (kube's scheduling cycle and binding cycle). A pod that fits nowhere gets a
 * `FailedScheduling` Event and `PodScheduled=False`, and waits in the queue for a change that could help.
 *
 * @module
 */
import { type Client, isNotFound } from "../../core/client/mod.ts";
import {
  type EventRecorder,
  eventRecorder,
  type Informer,
  type InformerProvider,
  type Kind,
  type KubeObject,
  type ReconcileMetrics,
  type ReconcileResult,
} from "../../core/operator/mod.ts";
import { Algorithm } from "./algorithm.ts";
import { ApiCalls } from "./api_calls.ts";
import { Cache } from "./cache.ts";
import { type ClusterEvent, mayHelp, nodeChange } from "./cluster_events.ts";
import { fitErrorMessage, NO_NODES_AVAILABLE, scheduledMessage, truncateMessage } from "./messages.ts";
import type { Node } from "./node_info.ts";
import {
  changedForScheduling,
  isTerminal,
  needsScheduling,
  type Pod,
  type PodCondition,
  podInfo,
  SCHEDULER_NAME,
} from "./pod_info.ts";
import { preemptionMessage } from "./preemption.ts";
import { DEFAULT_PROFILE } from "./profile.ts";
import { type QueuedPod, type QueueOptions, SchedulingQueue } from "./queue.ts";

const POD = { apiVersion: "v1", kind: "Pod" };
/** How long the loop may keep the event loop busy before it lets informers and API calls run. */
const TIME_SLICE_MS = 20;

/** What a term of the scheduler needs; the controller passes it through each leadership term. */
export interface SchedulerSetup {
  client: Client;
  kinds: { pods: Kind; nodes: Kind; namespaces: Kind };
  /** Kube's `percentageOfNodesToScore`; 0 (default) is adaptive. */
  percentageOfNodesToScore?: number;
  /** Bindings in flight at most. */
  bindConcurrency: number;
  queue?: QueueOptions;
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/** Let timers and I/O run (a resolved promise would not: it only yields to other microtasks). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function reference(pod: Pod): KubeObject {
  return { ...POD, metadata: pod.metadata };
}

/**
 * The scheduler for one leadership term: build it, `run` it until the term ends.
 *
 * @example
 * ```ts
 * const scheduler = new Scheduler(setup, (kind) => manager.informer(kind), controller.metrics);
 * await scheduler.run(signal);
 * ```
 */
export class Scheduler {
  readonly cache: Cache;
  readonly queue: SchedulingQueue;
  readonly #algorithm: Algorithm;
  readonly #calls: ApiCalls;
  readonly #events: EventRecorder;
  readonly #pods: Informer;
  readonly #nodes: Informer;
  readonly #namespaces: Informer;

  constructor(readonly setup: SchedulerSetup, informers: InformerProvider, readonly metrics?: ReconcileMetrics) {
    this.#pods = informers(setup.kinds.pods);
    this.#nodes = informers(setup.kinds.nodes);
    this.#namespaces = informers(setup.kinds.namespaces);
    this.cache = new Cache((ns) => this.#namespaces.indexer.get(ns)?.metadata?.labels);
    this.queue = new SchedulingQueue(setup.queue);
    this.#algorithm = new Algorithm(DEFAULT_PROFILE, { percentageOfNodesToScore: setup.percentageOfNodesToScore });
    const report = (error: unknown) => console.error(`${SCHEDULER_NAME}:`, error);
    this.#calls = new ApiCalls(setup.bindConcurrency, report);
    this.#events = eventRecorder(setup.client, SCHEDULER_NAME, { onError: report });
  }

  /** Schedule until `signal` aborts; resolves once in-flight API calls are done. */
  async run(signal: AbortSignal): Promise<void> {
    const unsubscribe = [
      this.#nodes.addHandler({
        add: (node) => this.#nodeAdded(node as Node),
        update: (old, node) => this.#nodeUpdated(old as Node, node as Node),
        delete: (node) => this.cache.removeNode((node as Node).metadata.name),
      }),
      this.#pods.addHandler({
        add: (pod) => this.#podChanged(undefined, pod as Pod),
        update: (old, pod) => this.#podChanged(old as Pod, pod as Pod),
        delete: (pod) => this.#podDeleted(pod as Pod),
      }),
    ];
    const stop = () => this.queue.close();
    signal.addEventListener("abort", stop, { once: true });
    try {
      const informers = [this.#pods, this.#nodes, this.#namespaces];
      await Promise.race([Promise.all(informers.map((i) => i.synced)), aborted(signal)]);
      if (signal.aborted) return;
      this.queue.run();
      await this.#loop();
    } finally {
      signal.removeEventListener("abort", stop);
      for (const u of unsubscribe) u();
      this.queue.close();
      await this.#calls.drain();
      await this.#events.flush();
    }
  }

  async #loop(): Promise<void> {
    let slice = performance.now();
    while (true) {
      const queued = await this.queue.pop();
      if (!queued) return;
      const started = performance.now();
      const result = this.#scheduleOne(queued);
      this.metrics?.observe((performance.now() - started) / 1000, result);
      await this.#calls.ready();
      if (performance.now() - slice > TIME_SLICE_MS) {
        await yieldToEventLoop();
        slice = performance.now();
      }
    }
  }

  /** One scheduling cycle; how it went, in the controller metrics' terms. */
  #scheduleOne(queued: QueuedPod): ReconcileResult {
    const info = queued.info;
    // Assumed already (an update re-queued it while its binding is in flight), or going away.
    if (this.cache.isAssumed(info.uid) || info.terminating) return "success";
    const decision = this.#algorithm.schedule(info, this.cache);
    if (decision.kind === "scheduled") {
      this.cache.assume(info, decision.node);
      this.#bind(queued, decision.node);
      return "success";
    }
    if (decision.kind === "noNodes") {
      this.queue.requeue(queued, new Set());
      this.#reportFailure(info.pod, "Unschedulable", NO_NODES_AVAILABLE);
      return "requeue";
    }
    const postFilter = preemptionMessage(info, decision.diagnosis, this.cache, decision.filter);
    this.queue.requeue(queued, decision.diagnosis.unschedulablePlugins);
    this.#reportFailure(
      info.pod,
      "Unschedulable",
      fitErrorMessage(decision.numAllNodes, decision.diagnosis, postFilter),
    );
    return "requeue";
  }

  #bind(queued: QueuedPod, node: string): void {
    const { namespace, name, uid } = queued.info.pod.metadata;
    this.#calls.start(async () => {
      try {
        // The uid, as kube's DefaultBinder sends it: the API server must not bind a namesake created meanwhile.
        await this.setup.client.createSubresource(POD, namespace, name, "binding", {
          apiVersion: "v1",
          kind: "Binding",
          metadata: { name, namespace, uid },
          target: { apiVersion: "v1", kind: "Node", name: node },
        });
      } catch (error) {
        this.#bindFailed(queued, error);
        return;
      }
      this.#events.event(reference(queued.info.pod), "Normal", "Scheduled", scheduledMessage(namespace, name, node));
    });
  }

  /** Kube's binding-cycle failure: forget the assumption, retry after a back-off if the pod still waits. */
  #bindFailed(queued: QueuedPod, error: unknown): void {
    const forgotten = this.cache.forget(queued.info.uid);
    // The space the pod held is free again for others.
    if (forgotten) this.#clusterEvent({ kind: "AssignedPodDelete", pod: forgotten });
    const current = this.#pods.indexer.get(queued.info.key) as Pod | undefined;
    if (!current || current.metadata.uid !== queued.info.uid || isNotFound(error)) return;
    const message = error instanceof Error ? error.message : String(error);
    if (current.spec.nodeName) {
      this.#events.event(reference(current), "Warning", "FailedScheduling", truncateMessage(message));
      return;
    }
    if (needsScheduling(current)) this.queue.requeue(queued, new Set());
    this.#reportFailure(current, "SchedulerError", message);
  }

  /** The `FailedScheduling` Event and the `PodScheduled=False` condition, as kube reports a failed attempt. */
  #reportFailure(pod: Pod, reason: "Unschedulable" | "SchedulerError", message: string): void {
    this.#events.event(reference(pod), "Warning", "FailedScheduling", truncateMessage(message));
    const old = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
    if (old?.status === "False" && old.reason === reason && old.message === message) return;
    const condition: PodCondition = {
      type: "PodScheduled",
      status: "False",
      lastProbeTime: null,
      lastTransitionTime: old?.status === "False" && old.lastTransitionTime
        ? old.lastTransitionTime
        : new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      reason,
      message,
    };
    const { namespace, name } = pod.metadata;
    this.#calls.start(async () => {
      try {
        await this.setup.client.patch(POD, namespace, name, "strategic", { status: { conditions: [condition] } }, {
          subresource: "status",
        });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    });
  }

  #nodeAdded(node: Node): void {
    this.cache.setNode(node);
    const info = this.cache.get(node.metadata.name);
    if (info) this.#clusterEvent({ kind: "NodeAdd", node: info });
  }

  #nodeUpdated(old: Node, node: Node): void {
    this.cache.setNode(node);
    const change = nodeChange(old, node);
    const info = this.cache.get(node.metadata.name);
    if (change && info) this.#clusterEvent({ kind: "NodeUpdate", node: info, change });
  }

  #podChanged(old: Pod | undefined, pod: Pod): void {
    const uid = pod.metadata.uid;
    if (!pod.spec.nodeName) {
      if (needsScheduling(pod) && !this.cache.isAssumed(uid)) {
        this.queue.add(podInfo(pod), !old || changedForScheduling(old, pod));
      } else {
        this.queue.delete(uid);
      }
      return;
    }
    this.queue.delete(uid);
    if (isTerminal(pod)) {
      // A finished pod holds nothing on its node any more.
      this.#podDeleted(pod);
      return;
    }
    const info = podInfo(pod);
    this.cache.addPod(info);
    if (!old?.spec.nodeName) this.#clusterEvent({ kind: "AssignedPodAdd", pod: info });
    // A placed pod's labels are what other pods' affinity and spreading see of it; its status is nobody's concern.
    else if (JSON.stringify(old.metadata.labels) !== JSON.stringify(pod.metadata.labels)) {
      this.#clusterEvent({ kind: "AssignedPodUpdate", pod: info });
    }
  }

  #podDeleted(pod: Pod): void {
    this.queue.delete(pod.metadata.uid);
    const removed = this.cache.removePod(pod.metadata.uid);
    if (removed) this.#clusterEvent({ kind: "AssignedPodDelete", pod: removed });
  }

  #clusterEvent(event: ClusterEvent): void {
    this.queue.moveAll((queued) => mayHelp(event, queued.info, queued.unschedulablePlugins));
  }
}
