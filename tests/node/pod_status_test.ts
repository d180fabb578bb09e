// The kubelet's pod status rules as pure functions: phase, conditions, container statuses, IPs, times.
import assert from "node:assert/strict";
import {
  type ContainerObservation,
  generatePodStatus,
  type PodObservation,
  type PodStatus,
  type StatusPod,
} from "../../node/pod_status.ts";

const T0 = new Date("2025-03-01T10:00:00.250Z");
const T1 = new Date("2025-03-01T10:00:07Z");

function pod(spec: Partial<StatusPod["spec"]> = {}, status?: PodStatus): StatusPod {
  return { spec: { containers: [{ name: "web", image: "nginx:1.27" }], ...spec }, status };
}

function observe(containers: ContainerObservation[], extra: Partial<PodObservation> = {}): PodObservation {
  return { containers, sandboxReady: true, hostIPs: ["172.16.0.1"], podIPs: ["10.42.0.2"], ...extra };
}

const running = (name: string, ready = true): ContainerObservation => ({
  name,
  state: { running: { startedAt: "2025-03-01T10:00:00Z" } },
  ready,
  containerID: `containerd://${name}`,
  imageID: "sha256:abc",
});
const exited = (name: string, exitCode: number): ContainerObservation => ({
  name,
  state: { terminated: { exitCode, reason: exitCode === 0 ? "Completed" : "Error" } },
});

function conditionOf(status: PodStatus, type: string) {
  return status.conditions?.find((c) => c.type === type);
}

Deno.test("pod status: a pod whose containers are not created yet is Pending with containers waiting in ContainerCreating", () => {
  const status = generatePodStatus(pod(), observe([], { sandboxReady: false, podIPs: [] }), T0);
  assert.equal(status.phase, "Pending");
  assert.deepEqual(status.containerStatuses, [{
    name: "web",
    state: { waiting: { reason: "ContainerCreating" } },
    lastState: {},
    ready: false,
    restartCount: 0,
    image: "nginx:1.27",
    imageID: "",
    started: false,
  }]);
  assert.deepEqual(status.conditions?.map((c) => [c.type, c.status, c.reason ?? "", c.message ?? ""]), [
    ["PodReadyToStartContainers", "False", "", ""],
    ["Initialized", "True", "", ""],
    ["Ready", "False", "ContainersNotReady", "containers with unready status: [web]"],
    ["ContainersReady", "False", "ContainersNotReady", "containers with unready status: [web]"],
    ["PodScheduled", "True", "", ""],
  ]);
  assert.equal(status.podIP, undefined);
  assert.equal(status.startTime, "2025-03-01T10:00:00Z");
});

Deno.test("pod status: running ready containers make the pod Running and Ready, with IPs and statuses sorted by name", () => {
  const p = pod({ containers: [{ name: "web", image: "nginx" }, { name: "log", image: "busybox" }] });
  const status = generatePodStatus(p, observe([running("web"), running("log")]), T0);
  assert.equal(status.phase, "Running");
  assert.equal(conditionOf(status, "Ready")?.status, "True");
  assert.equal(conditionOf(status, "ContainersReady")?.status, "True");
  assert.equal(conditionOf(status, "PodReadyToStartContainers")?.status, "True");
  assert.deepEqual(status.containerStatuses?.map((c) => c.name), ["log", "web"]);
  const web = status.containerStatuses![1];
  assert.deepEqual(web, {
    name: "web",
    state: { running: { startedAt: "2025-03-01T10:00:00Z" } },
    lastState: {},
    ready: true,
    restartCount: 0,
    image: "nginx",
    imageID: "sha256:abc",
    containerID: "containerd://web",
    started: true,
  });
  assert.equal(status.hostIP, "172.16.0.1");
  assert.deepEqual(status.hostIPs, [{ ip: "172.16.0.1" }]);
  assert.equal(status.podIP, "10.42.0.2");
  assert.deepEqual(status.podIPs, [{ ip: "10.42.0.2" }]);
});

Deno.test("pod status: a running container that is not ready keeps the pod Running but not Ready", () => {
  const status = generatePodStatus(pod(), observe([running("web", false)]), T0);
  assert.equal(status.phase, "Running");
  assert.equal(conditionOf(status, "Ready")?.status, "False");
  assert.equal(conditionOf(status, "Ready")?.reason, "ContainersNotReady");
});

