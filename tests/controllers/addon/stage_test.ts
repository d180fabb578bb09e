import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { manifestsDir, stageManifests } from "../../../controllers/addon/mod.ts";

Deno.test("stage: only the manifests of components not disabled are written, mode 0600, with template variables filled in", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "addon-stage-"));
  try {
    const dir = manifestsDir(dataDir);
    const manifests = {
      "coredns.yaml": "clusterIP: %{CLUSTER_DNS}%\n",
      "traefik.yaml": "kind: HelmChart\n",
      "metrics-server/service.yaml": "kind: Service\n",
      "metrics-server/deployment.yaml": "kind: Deployment\n",
    };
    const written = await stageManifests(dataDir, ["traefik", "metrics-server"], {
      manifests,
      vars: { "%{CLUSTER_DNS}%": "10.43.0.10" },
    });
    assert.deepEqual(written, [join(dir, "coredns.yaml")]);
    assert.equal(readFileSync(join(dir, "coredns.yaml"), "utf8"), "clusterIP: 10.43.0.10\n");
    assert.equal(statSync(join(dir, "coredns.yaml")).mode & 0o777, 0o600);
    assert.equal(existsSync(join(dir, "traefik.yaml")), false);
    assert.equal(existsSync(join(dir, "metrics-server")), false);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

Deno.test("stage: a packaged manifest is written again at every start, whatever was changed in it", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "addon-stage-"));
  try {
    const path = join(manifestsDir(dataDir), "coredns.yaml");
    const manifests = { "coredns.yaml": "kind: Service\n" };
    await stageManifests(dataDir, [], { manifests });
    writeFileSync(path, "edited\n", { mode: 0o644 });
    chmodSync(path, 0o644);
    await stageManifests(dataDir, [], { manifests });
    assert.equal(readFileSync(path, "utf8"), "kind: Service\n");
    assert.equal(statSync(path).mode & 0o777, 0o600);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
