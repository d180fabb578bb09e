/**
 * The taints the node lifecycle controller owns. `TaintNodesByCondition`: a NoSchedule taint per adverse
 * condition and for `spec.unschedulable` (`kubectl cordon`), so the scheduler keeps new pods away.
 * `TaintBasedEvictions`: a NoExecute `not-ready` or `unreachable` taint mirroring the Ready condition, which
 * the taint eviction controller acts on. Taints anyone else set are left alone.
 *
 * @module
 */
import type { Taint } from "../scheduler/node_fit.ts";
import { type Node, type NodeCondition, nodeCondition } from "./node.ts";
import { metaTime } from "./time.ts";

/** kube's well-known node taint keys. */
export const TAINT_NOT_READY = "node.kubernetes.io/not-ready";
export const TAINT_UNREACHABLE = "node.kubernetes.io/unreachable";
export const TAINT_UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
export const TAINT_MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure";
export const TAINT_DISK_PRESSURE = "node.kubernetes.io/disk-pressure";
export const TAINT_PID_PRESSURE = "node.kubernetes.io/pid-pressure";
export const TAINT_NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable";

/** kube's `nodeConditionToTaintKeyStatusMap`: condition type → status → taint key. */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: TAINT_MEMORY_PRESSURE },
  DiskPressure: { True: TAINT_DISK_PRESSURE },
  NetworkUnavailable: { True: TAINT_NETWORK_UNAVAILABLE },
  PIDPressure: { True: TAINT_PID_PRESSURE },
};

const NO_SCHEDULE_KEYS = new Set([
  ...Object.values(CONDITION_TAINTS).flatMap((byStatus) => Object.values(byStatus)),
  TAINT_UNSCHEDULABLE,
]);
const NO_EXECUTE_KEYS = new Set([TAINT_NOT_READY, TAINT_UNREACHABLE]);

/**
 * The NoSchedule taint keys a node's conditions and `spec.unschedulable` call for. A node that has not
 * reported Ready at all yet counts as not ready, as kube-apiserver's NodeTaint admission has it when the node
 * registers, so nothing is scheduled there before its kubelet says it can run pods.
 *
 * @example
 * ```ts
 * noScheduleTaintKeys({ metadata: { name: "n" }, spec: { unschedulable: true } });
 * // Set { "node.kubernetes.io/not-ready", "node.kubernetes.io/unschedulable" }
 * ```
 */
export function noScheduleTaintKeys(node: Node): Set<string> {
  const keys = new Set<string>();
  for (const condition of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[condition.type]?.[condition.status];
    if (key) keys.add(key);
  }
  if (!nodeCondition(node.status, "Ready")) keys.add(TAINT_NOT_READY);
  if (node.spec?.unschedulable) keys.add(TAINT_UNSCHEDULABLE);
  return keys;
}

/** Whether new NoExecute taints may be added now, and whether evictions are stopped outright. */
export interface EvictionPolicy {
  /** The node's zone is not in a disruption that halts tainting. */
  mayTaint: boolean;
  /** Every zone is fully disrupted: the control plane, not the nodes, is the likely culprit. */
  stopped: boolean;
}

/**
 * The NoExecute taint key the Ready condition calls for (kube's `processTaintBaseEviction` and
 * `doNoExecuteTaintingPass`): `null` for none, `undefined` to leave the node's as they are. Swapping
 * `not-ready` for `unreachable` (or back) is always allowed; adding one only when `mayTaint`.
 *
 * @example
 * ```ts
 * noExecuteTaintKey({ type: "Ready", status: "Unknown" }, [], { mayTaint: true, stopped: false }); // TAINT_UNREACHABLE
 * ```
 */
export function noExecuteTaintKey(
  ready: NodeCondition | undefined,
  taints: readonly Taint[],
  policy: EvictionPolicy,
): string | null | undefined {
  if (!ready) return undefined;
  if (policy.stopped || ready.status === "True") return null;
  const wanted = ready.status === "False" ? TAINT_NOT_READY : TAINT_UNREACHABLE;
  const has = (key: string) => taints.some((t) => t.effect === "NoExecute" && t.key === key);
  if (has(wanted) || policy.mayTaint) return wanted;
  return has(wanted === TAINT_NOT_READY ? TAINT_UNREACHABLE : TAINT_NOT_READY) ? wanted : undefined;
}

/**
 * The node's taints with the controller's own set to `noSchedule` and `noExecute` (see
 * {@linkcode noExecuteTaintKey}); taints it adds carry `timeAdded`, ones it keeps keep theirs. Returns
 * `undefined` when nothing changes.
 *
 * @example
 * ```ts
 * const taints = withControllerTaints(node.spec?.taints ?? [], noScheduleTaintKeys(node), TAINT_UNREACHABLE, Date.now());
 * if (taints) await patchTaints(node, taints);
 * ```
 */
export function withControllerTaints(
  taints: readonly Taint[],
  noSchedule: ReadonlySet<string>,
  noExecute: string | null | undefined,
  now: number,
): Taint[] | undefined {
  const kept = taints.filter((t) => {
    if (t.effect === "NoSchedule" && NO_SCHEDULE_KEYS.has(t.key)) return noSchedule.has(t.key);
    if (t.effect === "NoExecute" && NO_EXECUTE_KEYS.has(t.key) && noExecute !== undefined) return t.key === noExecute;
    return true;
  });
  const has = (key: string, effect: string) => kept.some((t) => t.key === key && t.effect === effect);
  const timeAdded = metaTime(now);
  const added: Taint[] = [...noSchedule]
    .filter((key) => !has(key, "NoSchedule"))
    .map((key) => ({ key, effect: "NoSchedule", timeAdded }));
  if (noExecute && !has(noExecute, "NoExecute")) added.push({ key: noExecute, effect: "NoExecute", timeAdded });
  if (added.length === 0 && kept.length === taints.length) return undefined;
  return [...kept, ...added];
}
