import assert from "node:assert/strict";
import {
  capacityAnnotationSetCorrectly,
  type EndpointAddress,
  type EndpointSubset,
  truncateEndpoints,
} from "../../../controllers/endpoints/mod.ts";

function addresses(prefix: string, n: number): EndpointAddress[] {
  return Array.from({ length: n }, (_, i) => ({ ip: `${prefix}.${Math.floor(i / 250)}.${i % 250}` }));
}
const ports = [{ port: 80, protocol: "TCP" }];

function counts(subsets: EndpointSubset[]) {
  return subsets.map((s) => [s.addresses?.length ?? 0, s.notReadyAddresses?.length ?? 0]);
}

Deno.test("truncateEndpoints: 1000 addresses or fewer are kept as they are", () => {
  const subsets = [{ addresses: addresses("10.0", 600), notReadyAddresses: addresses("10.1", 400), ports }];
  assert.deepEqual(truncateEndpoints(subsets), { subsets, truncated: false });
});

Deno.test("truncateEndpoints: with room for every ready address, only not-ready ones are cut, proportionally", () => {
  const { subsets, truncated } = truncateEndpoints([
    { addresses: addresses("10.0", 700), notReadyAddresses: addresses("10.1", 300), ports },
    { notReadyAddresses: addresses("10.2", 100), ports: [{ port: 81, protocol: "TCP" }] },
  ]);
  assert.equal(truncated, true);
  // 300 places for 400 not-ready addresses: ceil(300/400*300) = 225, then the 75 left.
  assert.deepEqual(counts(subsets), [[700, 225], [0, 75]]);
});

Deno.test("truncateEndpoints: with more ready addresses than fit, not-ready ones all go", () => {
  const { subsets, truncated } = truncateEndpoints([
    { addresses: addresses("10.0", 900), notReadyAddresses: addresses("10.1", 5), ports },
    { addresses: addresses("10.2", 300), ports: [{ port: 81, protocol: "TCP" }] },
  ]);
  assert.equal(truncated, true);
  // ceil(900/1200*1000) = 750, then the 250 left.
  assert.deepEqual(counts(subsets), [[750, 0], [250, 0]]);
});

Deno.test("capacityAnnotationSetCorrectly: only an object within capacity and without the mark is right", () => {
  const within = [{ addresses: addresses("10.0", 10), ports }];
  assert.equal(capacityAnnotationSetCorrectly(undefined, within), true);
  assert.equal(capacityAnnotationSetCorrectly({ "endpoints.kubernetes.io/over-capacity": "truncated" }, within), false);
  assert.equal(capacityAnnotationSetCorrectly(undefined, [{ addresses: addresses("10.0", 1001), ports }]), false);
});
