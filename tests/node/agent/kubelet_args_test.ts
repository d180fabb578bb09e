// `--kubelet-arg`, `--node-label` and `--node-taint` as the agent reads them.
import assert from "node:assert/strict";
import { KUBELET_DEFAULTS, parseKubeletArgs, parseLabel, parseTaint } from "../../../node/agent/mod.ts";

Deno.test("without --kubelet-arg the kubelet keeps upstream's defaults", () => {
  assert.deepEqual(parseKubeletArgs([]), {
    rootDir: "/var/lib/kubelet",
    podLogsDir: "/var/log/pods",
    port: 10250,
    maxPods: 110,
  });
  assert.deepEqual(parseKubeletArgs([]), KUBELET_DEFAULTS);
});

Deno.test("--kubelet-arg sets root-dir, pod-logs-dir, port and max-pods, with or without leading dashes", () => {
  assert.deepEqual(
    parseKubeletArgs(["root-dir=/tmp/k", "--pod-logs-dir=/tmp/logs", "port=11250", "max-pods=50"]),
    { rootDir: "/tmp/k", podLogsDir: "/tmp/logs", port: 11250, maxPods: 50 },
  );
});

Deno.test("an unsupported --kubelet-arg key stops the start naming the key", () => {
  assert.throws(() => parseKubeletArgs(["cgroup-driver=systemd"]), /not supported yet: --kubelet-arg cgroup-driver/);
});

Deno.test("a non-numeric max-pods is refused", () => {
  assert.throws(() => parseKubeletArgs(["max-pods=lots"]), /invalid value "lots" for --kubelet-arg max-pods/);
});

Deno.test("--node-taint reads key=value:Effect and key:Effect", () => {
  assert.deepEqual(parseTaint("dedicated=gpu:NoSchedule"), { key: "dedicated", value: "gpu", effect: "NoSchedule" });
  assert.deepEqual(parseTaint("maintenance:NoExecute"), { key: "maintenance", effect: "NoExecute" });
  assert.throws(() => parseTaint("dedicated=gpu"), /the effect must be NoSchedule, PreferNoSchedule or NoExecute/);
});

Deno.test("--node-label reads key=value, the value may be empty or hold '='", () => {
  assert.deepEqual(parseLabel("zone=a"), ["zone", "a"]);
  assert.deepEqual(parseLabel("empty="), ["empty", ""]);
  assert.deepEqual(parseLabel("expr=a=b"), ["expr", "a=b"]);
  assert.throws(() => parseLabel("novalue"), /expected key=value/);
});
