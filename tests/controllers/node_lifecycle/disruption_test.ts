// Zone disruption: when the node lifecycle controller holds back or stops NoExecute taints.
import assert from "node:assert/strict";
import { ZoneDisruption } from "../../../controllers/node_lifecycle/disruption.ts";
import type { Node } from "../../../controllers/node_lifecycle/node.ts";

function node(name: string, ready: boolean, zone = "a"): Node {
  return {
    metadata: { name, labels: { "topology.kubernetes.io/zone": zone } },
    status: { conditions: [{ type: "Ready", status: ready ? "True" : "Unknown" }] },
  };
}

Deno.test("disruption: one node down among healthy ones is tainted as usual", () => {
  const disruption = new ZoneDisruption();
  const nodes = [node("n1", false), node("n2", true), node("n3", true)];
  assert.equal(disruption.update(nodes), false);
  assert.deepEqual(disruption.policy(nodes[0]), { mayTaint: true, stopped: false });
});

Deno.test("disruption: most of a small zone down holds back new taints there, not in other zones", () => {
  const disruption = new ZoneDisruption();
  const zoneA = [node("a1", false), node("a2", false), node("a3", false), node("a4", true)];
  const zoneB = [node("b1", false, "b"), node("b2", true, "b")];
  disruption.update([...zoneA, ...zoneB]);
  assert.deepEqual(disruption.policy(zoneA[0]), { mayTaint: false, stopped: false });
  assert.deepEqual(disruption.policy(zoneB[0]), { mayTaint: true, stopped: false });
});

Deno.test("disruption: every node down stops evictions, and the first node back ends it", () => {
  const disruption = new ZoneDisruption();
  assert.equal(disruption.update([node("a1", false), node("b1", false, "b")]), false);
  assert.equal(disruption.policy(node("a1", false)).stopped, true);
  assert.equal(disruption.update([node("a1", true), node("b1", false, "b")]), true);
  assert.equal(disruption.policy(node("b1", false, "b")).stopped, false);
});

Deno.test("disruption: nodes labelled exclude-disruption are not counted", () => {
  const disruption = new ZoneDisruption();
  const excluded = node("x", true);
  excluded.metadata.labels!["node.kubernetes.io/exclude-disruption"] = "";
  disruption.update([node("a1", false), excluded]);
  assert.equal(disruption.policy(node("a1", false)).stopped, true);
});
