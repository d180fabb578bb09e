import assert from "node:assert/strict";
import {
  type DesiredEndpoints,
  type Endpoint,
  endpointKey,
  type EndpointPort,
  type EndpointSlice,
  newEndpointSlice,
  planSlices,
  portMapKey,
  type Service,
} from "../../../controllers/endpointslice/mod.ts";

const MAX = 10;
const service: Service = {
  metadata: { name: "web", namespace: "default", uid: "svc-uid" },
  spec: { selector: { app: "web" }, clusterIP: "10.43.0.10", ports: [{ port: 80 }] },
};
const ports: EndpointPort[] = [{ name: "", port: 80, protocol: "TCP" }];

function endpoint(i: number, ready = true): Endpoint {
  return {
    addresses: [`10.42.0.${i}`],
    conditions: { ready, serving: ready, terminating: false },
    targetRef: { kind: "Pod", namespace: "default", name: `web-${i}`, uid: `uid-${i}` },
    nodeName: "node-1",
  };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

function slice(name: string, members: Endpoint[], slicePorts = ports): EndpointSlice {
  const s = newEndpointSlice(service, slicePorts, "IPv4");
  return { ...s, metadata: { ...s.metadata, name, uid: `uid-${name}`, resourceVersion: "5" }, endpoints: members };
}

function desired(members: Endpoint[], desiredPorts = ports): Map<string, DesiredEndpoints> {
  return new Map([[portMapKey(desiredPorts), {
    ports: desiredPorts,
    endpoints: new Map(members.map((e) => [endpointKey(e), e])),
  }]]);
}

function sizes(slices: EndpointSlice[]): [string | undefined, number][] {
  return slices.map((s) => [s.metadata.name, s.endpoints?.length ?? 0]);
}

Deno.test("planSlices: slices already matching are left alone", () => {
  const existing = [slice("a", range(0, 10).map((i) => endpoint(i))), slice("b", [endpoint(10)])];
  const changes = planSlices(service, "IPv4", existing, desired(range(0, 11).map((i) => endpoint(i))), MAX);
  assert.deepEqual(changes, { create: [], update: [], delete: [] });
});

Deno.test("planSlices: new endpoints top up the slices being updated anyway before any other", () => {
  const existing = [slice("a", range(0, 8).map((i) => endpoint(i))), slice("b", range(8, 12).map((i) => endpoint(i)))];
  // web-0 turns not ready, so "a" is written anyway; three new pods arrive.
  const wanted = [endpoint(0, false), ...range(1, 15).map((i) => endpoint(i))];
  const changes = planSlices(service, "IPv4", existing, desired(wanted), MAX);
  assert.deepEqual(sizes(changes.update), [["a", 10], ["b", 5]]);
  assert.deepEqual(changes.create, []);
  assert.deepEqual(changes.update[0].endpoints![0].conditions?.ready, false);
});

Deno.test("planSlices: leftovers go to the unchanged slice they fill best", () => {
  const existing = [
    slice("half", range(0, 5).map((i) => endpoint(i))),
    slice("most", range(5, 12).map((i) => endpoint(i))),
  ];
  const changes = planSlices(service, "IPv4", existing, desired(range(0, 15).map((i) => endpoint(i))), MAX);
  assert.deepEqual(sizes(changes.update), [["most", 10]]);
  assert.deepEqual(changes.create, []);
});

Deno.test("planSlices: what fits nowhere goes into new slices of at most the maximum", () => {
  const changes = planSlices(service, "IPv4", [], desired(range(0, 25).map((i) => endpoint(i))), MAX);
  assert.deepEqual(sizes(changes.create), [[undefined, 10], [undefined, 10], [undefined, 5]]);
  assert.equal(changes.create[0].metadata.generateName, "web-");
});

Deno.test("planSlices: a slice left empty is deleted", () => {
  const existing = [slice("a", range(0, 10).map((i) => endpoint(i))), slice("b", [endpoint(10)])];
  const changes = planSlices(service, "IPv4", existing, desired(range(0, 10).map((i) => endpoint(i))), MAX);
  assert.deepEqual(sizes(changes.delete), [["b", 1]]);
});

Deno.test("planSlices: a create and a delete become an update of the doomed slice under its name", () => {
  const newPorts = [{ name: "", port: 8080, protocol: "TCP" }];
  const existing = [slice("old-ports", range(0, 3).map((i) => endpoint(i)))];
  const changes = planSlices(service, "IPv4", existing, desired(range(0, 3).map((i) => endpoint(i)), newPorts), MAX);
  assert.deepEqual(sizes(changes.update), [["old-ports", 3]]);
  assert.deepEqual(changes.update[0].ports, newPorts);
  assert.equal(changes.update[0].metadata.resourceVersion, "5");
  assert.deepEqual(changes.create, []);
  assert.deepEqual(changes.delete, []);
});

Deno.test("planSlices: a slice of a deleted namesake Service is deleted, not reused", () => {
  const stale = slice("stale", [endpoint(0)]);
  stale.metadata.ownerReferences = [{ ...stale.metadata.ownerReferences![0], uid: "old-uid" }];
  const changes = planSlices(service, "IPv4", [stale], desired([endpoint(0)]), MAX);
  assert.deepEqual(sizes(changes.delete), [["stale", 1]]);
  assert.deepEqual(sizes(changes.create), [[undefined, 1]]);
});

Deno.test("planSlices: without endpoints a placeholder is created once, then kept", () => {
  const first = planSlices(service, "IPv4", [], new Map(), MAX);
  assert.equal(first.create.length, 1);
  assert.deepEqual([first.create[0].endpoints, first.create[0].ports], [[], []]);
  const placeholder = { ...first.create[0], metadata: { ...first.create[0].metadata, name: "web-abcde" } };
  assert.deepEqual(planSlices(service, "IPv4", [placeholder], new Map(), MAX), { create: [], update: [], delete: [] });
});

Deno.test("planSlices: a change of the Service's labels updates the slices", () => {
  const existing = [slice("a", [endpoint(0)])];
  const relabeled: Service = { ...service, metadata: { ...service.metadata, labels: { team: "b" } } };
  const changes = planSlices(relabeled, "IPv4", existing, desired([endpoint(0)]), MAX);
  assert.deepEqual(changes.update.map((s) => s.metadata.labels?.team), ["b"]);
});
