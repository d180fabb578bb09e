/**
 * The pod status a kubelet writes, computed from what the pod's containers are doing: the phase by the
 * kubelet's `getPhase` rules (restart policy, init containers, sidecars), the kubelet-owned conditions
 * (`PodReadyToStartContainers`, `Initialized`, `Ready`, `ContainersReady`, `PodScheduled`) with their
 * transition times kept while unchanged, container statuses, host and pod IPs, and the start time.
 * Pure functions: the real node agent and the node simulator feed them what their runtime observed.
 *
 * @module
 */

/** A container's state, as `v1.ContainerState`: exactly one of the three is set. */
export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: {
    exitCode: number;
    signal?: number;
    reason?: string;
    message?: string;
    startedAt?: string;
    finishedAt?: string;
    containerID?: string;
  };
}

/** `v1.ContainerStatus`, as the kubelet fills it. */
export interface ContainerStatus {
  name: string;
  state: ContainerState;
  lastState: ContainerState;
  ready: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
  started: boolean;
}

/** `v1.PodCondition`. */
export interface PodCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** `v1.PodStatus`: the fields a kubelet writes (and keeps). */
export interface PodStatus {
  phase?: string;
  conditions?: PodCondition[];
  message?: string;
  reason?: string;
  hostIP?: string;
  hostIPs?: { ip: string }[];
  podIP?: string;
  podIPs?: { ip: string }[];
  startTime?: string;
  initContainerStatuses?: ContainerStatus[];
  containerStatuses?: ContainerStatus[];
  qosClass?: string;
  [field: string]: unknown;
}

/** The container fields the status reads. */
export interface ContainerSpec {
  name: string;
  image?: string;
  /** `Always` on an init container makes it a sidecar (a restartable init container). */
  restartPolicy?: string;
}

/** The pod fields the status reads. */
export interface StatusPod {
  spec: {
    containers: ContainerSpec[];
    initContainers?: ContainerSpec[];
    restartPolicy?: string;
    readinessGates?: { conditionType: string }[];
  };
  status?: PodStatus;
}

/** What the runtime says about one container; anything left out is taken from the spec or the last status. */
export interface ContainerObservation {
  name: string;
  state: ContainerState;
  lastState?: ContainerState;
  /** Readiness (probes passed); only a running container can be ready. */
  ready?: boolean;
  /** Startup finished (startup probe passed); defaults to "is running". */
  started?: boolean;
  restartCount?: number;
  containerID?: string;
  imageID?: string;
  /** The image as the runtime resolved it; defaults to the spec's. */
  image?: string;
}

/** Everything the node observed about a pod. */
export interface PodObservation {
  /** Init and regular containers the runtime knows; a spec container missing here is still being created. */
  containers: ContainerObservation[];
  /** The sandbox exists with its network set up. */
  sandboxReady: boolean;
  /** The node's IPs (first is primary). */
  hostIPs: string[];
  /** The pod's IPs (first is primary); the host's for host-network pods. */
  podIPs: string[];
  /** The pod will not run again (it is being deleted or was evicted), so its phase must become terminal. */
  terminal?: boolean;
}

/** The waiting reason of a container not started yet. */
export const CONTAINER_CREATING = "ContainerCreating";
/** The waiting reason of every container of a pod with init containers, until it starts. */
export const POD_INITIALIZING = "PodInitializing";

const KUBELET_FIELDS = new Set([
  "phase",
  "conditions",
  "message",
  "reason",
  "hostIP",
  "hostIPs",
  "podIP",
  "podIPs",
  "startTime",
  "initContainerStatuses",
  "containerStatuses",
  "qosClass",
]);
const KUBELET_CONDITIONS = new Set([
  "PodScheduled",
  "Ready",
  "Initialized",
  "ContainersReady",
  "PodReadyToStartContainers",
]);

