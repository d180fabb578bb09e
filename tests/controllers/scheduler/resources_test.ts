// Resource amounts in scheduler units and a pod's effective requests (kube's resource.PodRequests).
import assert from "node:assert/strict";
import {
  allocatableOf,
  isScalarResourceName,
  podRequests,
  quantityValue,
} from "../../../controllers/scheduler/resources.ts";

Deno.test("resources: quantities read as whole units rounded up, CPU in millicores", () => {
  assert.equal(quantityValue("128Mi"), 134217728);
  assert.equal(quantityValue("1.5"), 2);
  assert.equal(quantityValue("250m", true), 250);
  assert.equal(quantityValue("1", true), 1000);
  assert.equal(quantityValue("0.0001", true), 1);
  assert.equal(quantityValue(2, true), 2000);
  assert.equal(quantityValue("nonsense"), 0);
});

Deno.test("resources: containers add up, init containers only need their peak, overhead comes on top", () => {
  const { requests } = podRequests({
    initContainers: [
      { resources: { requests: { cpu: "2", memory: "1G" } } },
      { resources: { requests: { cpu: "2", memory: "3G" } } },
    ],
    containers: [
      { resources: { requests: { cpu: "2", memory: "1G" } } },
      { resources: { requests: { cpu: "1", memory: "1G" } } },
    ],
    overhead: { cpu: "100m" },
  });
  assert.equal(requests.milliCPU, 3100);
  assert.equal(requests.memory, 3_000_000_000);
});

Deno.test("resources: a sidecar counts for the whole pod and next to every later init container", () => {
  const { requests } = podRequests({
    initContainers: [
      { restartPolicy: "Always", resources: { requests: { cpu: "500m" } } },
      { resources: { requests: { cpu: "2" } } },
    ],
    containers: [{ resources: { requests: { cpu: "1" } } }],
  });
  // Running: 1 + 0.5; while the second init container runs: 0.5 + 2.
  assert.equal(requests.milliCPU, 2500);
});

Deno.test("resources: containers without CPU or memory requests count as 100m and 200Mi for spreading", () => {
  const { requests, nonZeroCPU, nonZeroMemory } = podRequests({
    containers: [{ resources: { requests: { cpu: "1" } } }, {}],
  });
  assert.equal(requests.milliCPU, 1000);
  assert.equal(requests.memory, 0);
  assert.equal(nonZeroCPU, 1100);
  assert.equal(nonZeroMemory, 2 * 200 * 1024 * 1024);
});

Deno.test("resources: extended resources are scalar, native ones are not", () => {
  assert.ok(isScalarResourceName("nvidia.com/gpu"));
  assert.ok(isScalarResourceName("hugepages-2Mi"));
  assert.ok(!isScalarResourceName("cpu"));
  assert.ok(!isScalarResourceName("ephemeral-storage"));
  const { requests } = podRequests({ containers: [{ resources: { requests: { "nvidia.com/gpu": "2" } } }] });
  assert.deepEqual([...requests.scalar], [["nvidia.com/gpu", 2]]);
});

Deno.test("resources: allocatable carries the number of pods a node admits", () => {
  const { resources, pods } = allocatableOf({ cpu: "4", memory: "8Gi", pods: "110", "ephemeral-storage": "10Gi" });
  assert.equal(resources.milliCPU, 4000);
  assert.equal(resources.memory, 8 * 1024 ** 3);
  assert.equal(resources.ephemeralStorage, 10 * 1024 ** 3);
  assert.equal(pods, 110);
});
