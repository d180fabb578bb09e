import assert from "node:assert/strict";
import { PACKAGED_COMPONENTS, validateDisable } from "../../../controllers/addon/disable.ts";

Deno.test("disable: K3s's packaged components are accepted and an unknown name is refused with the valid ones", () => {
  validateDisable(PACKAGED_COMPONENTS);
  assert.throws(
    () => validateDisable(["traefik", "trafik"]),
    {
      message:
        'invalid value "trafik" for --disable (valid items: coredns, servicelb, traefik, local-storage, metrics-server, runtimes)',
    },
  );
});
