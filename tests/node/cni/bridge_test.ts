// The pod network conflist the agent writes for containerd's CRI plugin.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BRIDGE_CONFLIST, bridgeConflist, writeBridgeConflist } from "../../../node/cni/mod.ts";

Deno.test("the conflist is a cni0 gateway bridge with masquerade and hairpin, host-local on the pod CIDR, and portmap", () => {
  const conf = JSON.parse(bridgeConflist({ podCIDR: "10.42.3.0/24" }));
  assert.equal(conf.cniVersion, "1.0.0");
  const [bridge, portmap] = conf.plugins;
  assert.deepEqual(
    {
      type: bridge.type,
      bridge: bridge.bridge,
      gw: bridge.isGateway,
      masq: bridge.ipMasq,
      hairpin: bridge.hairpinMode,
    },
    { type: "bridge", bridge: "cni0", gw: true, masq: true, hairpin: true },
  );
  assert.deepEqual(bridge.ipam, {
    type: "host-local",
    ranges: [[{ subnet: "10.42.3.0/24" }]],
    routes: [{ dst: "0.0.0.0/0" }],
  });
  assert.deepEqual(portmap, { type: "portmap", capabilities: { portMappings: true } });
});

Deno.test("a test network names its own bridge and host-local state directory", () => {
  const conf = JSON.parse(bridgeConflist({ podCIDR: "10.88.7.0/24", bridge: "k3st1a2b", ipamDataDir: "/tmp/x/ipam" }));
  assert.equal(conf.plugins[0].bridge, "k3st1a2b");
  assert.equal(conf.plugins[0].ipam.dataDir, "/tmp/x/ipam");
});

Deno.test("the conflist is written into the conf dir once, and again only when the pod CIDR changes", () => {
  const dir = join(mkdtempSync(join(tmpdir(), "cni-")), "net.d");
  try {
    assert.equal(writeBridgeConflist(dir, { podCIDR: "10.42.0.0/24" }), true);
    const path = join(dir, BRIDGE_CONFLIST);
    assert.equal(JSON.parse(readFileSync(path, "utf8")).plugins[0].ipam.ranges[0][0].subnet, "10.42.0.0/24");
    const written = statSync(path).mtimeMs;
    assert.equal(writeBridgeConflist(dir, { podCIDR: "10.42.0.0/24" }), false);
    assert.equal(statSync(path).mtimeMs, written);
    assert.equal(writeBridgeConflist(dir, { podCIDR: "10.42.1.0/24" }), true);
    assert.equal(JSON.parse(readFileSync(path, "utf8")).plugins[0].ipam.ranges[0][0].subnet, "10.42.1.0/24");
  } finally {
    rmSync(join(dir, ".."), { recursive: true, force: true });
  }
});
