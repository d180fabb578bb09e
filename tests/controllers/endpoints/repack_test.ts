import assert from "node:assert/strict";
import { type EndpointAddress, repackSubsets } from "../../../controllers/endpoints/mod.ts";

function address(ip: string, uid = `uid-${ip}`): EndpointAddress {
  return { ip, targetRef: { kind: "Pod", namespace: "default", name: `pod-${ip}`, uid } };
}
const http = { name: "http", port: 8080, protocol: "TCP" };
const metrics = { name: "metrics", port: 9100, protocol: "TCP" };

Deno.test("repackSubsets: addresses offering the same ports share one subset, sorted by IP", () => {
  const repacked = repackSubsets([
    { addresses: [address("10.0.0.2")], ports: [http] },
    { addresses: [address("10.0.0.1")], ports: [metrics] },
    { addresses: [address("10.0.0.1")], ports: [http] },
    { addresses: [address("10.0.0.2")], ports: [metrics] },
  ]);
  assert.deepEqual(repacked, [{ addresses: [address("10.0.0.1"), address("10.0.0.2")], ports: [http, metrics] }]);
});

Deno.test("repackSubsets: ready and not-ready addresses of one port stay apart within its subset", () => {
  const repacked = repackSubsets([
    { notReadyAddresses: [address("10.0.0.3")], ports: [http] },
    { addresses: [address("10.0.0.1")], ports: [http] },
  ]);
  assert.deepEqual(repacked, [{
    addresses: [address("10.0.0.1")],
    notReadyAddresses: [address("10.0.0.3")],
    ports: [http],
  }]);
});

Deno.test("repackSubsets: an address listed both ways for a port counts as not ready", () => {
  const repacked = repackSubsets([
    { addresses: [address("10.0.0.1")], ports: [http] },
    { notReadyAddresses: [address("10.0.0.1")], ports: [http] },
  ]);
  assert.deepEqual(repacked, [{ notReadyAddresses: [address("10.0.0.1")], ports: [http] }]);
});

Deno.test("repackSubsets: addresses with different ports get different subsets", () => {
  const repacked = repackSubsets([
    { addresses: [address("10.0.0.1")], ports: [http] },
    { addresses: [address("10.0.0.2")], ports: [{ ...http, port: 8081 }] },
  ]);
  assert.deepEqual(repacked, [
    { addresses: [address("10.0.0.1")], ports: [http] },
    { addresses: [address("10.0.0.2")], ports: [{ ...http, port: 8081 }] },
  ]);
});

Deno.test("repackSubsets: addresses without ports (a headless Service) are kept, without ports", () => {
  const repacked = repackSubsets([{ addresses: [address("10.0.0.2")], ports: [] }, {
    addresses: [address("10.0.0.1")],
  }]);
  assert.deepEqual(repacked, [{ addresses: [address("10.0.0.1"), address("10.0.0.2")] }]);
});

Deno.test("repackSubsets: one IP behind two pods is two addresses, ordered by uid", () => {
  const repacked = repackSubsets([
    { addresses: [address("10.0.0.1", "b")], ports: [http] },
    { addresses: [address("10.0.0.1", "a")], ports: [http] },
  ]);
  assert.deepEqual(repacked[0].addresses!.map((a) => a.targetRef!.uid), ["a", "b"]);
});
