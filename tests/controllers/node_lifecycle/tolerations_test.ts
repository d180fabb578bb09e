// How long a pod may stay on a node with NoExecute taints.
import assert from "node:assert/strict";
import { matchingTolerations, minTolerationMs } from "../../../controllers/node_lifecycle/tolerations.ts";

const unreachable = { key: "node.kubernetes.io/unreachable", effect: "NoExecute" };
const maintenance = { key: "example.com/maintenance", value: "true", effect: "NoExecute" };

Deno.test("tolerations: every taint needs a toleration, or the pod must go at once", () => {
  const forUnreachable = { key: unreachable.key, operator: "Exists" as const, tolerationSeconds: 300 };
  assert.deepEqual(matchingTolerations([unreachable], [forUnreachable]), [forUnreachable]);
  assert.equal(matchingTolerations([unreachable, maintenance], [forUnreachable]), undefined);
  const wrongValue = { key: maintenance.key, operator: "Equal" as const, value: "false" };
  assert.equal(matchingTolerations([maintenance], [wrongValue]), undefined);
});

Deno.test("tolerations: the shortest tolerationSeconds counts, unbounded ones for ever, zero or less at once", () => {
  assert.equal(minTolerationMs([{ operator: "Exists", tolerationSeconds: 300 }, { tolerationSeconds: 2 }]), 2000);
  assert.equal(minTolerationMs([{ operator: "Exists" }, { tolerationSeconds: 60 }]), 60_000);
  assert.equal(minTolerationMs([{ operator: "Exists" }]), -1);
  assert.equal(minTolerationMs([{ tolerationSeconds: -5 }]), 0);
});
