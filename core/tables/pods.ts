/**
 * Pods and PodTemplates. The pod STATUS cell is the one users read most, so it follows kube's
 * printer step by step: the phase or status reason, then the first unfinished init container
 * (`Init:0/1`, `Init:CrashLoopBackOff`), then the last container's waiting/terminated reason,
 * then deletion (`Terminating`).
 *
 * @module
 */

import {
  ageColumn,
  column,
  containerCells,
  CONTAINERS_DESCRIPTION,
  formatLabels,
  humanDuration,
  IMAGES_DESCRIPTION,
  int,
  list,
  meta,
  nameColumn,
  type Obj,
  parseTime,
  type Printers,
  rec,
  since,
  str,
  type TableRowCondition,
  wide,
} from "./format.ts";

/** Sidecars are init containers with `restartPolicy: Always`; they count towards READY. */
function isRestartable(container: Obj | undefined): boolean {
  return str(container?.restartPolicy) === "Always";
}

/** Present-and-object, the JSON reading of Go's non-nil pointer. */
function present(value: unknown): Obj | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value as Obj : undefined;
}

function hasCondition(status: Obj, type: string): boolean | undefined {
  for (const raw of list(status.conditions)) {
    const c = rec(raw);
    if (str(c.type) === type) return str(c.status) === "True";
  }
  return undefined;
}

/** Ready when any condition of type Ready is True (kube scans them all, not just the first). */
function hasPodReadyCondition(status: Obj): boolean {
  return list(status.conditions).some((raw) => str(rec(raw).type) === "Ready" && str(rec(raw).status) === "True");
}

/** Later of the running latest-restart time and this container's last termination. */
function laterRestart(current: number | undefined, containerStatus: Obj): number | undefined {
  const terminated = present(rec(containerStatus.lastState).terminated);
  if (!terminated) return current;
  const finished = parseTime(terminated.finishedAt);
  if (finished === undefined) return current;
  return current === undefined || current < finished ? finished : current;
}

/** The reason a terminated container without a reason gets: its signal, else its exit code. */
function exitDescription(terminated: Obj): string {
  const signal = int(terminated.signal);
  return signal !== 0 ? `Signal:${signal}` : `ExitCode:${int(terminated.exitCode)}`;
}

/** READY, STATUS and RESTARTS of a pod, as kube computes them together. */
export interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

/**
 * The READY / STATUS / RESTARTS cells of a pod.
 *
 * @example podSummary(crashingPod, now) // { ready: "0/1", status: "CrashLoopBackOff", restarts: "5 (2m ago)" }
 */
