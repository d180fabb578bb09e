import assert from "node:assert/strict";
import { apiServerSANs, firstServiceIP, localAddresses, normalizeIP, splitSANs } from "../../../core/pki/mod.ts";

Deno.test("pki sans: IPs are compared in canonical form; names are not IPs", () => {
  assert.equal(normalizeIP("0:0:0:0:0:0:0:1"), "::1");
  assert.equal(normalizeIP("FD00:0043:0000::0001"), "fd00:43::1");
  assert.equal(normalizeIP("10.43.0.1"), "10.43.0.1");
  assert.equal(normalizeIP("010.43.0.1"), undefined);
  assert.equal(normalizeIP("k3s.example.com"), undefined);
  assert.equal(normalizeIP("fe80::1%eth0"), undefined);
});

Deno.test("pki sans: the kubernetes Service IP is the first address of the primary service range", () => {
  assert.equal(firstServiceIP("10.43.0.0/16"), "10.43.0.1");
  assert.equal(firstServiceIP("10.43.7.9/16"), "10.43.0.1");
  assert.equal(firstServiceIP("192.168.100.0/24, 10.0.0.0/8"), "192.168.100.1");
  assert.equal(firstServiceIP("fd00:43::/112,10.43.0.0/16"), "fd00:43::1");
  assert.equal(firstServiceIP("2001:db8:1:2:3:4:5:0/112"), "2001:db8:1:2:3:4:5:1");
  for (const bad of ["10.43.0.0", "10.43.0.0/33", "nope/16", "10.43.0.0/16/2", "10.43.0.0/x"]) {
    assert.throws(() => firstServiceIP(bad), /invalid service CIDR/);
  }
});

Deno.test("pki sans: --tls-san values are split into DNS names and IPs, deduplicated in order", () => {
  assert.deepEqual(splitSANs(["k3s.example.com", " 203.0.113.7 ", "", "k3s.example.com", "0::1", "::1"]), {
    dns: ["k3s.example.com"],
    ips: ["203.0.113.7", "::1"],
  });
});

Deno.test("pki sans: the API server certificate covers K3s's names, the node, the service IP and --tls-san", () => {
  const sans = apiServerSANs({
    tlsSans: ["k3s.example.com", "203.0.113.7"],
    hostname: "Node-1",
    addresses: ["192.0.2.2", "fd00::2"],
    serviceCIDR: "10.96.0.0/12",
    clusterDomain: "corp.local",
  });
  assert.deepEqual(sans.dns, [
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    "kubernetes.default.svc.corp.local",
    "k3s.example.com",
    "localhost",
    "node-1",
  ]);
  assert.deepEqual(sans.ips, ["203.0.113.7", "127.0.0.1", "::1", "192.0.2.2", "fd00::2", "10.96.0.1"]);
});

Deno.test("pki sans: defaults use the host's name and addresses and 10.43.0.1", () => {
  const sans = apiServerSANs();
  assert.ok(sans.dns.includes("kubernetes.default.svc.cluster.local"));
  assert.ok(sans.ips.includes("10.43.0.1"));
  for (const ip of localAddresses()) assert.ok(sans.ips.includes(ip));
});

Deno.test("pki sans: local addresses leave out loopback and link-local IPv6", () => {
  const entry = (address: string, internal = false) => ({ address, internal });
  const found = localAddresses({
    lo: [entry("127.0.0.1", true), entry("::1", true)],
    eth0: [entry("192.0.2.2"), entry("fd00:0::2"), entry("fe80::fc:ff:fe00:1")],
    eth1: [entry("192.0.2.2")],
  });
  assert.deepEqual(found, ["192.0.2.2", "fd00::2"]);
});
