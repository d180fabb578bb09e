/**
 * kube-scheduler as a leader-elected controller named `default-scheduler`. It places pods whose
 * `spec.nodeName` is empty and whose `spec.schedulerName` is `default-scheduler` (or empty) on nodes, through
 * the `pods/binding` subresource.
 *
 * The scheduler does not reconcile keys: its queue orders pods by priority and holds unschedulable ones until
 * the cluster changes, and its cache must follow informer events as they happen. So its Controller keeps
 * the framework's declaration — the kinds it needs informers for, leader election, metrics — and overrides
 * `start` to run the scheduling loop; each leadership term starts a fresh scheduler with an empty cache.
 *
 * @module
 */
import type { Client } from "../../core/client/mod.ts";
import { Controller, type ControllerOptions, type InformerProvider, type Manager } from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";
import { SCHEDULER_NAME } from "./pod_info.ts";
import type { QueueOptions } from "./queue.ts";
import { Scheduler, type SchedulerSetup } from "./scheduler.ts";

/** Options of {@linkcode schedulerController}. */
export interface SchedulerOptions {
  /** Kube's `percentageOfNodesToScore`: the share of nodes a cycle looks for feasible ones in; 0 is adaptive. */
  percentageOfNodesToScore?: number;
  /** Bindings in flight at most (default 32). */
  bindConcurrency?: number;
  /** Back-off and unschedulable timeouts of the queue (kube's defaults: 1 s, 10 s, 5 min). */
  queue?: QueueOptions;
}

const DEFAULT_BIND_CONCURRENCY = 32;

/** The controller options the scheduler's setup travels in, so the manager's fresh copy per term has it too. */
interface SchedulerControllerOptions extends ControllerOptions {
  scheduler: SchedulerSetup;
}

/** A Controller whose work is the scheduling loop rather than reconciles. */
class SchedulerController extends Controller {
  override async start(informers: InformerProvider, signal: AbortSignal): Promise<void> {
    const { scheduler } = this.options as SchedulerControllerOptions;
    await new Scheduler(scheduler, informers, this.metrics).run(signal);
  }
}

/**
 * The scheduler, for `startServer`'s `controllers` or a manager.
 *
 * @example
 * ```ts
 * manager.add(schedulerController({ client, registry, manager }));
 * ```
 */
export function schedulerController(
  deps: { client: Client; registry: Registry; manager: Manager },
  options: SchedulerOptions = {},
): Controller {
  const { client, registry } = deps;
  const pods = registry.resolve("", "v1", "pods")!;
  const nodes = registry.resolve("", "v1", "nodes")!;
  const namespaces = registry.resolve("", "v1", "namespaces")!;
  const setup: SchedulerSetup = {
    client,
    kinds: { pods, nodes, namespaces },
    percentageOfNodesToScore: options.percentageOfNodesToScore,
    bindConcurrency: options.bindConcurrency ?? DEFAULT_BIND_CONCURRENCY,
    queue: options.queue,
  };
  // The watches only declare which informers the manager must run: the scheduler subscribes to them itself,
  // and its loop, not a reconcile function, does the work.
  const watches = [pods, nodes, namespaces].map((kind) => ({ kind, map: () => [] }));
  const noReconcile = () => {};
  const controllerOptions: SchedulerControllerOptions = { scheduler: setup };
  return new SchedulerController(SCHEDULER_NAME, pods, watches, noReconcile, controllerOptions);
}
