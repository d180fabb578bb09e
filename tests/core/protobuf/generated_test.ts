import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescriptorSet } from "../../../core/protobuf/descriptor.ts";
import { MESSAGES, PACKAGES } from "../../../core/protobuf/generated/k8s_1_32.ts";

const set = new DescriptorSet(PACKAGES, MESSAGES);

Deno.test("protobuf descriptor: every message parses and every reference resolves", () => {
  assert.ok(set.size > 1000, `only ${set.size} messages`);
  const names = new Set<string>();
  for (let i = 0; i < set.size; i++) {
    const m = set.at(i);
    assert.ok(!names.has(m.fullName), `duplicate ${m.fullName}`);
    names.add(m.fullName);
    for (const f of m.fields.values()) {
      assert.match(f.jsonName, /^[\w$-]+$/, `${m.fullName} field ${f.number}`);
      if ("message" in f.value) assert.ok(f.value.message < set.size, `${m.fullName}.${f.jsonName}`);
    }
  }
});

Deno.test("protobuf descriptor: carries the Go JSON facts the .proto files lack", () => {
  const field = (msg: string, name: string) => {
    const m = set.find(msg);
    assert.ok(m, msg);
    const f = [...m.fields.values()].find((x) => x.jsonName === name);
    assert.ok(f, `${msg}.${name}`);
    return f;
  };
  assert.equal(field("k8s.io.api.apps.v1.DeploymentSpec", "replicas").keepZero, true); // *int32
  assert.equal(field("k8s.io.api.apps.v1.DeploymentSpec", "minReadySeconds").keepZero, false); // omitempty
  assert.equal(field("k8s.io.api.core.v1.ContainerPort", "containerPort").keepZero, true); // no omitempty
  assert.equal(field("k8s.io.api.core.v1.Volume", "volumeSource").inline, true);
  assert.equal(field("k8s.io.api.core.v1.ConfigMap", "metadata").inline, false); // embedded but named
  assert.equal(field("k8s.io.api.authentication.v1.BoundObjectReference", "uid").number, 4); // proto name uID
  assert.equal(field("k8s.io.api.networking.v1.IngressClassParametersReference", "apiGroup").number, 1);
  assert.deepEqual(field("k8s.io.api.core.v1.Secret", "data").key, "s");
  assert.equal(set.find("k8s.io.api.authorization.v1.ExtraValue")?.list, true);
  assert.equal(set.find("k8s.io.apimachinery.pkg.apis.meta.v1.Verbs")?.list, true);
});

const FDS = new URL("../../../../shared/data/k8s-1.32-protobuf-FileDescriptorSet.bin", import.meta.url).pathname;
const GO_SOURCES = ["api", "apimachinery", "metrics"].map((n) => `/work/.mirror/kubernetes+${n}/repo`);

Deno.test({
  name: "protobuf descriptor: scripts/gen-protobuf.ts reproduces the committed file",
  // Needs the FileDescriptorSet and the Go sources (GitHub mirror); skipped where they are absent.
  ignore: ![FDS, ...GO_SOURCES].every(existsSync),
  fn: async () => {
    const out = join(mkdtempSync(join(tmpdir(), "k3s-genpb-")), "k8s_1_32.ts");
    const script = new URL("../../../scripts/gen-protobuf.ts", import.meta.url).pathname;
    const run = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", script, FDS, `--out=${out}`] }).output();
    assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
    const committed = new URL("../../../core/protobuf/generated/k8s_1_32.ts", import.meta.url);
    assert.equal(readFileSync(out, "utf8"), readFileSync(committed, "utf8"));
  },
});
