import assert from "node:assert/strict";
import { toTable } from "../../../core/tables/table.ts";
import { ago, cells, names, narrowNames, NOW, row, wideNames } from "./helpers.ts";

type Obj = Record<string, unknown>;

function pod(spec: Obj, status: Obj, metadata: Obj = {}): Obj {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "default", creationTimestamp: ago(300), ...metadata },
    spec: { containers: [{ name: "app", image: "app:1" }], ...spec },
    status,
  };
}

function printed(p: Obj): Record<string, unknown> {
  return row(toTable("Pod", "", [p], { now: NOW }));
}

const running = { running: { startedAt: ago(200) } };

Deno.test("pods: columns, types and wide columns", () => {
  const table = toTable("Pod", "", [], { now: NOW });
  assert.deepEqual(narrowNames(table), ["Name", "Ready", "Status", "Restarts", "Age"]);
  assert.deepEqual(wideNames(table), ["IP", "Node", "Nominated Node", "Readiness Gates"]);
  const defs = table.columnDefinitions as Obj[];
  assert.deepEqual(defs[0], { ...defs[0], name: "Name", type: "string", format: "name", priority: 0 });
  assert.ok(defs.every((d) => d.type === "string"));
  assert.deepEqual(table.rows, []);
});

Deno.test("pods: a running ready pod", () => {
  const p = pod({ nodeName: "node-a" }, {
    phase: "Running",
    podIP: "10.42.0.9",
    podIPs: [{ ip: "10.42.0.9" }, { ip: "fd00::9" }],
    conditions: [{ type: "Ready", status: "True" }],
    containerStatuses: [{ name: "app", ready: true, restartCount: 0, state: running }],
  });
  assert.deepEqual(cells(toTable("Pod", "", [p], { now: NOW }))[0], [
    "p",
    "1/1",
    "Running",
    "0",
    "5m",
    "10.42.0.9",
    "node-a",
    "<none>",
    "<none>",
  ]);
});

Deno.test("pods: pending and unscheduled pods show the phase and <none> placement", () => {
  const r = printed(pod({}, { phase: "Pending" }));
  assert.equal(r.Ready, "0/1");
  assert.equal(r.Status, "Pending");
  assert.equal(r.IP, "<none>");
  assert.equal(r.Node, "<none>");
  assert.equal(printed(pod({}, {})).Status, "");
});

Deno.test("pods: waiting reasons win over the phase (ContainerCreating, ImagePullBackOff)", () => {
  const creating = pod({}, {
    phase: "Pending",
    containerStatuses: [{
      name: "app",
      ready: false,
      restartCount: 0,
      state: { waiting: { reason: "ContainerCreating" } },
    }],
  });
  assert.equal(printed(creating).Status, "ContainerCreating");
  const pull = pod({}, {
    phase: "Pending",
    containerStatuses: [{ name: "app", state: { waiting: { reason: "ImagePullBackOff", message: "x" } } }],
  });
  assert.equal(printed(pull).Status, "ImagePullBackOff");
});

Deno.test("pods: CrashLoopBackOff with restarts and the time of the last one", () => {
  const p = pod({}, {
    phase: "Running",
    containerStatuses: [{
      name: "app",
      ready: false,
      restartCount: 5,
      state: { waiting: { reason: "CrashLoopBackOff" } },
      lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: ago(125) } },
    }],
  });
  const r = printed(p);
  assert.equal(r.Status, "CrashLoopBackOff");
  assert.equal(r.Restarts, "5 (2m5s ago)");
  assert.equal(r.Ready, "0/1");
});

Deno.test("pods: restarts without a recorded termination time print just the count", () => {
  const p = pod({}, {
    phase: "Running",
    containerStatuses: [{ name: "app", ready: true, restartCount: 2, state: running }],
  });
  assert.equal(printed(p).Restarts, "2");
});

Deno.test("pods: the first container's reason wins; READY counts running ready containers", () => {
  const p = pod({ containers: [{ name: "a" }, { name: "b" }, { name: "c" }] }, {
    phase: "Running",
    containerStatuses: [
      { name: "a", ready: false, state: { terminated: { exitCode: 137, reason: "OOMKilled" } } },
      { name: "b", ready: true, state: running },
      { name: "c", ready: false, state: { waiting: { reason: "CrashLoopBackOff" } } },
    ],
  });
  const r = printed(p);
  assert.equal(r.Status, "OOMKilled");
  assert.equal(r.Ready, "1/3");
});

Deno.test("pods: terminated without reason prints the signal or exit code", () => {
  const signal = pod({}, {
    phase: "Failed",
    containerStatuses: [{ name: "app", state: { terminated: { exitCode: 137, signal: 9 } } }],
  });
  assert.equal(printed(signal).Status, "Signal:9");
  const code = pod({}, {
    phase: "Failed",
    containerStatuses: [{ name: "app", state: { terminated: { exitCode: 3 } } }],
  });
  assert.equal(printed(code).Status, "ExitCode:3");
});