Deno.test("pod status: a condition keeps its lastTransitionTime while unchanged and gets a new one when it flips", () => {
  const first = generatePodStatus(pod(), observe([running("web", false)]), T0);
  const same = generatePodStatus(pod({}, first), observe([running("web", false)]), T1);
  assert.equal(conditionOf(same, "Ready")?.lastTransitionTime, "2025-03-01T10:00:00Z");
  const flipped = generatePodStatus(pod({}, first), observe([running("web", true)]), T1);
  assert.equal(conditionOf(flipped, "Ready")?.lastTransitionTime, "2025-03-01T10:00:07Z");
  assert.equal(conditionOf(flipped, "Initialized")?.lastTransitionTime, "2025-03-01T10:00:00Z");
  assert.equal(flipped.startTime, "2025-03-01T10:00:00Z", "startTime is kept");
});

Deno.test("pod status: the scheduler's PodScheduled transition time is kept", () => {
  const scheduled: PodStatus = {
    phase: "Pending",
    conditions: [{ type: "PodScheduled", status: "True", lastTransitionTime: "2025-03-01T09:59:59Z" }],
  };
  const status = generatePodStatus(pod({}, scheduled), observe([running("web")]), T0);
  assert.equal(conditionOf(status, "PodScheduled")?.lastTransitionTime, "2025-03-01T09:59:59Z");
});

Deno.test("pod status: restartPolicy Never — all containers exiting 0 is Succeeded, any failure is Failed", () => {
  const never = { restartPolicy: "Never", containers: [{ name: "a" }, { name: "b" }] };
  const ok = generatePodStatus(pod(never), observe([exited("a", 0), exited("b", 0)]), T0);
  assert.equal(ok.phase, "Succeeded");
  assert.deepEqual([conditionOf(ok, "Ready")?.status, conditionOf(ok, "Ready")?.reason], ["False", "PodCompleted"]);
  assert.deepEqual([conditionOf(ok, "Initialized")?.status, conditionOf(ok, "Initialized")?.reason], [
    "True",
    "PodCompleted",
  ]);
  const failed = generatePodStatus(pod(never), observe([exited("a", 0), exited("b", 2)]), T0);
  assert.equal(failed.phase, "Failed");
  assert.equal(conditionOf(failed, "ContainersReady")?.reason, "PodFailed");
  const partly = generatePodStatus(pod(never), observe([exited("a", 0), running("b")]), T0);
  assert.equal(partly.phase, "Running", "one still running");
});

Deno.test("pod status: restartPolicy OnFailure — a failed container restarts (Running), all exiting 0 is Succeeded", () => {
  const onFailure = { restartPolicy: "OnFailure" };
  assert.equal(generatePodStatus(pod(onFailure), observe([exited("web", 1)]), T0).phase, "Running");
  assert.equal(generatePodStatus(pod(onFailure), observe([exited("web", 0)]), T0).phase, "Succeeded");
});

Deno.test("pod status: restartPolicy Always — exited containers are restarting, so the pod stays Running", () => {
  assert.equal(generatePodStatus(pod(), observe([exited("web", 0)]), T0).phase, "Running");
  const crashLooping: ContainerObservation = {
    name: "web",
    state: { waiting: { reason: "CrashLoopBackOff" } },
    lastState: { terminated: { exitCode: 1, reason: "Error" } },
    restartCount: 4,
  };
  const status = generatePodStatus(pod(), observe([crashLooping]), T0);
  assert.equal(status.phase, "Running");
  assert.equal(status.containerStatuses?.[0].restartCount, 4);
});

Deno.test("pod status: a terminal pod (deleted) gets a terminal phase whatever the restart policy", () => {
  assert.equal(generatePodStatus(pod(), observe([exited("web", 0)], { terminal: true }), T0).phase, "Succeeded");
  assert.equal(generatePodStatus(pod(), observe([exited("web", 137)], { terminal: true }), T0).phase, "Failed");
});

Deno.test("pod status: a terminal phase is never left", () => {
  const done = generatePodStatus(pod({ restartPolicy: "Never" }), observe([exited("web", 0)]), T0);
  const again = generatePodStatus(pod({ restartPolicy: "Never" }, done), observe([running("web")]), T1);
  assert.equal(again.phase, "Succeeded");
});