/**
 * A `metav1.Time`: RFC 3339 in whole seconds, as the API serializes it.
 *
 * @example
 * ```ts
 * apiTime(new Date("2025-01-02T03:04:05.678Z")); // "2025-01-02T03:04:05Z"
 * ```
 */
export function apiTime(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, "Z");
}

function isSidecar(container: ContainerSpec): boolean {
  return container.restartPolicy === "Always";
}

function statusOf(statuses: ContainerStatus[], name: string): ContainerStatus | undefined {
  return statuses.find((s) => s.name === name);
}

/**
 * Whether any regular container has started (is running or has run), which means the pod got past its
 * init containers at some point (kube's `HasAnyRegularContainerStarted`).
 *
 * @example
 * ```ts
 * hasAnyRegularContainerStarted(pod.spec, pod.status?.containerStatuses ?? []); // true once one ran
 * ```
 */
export function hasAnyRegularContainerStarted(spec: StatusPod["spec"], statuses: ContainerStatus[]): boolean {
  return spec.containers.some((c) => {
    const s = statusOf(statuses, c.name);
    return Boolean(s && (s.state.running || s.state.terminated || s.lastState.terminated));
  });
}

/**
 * The pod phase by the kubelet's `getPhase`: Pending until init containers are done and every container
 * started, Running while one runs (or restarts), and Succeeded / Failed once all stopped for good — by
 * the restart policy, or because the pod is `terminal` (deleted, evicted).
 *
 * @example
 * ```ts
 * podPhase(pod, [...initStatuses, ...statuses], false); // "Running"
 * ```
 */