Deno.test("pods: Completed, and Completed turned back into Running/NotReady by a running container", () => {
  const done = pod({}, {
    phase: "Succeeded",
    containerStatuses: [{ name: "app", state: { terminated: { exitCode: 0, reason: "Completed" } } }],
  });
  const table = toTable("Pod", "", [done], { now: NOW });
  assert.equal(row(table).Status, "Completed");
  assert.deepEqual((table.rows as Obj[])[0].conditions, [
    { type: "Completed", status: "True", reason: "Succeeded", message: "The pod has completed successfully." },
  ]);

  const mixed = (ready: boolean) =>
    pod({ containers: [{ name: "a" }, { name: "b" }] }, {
      phase: "Running",
      conditions: [{ type: "Ready", status: ready ? "True" : "False" }],
      containerStatuses: [
        { name: "a", ready: false, state: { terminated: { exitCode: 0, reason: "Completed" } } },
        { name: "b", ready: true, state: running },
      ],
    });
  assert.equal(printed(mixed(true)).Status, "Running");
  assert.equal(printed(mixed(false)).Status, "NotReady");

  const failed = toTable("Pod", "", [pod({}, { phase: "Failed", reason: "Evicted" })], { now: NOW });
  assert.equal(row(failed).Status, "Evicted");
  assert.equal(((failed.rows as Obj[])[0].conditions as Obj[])[0].reason, "Failed");
});

Deno.test("pods: init containers (Init:0/2, Init:1/2, Init:Error, Init:ExitCode, Init:CrashLoopBackOff)", () => {
  const spec = { initContainers: [{ name: "i1" }, { name: "i2" }] };
  const init = (statuses: Obj[]) => printed(pod(spec, { phase: "Pending", initContainerStatuses: statuses }));
  assert.equal(
    init([{ name: "i1", state: { running: {} } }, { name: "i2", state: { waiting: { reason: "PodInitializing" } } }])
      .Status,
    "Init:0/2",
  );
  assert.equal(
    init([
      { name: "i1", state: { terminated: { exitCode: 0, reason: "Completed" } } },
      { name: "i2", state: { running: {} } },
    ]).Status,
    "Init:1/2",
  );
  assert.equal(init([{ name: "i1", state: { terminated: { exitCode: 1, reason: "Error" } } }]).Status, "Init:Error");
  assert.equal(init([{ name: "i1", state: { terminated: { exitCode: 2 } } }]).Status, "Init:ExitCode:2");
  assert.equal(init([{ name: "i1", state: { terminated: { exitCode: 2, signal: 15 } } }]).Status, "Init:Signal:15");
  const crash = init([{
    name: "i1",
    restartCount: 3,
    state: { waiting: { reason: "CrashLoopBackOff" } },
    lastState: { terminated: { exitCode: 1, finishedAt: ago(30) } },
  }]);
  assert.equal(crash.Status, "Init:CrashLoopBackOff");
  assert.equal(crash.Restarts, "3 (30s ago)");
  // No init statuses reported yet: the phase stands.
  assert.equal(init([]).Status, "Pending");
});

Deno.test("pods: sidecar (restartable init) containers count towards READY and restarts", () => {
  const p = pod({ initContainers: [{ name: "proxy", restartPolicy: "Always" }, { name: "setup" }] }, {
    phase: "Running",
    conditions: [{ type: "Initialized", status: "True" }, { type: "Ready", status: "True" }],
    initContainerStatuses: [
      {
        name: "proxy",
        started: true,
        ready: true,
        restartCount: 1,
        state: running,
        lastState: { terminated: { exitCode: 1, finishedAt: ago(600) } },
      },
      { name: "setup", restartCount: 4, state: { terminated: { exitCode: 0, reason: "Completed" } } },
    ],
    containerStatuses: [{ name: "app", ready: true, restartCount: 0, state: running }],
  });
  const r = printed(p);
  assert.equal(r.Ready, "2/2");
  assert.equal(r.Status, "Running");
  // Only the sidecar's restarts survive initialization.
  assert.equal(r.Restarts, "1 (10m ago)");
});

Deno.test("pods: Terminating, Unknown (NodeLost), and terminal pods being deleted", () => {
  const deleting = { deletionTimestamp: ago(10) };
  const runningStatus = {
    phase: "Running",
    containerStatuses: [{ name: "app", ready: true, state: running }],
  };
  assert.equal(printed(pod({}, runningStatus, deleting)).Status, "Terminating");
  assert.equal(printed(pod({}, { ...runningStatus, reason: "NodeLost" }, deleting)).Status, "Unknown");
  const done = {
    phase: "Succeeded",
    containerStatuses: [{ name: "app", state: { terminated: { exitCode: 0, reason: "Completed" } } }],
  };
  assert.equal(printed(pod({}, done, deleting)).Status, "Completed");
});

Deno.test("pods: SchedulingGated, nominated node and readiness gates", () => {
  const gated = pod({}, {
    phase: "Pending",
    conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }],
  });
  assert.equal(printed(gated).Status, "SchedulingGated");

  const gates = pod({ readinessGates: [{ conditionType: "example.com/lb" }, { conditionType: "example.com/dns" }] }, {
    phase: "Running",
    nominatedNodeName: "node-b",
    conditions: [{ type: "example.com/lb", status: "True" }, { type: "example.com/dns", status: "False" }],
  });
  const r = printed(gates);
  assert.equal(r["Nominated Node"], "node-b");
  assert.equal(r["Readiness Gates"], "1/2");
});

Deno.test("pods: unset creation timestamp ages as <unknown>", () => {
  const p = pod({}, { phase: "Running" }, { creationTimestamp: undefined });
  assert.equal(printed(p).Age, "<unknown>");
});

Deno.test("podtemplates: containers, images and pod labels", () => {
  const table = toTable("PodTemplate", "", [{
    metadata: { name: "tpl" },
    template: {
      metadata: { labels: { app: "web", tier: "fe" } },
      spec: { containers: [{ name: "a", image: "x:1" }, { name: "b", image: "y:2" }] },
    },
  }], { now: NOW });
  assert.deepEqual(names(table), ["Name", "Containers", "Images", "Pod Labels"]);
  assert.deepEqual(cells(table)[0], ["tpl", "a,b", "x:1,y:2", "app=web,tier=fe"]);
});