Deno.test("pod status: init containers — Pending while one runs (others wait in PodInitializing), Failed under Never when one fails", () => {
  const spec = { initContainers: [{ name: "setup", image: "busybox" }] };
  const status = generatePodStatus(pod(spec), observe([running("setup")]), T0);
  assert.equal(status.phase, "Pending");
  assert.deepEqual(status.containerStatuses?.[0].state, { waiting: { reason: "PodInitializing" } });
  assert.deepEqual(
    [conditionOf(status, "Initialized")?.status, conditionOf(status, "Initialized")?.message],
    ["False", "containers with incomplete status: [setup]"],
  );
  const initialized = generatePodStatus(pod(spec), observe([exited("setup", 0), running("web")]), T0);
  assert.equal(initialized.phase, "Running");
  assert.equal(initialized.initContainerStatuses?.[0].ready, true, "an init container that exited 0 is ready");
  assert.equal(conditionOf(initialized, "Initialized")?.status, "True");
  const failed = generatePodStatus(pod({ ...spec, restartPolicy: "Never" }), observe([exited("setup", 1)]), T0);
  assert.equal(failed.phase, "Failed");
});

Deno.test("pod status: a sidecar (restartable init container) must have started before the pod runs, and counts for readiness", () => {
  const spec = { initContainers: [{ name: "proxy", restartPolicy: "Always" }] };
  const starting: ContainerObservation = { ...running("proxy"), started: false };
  assert.equal(generatePodStatus(pod(spec), observe([starting]), T0).phase, "Pending");
  const status = generatePodStatus(pod(spec), observe([running("proxy", false), running("web")]), T0);
  assert.equal(status.phase, "Running");
  assert.equal(conditionOf(status, "ContainersReady")?.message, "containers with unready status: [proxy]");
});

Deno.test("pod status: conditions the kubelet does not own are kept, and readiness gates hold Ready back", () => {
  const old: PodStatus = {
    phase: "Running",
    conditions: [{ type: "example.com/lb", status: "False", lastTransitionTime: "2025-03-01T09:00:00Z" }],
  };
  const gated = pod(
    { readinessGates: [{ conditionType: "example.com/lb" }, { conditionType: "example.com/dns" }] },
    old,
  );
  const status = generatePodStatus(gated, observe([running("web")]), T0);
  assert.deepEqual(status.conditions?.[0], old.conditions![0]);
  assert.equal(conditionOf(status, "ContainersReady")?.status, "True");
  const ready = conditionOf(status, "Ready")!;
  assert.equal(ready.status, "False");
  assert.equal(ready.reason, "ReadinessGatesNotReady");
  assert.equal(
    ready.message,
    'the status of pod readiness gate "example.com/lb" is not "True", but False, corresponding condition of pod readiness gate "example.com/dns" does not exist.',
  );
});

Deno.test("pod status: qosClass and fields the kubelet does not write are kept; reason and message only while the phase stays", () => {
  const old: PodStatus = {
    phase: "Running",
    reason: "Something",
    message: "about running",
    qosClass: "BestEffort",
    nominatedNodeName: "n2",
  };
  const same = generatePodStatus(pod({}, old), observe([running("web")]), T0);
  assert.deepEqual([same.qosClass, same.reason, same.message, same.nominatedNodeName], [
    "BestEffort",
    "Something",
    "about running",
    "n2",
  ]);
  const changed = generatePodStatus(pod({ restartPolicy: "Never" }, old), observe([exited("web", 0)]), T0);
  assert.equal(changed.phase, "Succeeded");
  assert.equal(changed.reason, undefined);
  assert.equal(changed.message, undefined);
});

Deno.test("pod status: a pod whose sandbox went away keeps the IPs it had", () => {
  const first = generatePodStatus(pod({ restartPolicy: "Never" }), observe([running("web")]), T0);
  const done = generatePodStatus(
    pod({ restartPolicy: "Never" }, first),
    observe([exited("web", 0)], { sandboxReady: false, podIPs: [] }),
    T1,
  );
  assert.equal(done.podIP, "10.42.0.2");
  assert.equal(conditionOf(done, "PodReadyToStartContainers")?.status, "False");
});
