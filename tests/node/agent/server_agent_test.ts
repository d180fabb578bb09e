import assert from "node:assert/strict";
import { localSupervisorURL } from "../../../node/agent/mod.ts";

Deno.test("localSupervisorURL: a server bound to every address is joined over loopback", () => {
  for (const bindAddress of [undefined, "", "0.0.0.0", "::"]) {
    assert.equal(
      localSupervisorURL({ bindAddress, port: 6443, advertiseAddress: "10.0.0.1" }),
      "https://127.0.0.1:6443",
    );
  }
});

Deno.test("localSupervisorURL: a server bound to one address is joined there, an IPv6 one in brackets", () => {
  assert.equal(
    localSupervisorURL({ bindAddress: "127.0.0.2", port: 6443, advertiseAddress: "127.0.0.2" }),
    "https://127.0.0.2:6443",
  );
  assert.equal(
    localSupervisorURL({ bindAddress: "fd00::1", port: 6443, advertiseAddress: "fd00::1" }),
    "https://[fd00::1]:6443",
  );
});