export function podSummary(pod: Obj, now: Date): PodSummary {
  const spec = rec(pod.spec);
  const status = rec(pod.status);
  const phase = str(status.phase);
  let reason = str(status.reason) || phase;

  if (
    list(status.conditions).some((c) => str(rec(c).type) === "PodScheduled" && str(rec(c).reason) === "SchedulingGated")
  ) {
    reason = "SchedulingGated";
  }

  const initContainers = list(spec.initContainers).map(rec);
  const initByName = new Map(initContainers.map((c) => [str(c.name), c]));
  const total = list(spec.containers).length + initContainers.filter(isRestartable).length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;

  let initializing = false;
  const initStatuses = list(status.initContainerStatuses).map(rec);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    restarts += int(cs.restartCount);
    lastRestart = laterRestart(lastRestart, cs);
    const sidecar = isRestartable(initByName.get(str(cs.name)));
    if (sidecar) {
      sidecarRestarts += int(cs.restartCount);
      lastSidecarRestart = laterRestart(lastSidecarRestart, cs);
    }
    const state = rec(cs.state);
    const terminated = present(state.terminated);
    const waiting = present(state.waiting);
    if (terminated && int(terminated.exitCode) === 0) continue;
    if (sidecar && cs.started === true) {
      if (cs.ready === true) ready++;
      continue;
    }
    if (terminated) {
      reason = str(terminated.reason) ? `Init:${str(terminated.reason)}` : `Init:${exitDescription(terminated)}`;
    } else if (waiting && str(waiting.reason) && str(waiting.reason) !== "PodInitializing") {
      reason = `Init:${str(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(status, "Initialized") === true) {
    // Once initialized, only sidecars' restarts still matter among the init containers.
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = list(status.containerStatuses).map(rec);
    // Walked backwards so the first container's reason wins.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += int(cs.restartCount);
      lastRestart = laterRestart(lastRestart, cs);
      const state = rec(cs.state);
      const waiting = present(state.waiting);
      const terminated = present(state.terminated);
      if (waiting && str(waiting.reason)) reason = str(waiting.reason);
      else if (terminated && str(terminated.reason)) reason = str(terminated.reason);
      else if (terminated) reason = exitDescription(terminated);
      else if (cs.ready === true && present(state.running)) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === "Completed" && hasRunning) reason = hasPodReadyCondition(status) ? "Running" : "NotReady";
  }

  const deleting = meta(pod).deletionTimestamp !== undefined && meta(pod).deletionTimestamp !== null;
  if (deleting && str(status.reason) === "NodeLost") reason = "Unknown";
  else if (deleting && phase !== "Failed" && phase !== "Succeeded") reason = "Terminating";

  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) {
    restartsText = `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)`;
  }
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsText };
}

function readinessGates(pod: Obj): string {
  const gates = list(rec(pod.spec).readinessGates).map(rec);
  if (gates.length === 0) return "<none>";
  const conditions = list(rec(pod.status).conditions).map(rec);
  let satisfied = 0;
  for (const gate of gates) {
    const condition = conditions.find((c) => str(c.type) === str(gate.conditionType));
    if (condition && str(condition.status) === "True") satisfied++;
  }
  return `${satisfied}/${gates.length}`;
}

function podIP(status: Obj): string {
  // v1 objects may carry only podIP; kube's conversion fills podIPs from it.
  return str(rec(list(status.podIPs)[0]).ip) || str(status.podIP);
}

function podConditions(pod: Obj): TableRowCondition[] | undefined {
  const phase = str(rec(pod.status).phase);
  if (phase === "Succeeded") {
    return [{ type: "Completed", status: "True", reason: "Succeeded", message: "The pod has completed successfully." }];
  }
  if (phase === "Failed") return [{ type: "Completed", status: "True", reason: "Failed", message: "The pod failed." }];
  return undefined;
}

/** Printers for Pod and PodTemplate. */
export const podPrinters: Printers = {
  "/Pod": {
    columns: [
      nameColumn(),
      column("Ready", "The aggregate readiness state of this pod for accepting traffic."),
      column("Status", "The aggregate status of the containers in this pod."),
      column(
        "Restarts",
        "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
      ),
      ageColumn(),
      wide(
        "IP",
        "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.",
      ),
      wide("Node", "NodeName indicates in which node this pod is scheduled."),
      wide(
        "Nominated Node",
        "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.",
      ),
      wide(
        "Readiness Gates",
        'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True"',
      ),
    ],
    cells(pod, now) {
      const summary = podSummary(pod, now);
      const status = rec(pod.status);
      return [
        str(meta(pod).name),
        summary.ready,
        summary.status,
        summary.restarts,
        since(meta(pod).creationTimestamp, now),
        podIP(status) || "<none>",
        str(rec(pod.spec).nodeName) || "<none>",
        str(status.nominatedNodeName) || "<none>",
        readinessGates(pod),
      ];
    },
    conditions: podConditions,
  },
  "/PodTemplate": {
    columns: [
      nameColumn(),
      column("Containers", CONTAINERS_DESCRIPTION),
      column("Images", IMAGES_DESCRIPTION),
      column("Pod Labels", "The labels for the pod template."),
    ],
    cells(obj) {
      const template = rec(obj.template);
      const [names, images] = containerCells(template.spec);
      return [str(meta(obj).name), names, images, formatLabels(rec(template.metadata).labels)];
    },
  },
};
