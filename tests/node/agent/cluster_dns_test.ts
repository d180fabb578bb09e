// The cluster DNS address derived from the service CIDR, as K3s derives it.
import assert from "node:assert/strict";
import { defaultClusterDNS } from "../../../node/agent/mod.ts";

Deno.test("the default cluster DNS is the service CIDR's tenth address", () => {
  assert.equal(defaultClusterDNS("10.43.0.0/16"), "10.43.0.10");
  assert.equal(defaultClusterDNS("172.20.128.0/17"), "172.20.128.10");
  assert.equal(defaultClusterDNS("10.43.5.7/16,fd00:43::/112"), "10.43.0.10");
});

Deno.test("a service CIDR the DNS address cannot be taken from asks for --cluster-dns", () => {
  assert.throws(() => defaultClusterDNS("fd00:43::/112"), /pass --cluster-dns/);
  assert.throws(() => defaultClusterDNS("10.43.0.0/30"), /pass --cluster-dns/);
});
