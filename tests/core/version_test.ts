import assert from "node:assert/strict";
import { K3S_VERSION, KUBERNETES_VERSION, versionText } from "../../core/version.ts";

Deno.test("version: the release is the Kubernetes version with K3s's +k3s-style suffix", () => {
  assert.match(K3S_VERSION, /^v1\.32\.\d+\+k3sts\d+$/);
  assert.ok(K3S_VERSION.startsWith(`${KUBERNETES_VERSION}+`));
});

Deno.test("version: --version prints K3s's two lines, the commit unstamped from source and the runtime", () => {
  assert.equal(versionText(), `k3s version ${K3S_VERSION} (dev)\ndeno version v${Deno.version.deno}`);
});