export function podPhase(pod: StatusPod, statuses: ContainerStatus[], terminal: boolean): string {
  const spec = pod.spec;
  const restartPolicy = spec.restartPolicy ?? "Always";
  let pendingInit = 0, pendingSidecars = 0, failedInit = 0;
  for (const container of spec.initContainers ?? []) {
    if (isSidecar(container)) continue;
    const s = statusOf(statuses, container.name);
    if (!s) pendingInit++;
    else if (s.state.running) pendingInit++;
    else if (s.state.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.state.waiting) {
      if (s.lastState.terminated) {
        if (s.lastState.terminated.exitCode !== 0) failedInit++;
      } else pendingInit++;
    } else pendingInit++;
  }
  let unknown = 0, running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const container of spec.initContainers ?? []) {
    if (!isSidecar(container)) continue;
    const s = statusOf(statuses, container.name);
    if (!s) unknown++;
    else if (s.state.running) {
      if (!s.started) pendingSidecars++;
      running++;
    } else if (s.state.terminated) {
      // A stopped sidecar is restarted whatever happens; it does not decide the phase.
    } else if (s.state.waiting) {
      if (!s.lastState.terminated) {
        pendingSidecars++;
        waiting++;
      }
    } else {
      pendingSidecars++;
      unknown++;
    }
  }
  for (const container of spec.containers) {
    const s = statusOf(statuses, container.name);
    if (!s) unknown++;
    else if (s.state.running) running++;
    else if (s.state.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state.waiting) {
      if (s.lastState.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  if (failedInit > 0 && restartPolicy === "Never") return "Failed";
  // Sidecars restarting after the pod got going do not send it back to Pending.
  const initialized = hasAnyRegularContainerStarted(spec, statuses);
  if (pendingInit > 0 || (pendingSidecars > 0 && !initialized) || waiting > 0) return "Pending";
  if (running > 0 && unknown === 0) return "Running";
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (terminal) return stopped === succeeded ? "Succeeded" : "Failed";
    if (restartPolicy === "Always") return "Running";
    if (stopped === succeeded) return "Succeeded";
    if (restartPolicy === "Never") return "Failed";
    return "Running";
  }
  return "Pending";
}

function containerStatus(
  spec: ContainerSpec,
  observed: ContainerObservation | undefined,
  old: ContainerStatus | undefined,
  defaultWaiting: string,
  isInit: boolean,
): ContainerStatus {
  const state = observed?.state ?? { waiting: { reason: defaultWaiting } };
  const running = Boolean(state.running);
  let ready: boolean;
  if (isInit && !isSidecar(spec)) {
    // A finished init container counts as ready: that is what "Initialized" waits for.
    ready = state.terminated?.exitCode === 0;
  } else {
    ready = running && (observed?.ready ?? false);
  }
  const status: ContainerStatus = {
    name: spec.name,
    state,
    lastState: observed?.lastState ?? old?.lastState ?? {},
    ready,
    restartCount: observed?.restartCount ?? old?.restartCount ?? 0,
    image: observed?.image ?? spec.image ?? "",
    imageID: observed?.imageID ?? "",
    started: running && (observed?.started ?? true),
  };
  if (observed?.containerID) status.containerID = observed.containerID;
  return status;
}

function condition(type: string, status: PodCondition["status"], reason?: string, message?: string): PodCondition {
  const c: PodCondition = { type, status, lastProbeTime: null };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

function list(names: string[]): string {
  return `[${names.join(" ")}]`;
}

/** Kube's `GenerateContainersReadyCondition`. */
function containersReadyCondition(pod: StatusPod, statuses: ContainerStatus[], phase: string): PodCondition {
  const unknown: string[] = [], unready: string[] = [];
  const counted = [...(pod.spec.initContainers ?? []).filter(isSidecar), ...pod.spec.containers];
  for (const c of counted) {
    const s = statusOf(statuses, c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  if ((phase === "Succeeded" && unknown.length === 0) || phase === "Failed") {
    return condition("ContainersReady", "False", phase === "Failed" ? "PodFailed" : "PodCompleted");
  }
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${list(unknown)}`);
  if (unready.length) messages.push(`containers with unready status: ${list(unready)}`);
  if (messages.length) return condition("ContainersReady", "False", "ContainersNotReady", messages.join(", "));
  return condition("ContainersReady", "True");
}

/** Kube's `GeneratePodReadyCondition`: containers ready and every readiness gate True. */
function readyCondition(
  pod: StatusPod,
  conditions: PodCondition[],
  statuses: ContainerStatus[],
  phase: string,
): PodCondition {
  const containersReady = containersReadyCondition(pod, statuses, phase);
  if (containersReady.status !== "True") {
    return condition("Ready", containersReady.status, containersReady.reason, containersReady.message);
  }
  const messages: string[] = [];
  for (const gate of pod.spec.readinessGates ?? []) {
    const c = conditions.find((c) => c.type === gate.conditionType);
    if (!c) {
      messages.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    } else if (c.status !== "True") {
      messages.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`);
    }
  }
  if (messages.length) return condition("Ready", "False", "ReadinessGatesNotReady", messages.join(", "));
  return condition("Ready", "True");
}

/** Kube's `GeneratePodInitializedCondition`. */
function initializedCondition(pod: StatusPod, statuses: ContainerStatus[], phase: string): PodCondition {
  const unknown: string[] = [], incomplete: string[] = [];
  for (const c of pod.spec.initContainers ?? []) {
    const s = statusOf(statuses, c.name);
    if (!s) unknown.push(c.name);
    else if (isSidecar(c) ? !s.started : !s.ready) incomplete.push(c.name);
  }
  if (phase === "Succeeded" && unknown.length === 0) return condition("Initialized", "True", "PodCompleted");
  if (hasAnyRegularContainerStarted(pod.spec, statuses)) return condition("Initialized", "True");
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${list(unknown)}`);
  if (incomplete.length) messages.push(`containers with incomplete status: ${list(incomplete)}`);
  if (messages.length) return condition("Initialized", "False", "ContainersNotInitialized", messages.join(", "));
  return condition("Initialized", "True");
}

/** The status manager's rule: a condition keeps its transition time while its status stays the same. */
function withTransitionTimes(conditions: PodCondition[], old: PodCondition[], now: string): PodCondition[] {
  return conditions.map((c) => {
    if (!KUBELET_CONDITIONS.has(c.type)) return c;
    const previous = old.find((o) => o.type === c.type);
    return { ...c, lastTransitionTime: previous && previous.status === c.status ? previous.lastTransitionTime : now };
  });
}

function isTerminal(phase: string | undefined): boolean {
  return phase === "Succeeded" || phase === "Failed";
}

/**
 * The status a kubelet would write for `pod` given what its containers are doing, built on the pod's
 * current status: conditions the kubelet does not own are kept, a terminal phase is never left, the
 * phase's reason and message stay while the phase does, and `startTime` and `qosClass` are kept.
 *
 * @example
 * ```ts
 * const status = generatePodStatus(pod, {
 *   containers: [{ name: "web", state: { running: { startedAt: apiTime(new Date()) } }, ready: true }],
 *   sandboxReady: true,
 *   hostIPs: ["172.16.0.1"],
 *   podIPs: ["10.42.0.2"],
 * });
 * status.phase; // "Running"
 * ```
 */
export function generatePodStatus(pod: StatusPod, observed: PodObservation, now: Date = new Date()): PodStatus {
  const old = pod.status ?? {};
  const stamp = apiTime(now);
  const initSpecs = pod.spec.initContainers ?? [];
  const defaultWaiting = initSpecs.length > 0 ? POD_INITIALIZING : CONTAINER_CREATING;
  const observe = (name: string) => observed.containers.find((c) => c.name === name);
  const initStatuses = initSpecs.map((c) =>
    containerStatus(c, observe(c.name), statusOf(old.initContainerStatuses ?? [], c.name), defaultWaiting, true)
  );
  // The kubelet sorts regular container statuses by name, init ones stay in spec order.
  const statuses = pod.spec.containers
    .map((c) =>
      containerStatus(c, observe(c.name), statusOf(old.containerStatuses ?? [], c.name), defaultWaiting, false)
    )
    .sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const all = [...initStatuses, ...statuses];

  let phase = podPhase(pod, all, observed.terminal ?? false);
  if (isTerminal(old.phase)) phase = old.phase!;

  const kept = (old.conditions ?? []).filter((c) => !KUBELET_CONDITIONS.has(c.type));
  const conditions = withTransitionTimes(
    [
      ...kept,
      condition("PodReadyToStartContainers", observed.sandboxReady ? "True" : "False"),
      initializedCondition(pod, all, phase),
      readyCondition(pod, kept, all, phase),
      containersReadyCondition(pod, all, phase),
      condition("PodScheduled", "True"),
    ],
    old.conditions ?? [],
    stamp,
  );

  // Fields the kubelet does not set (a nominated node, resize state) stay as others wrote them.
  const status: PodStatus = Object.fromEntries(
    Object.entries(old).filter(([field]) => !KUBELET_FIELDS.has(field)),
  );
  status.phase = phase;
  status.conditions = conditions;
  if (phase === old.phase) {
    if (old.reason) status.reason = old.reason;
    if (old.message) status.message = old.message;
  }
  if (observed.hostIPs.length) {
    status.hostIP = observed.hostIPs[0];
    status.hostIPs = observed.hostIPs.map((ip) => ({ ip }));
  }
  const podIPs = observed.podIPs.length ? observed.podIPs : (old.podIPs ?? []).map((p) => p.ip);
  if (podIPs.length) {
    status.podIP = podIPs[0];
    status.podIPs = podIPs.map((ip) => ({ ip }));
  }
  status.startTime = old.startTime ?? stamp;
  if (initStatuses.length) status.initContainerStatuses = initStatuses;
  status.containerStatuses = statuses;
  if (old.qosClass) status.qosClass = old.qosClass;
  return status;
}
