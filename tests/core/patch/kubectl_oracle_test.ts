// kubectl 1.32 as the oracle: the patches it sends for set image / set env / rollout restart / apply / edit are
// applied by us and by `kubectl patch --local` (apimachinery with kubectl's compiled-in types), and must agree;
// so must the shared cases and a few hundred random patches. Skipped when kubectl is absent.
import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { strategicMergePatch } from "../../../core/patch/strategic.ts";
import { patchMetaFor } from "../../../core/patch/meta.ts";
import { KUBECTL, startFakeApiServer } from "../discovery/fake_apiserver.ts";
import { CASES } from "./cases.ts";
import { HAVE_KUBECTL, kubectlPatchLocal, type Outcome, outcome } from "./oracle.ts";
import { Random, randomPod, randomPodPatch } from "./random_cases.ts";

const ignore = !HAVE_KUBECTL;

// deno-lint-ignore no-explicit-any
type Json = any;

for (const c of CASES) {
  Deno.test({
    name: `strategic merge patch oracle: kubectl agrees that ${c.name}`,
    ignore,
    async fn() {
      const kubectl = await kubectlPatchLocal(c.original, c.patch);
      if ("value" in c.expected) assert.deepEqual(kubectl, { value: c.expected.value });
      else assert.deepEqual(kubectl, { error: c.expected.error.trim() });
    },
  });
}

const lastApplied = (object: Json) => ({
  "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify(object),
});

const appliedDeployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "default" },
  spec: {
    selector: { matchLabels: { app: "web" } },
    strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: {
        containers: [
          {
            name: "web",
            image: "nginx",
            env: [{ name: "A", value: "1" }, { name: "B", value: "2" }],
            ports: [{ containerPort: 80 }],
            volumeMounts: [{ name: "data", mountPath: "/data" }],
          },
          { name: "side", image: "busybox" },
        ],
        volumes: [{ name: "data", emptyDir: {} }],
      },
    },
  },
};

/** The live Deployment: what was applied, plus server defaults. */
const liveDeployment: Json = {
  ...appliedDeployment,
  metadata: { ...appliedDeployment.metadata, uid: "u1", annotations: lastApplied(appliedDeployment) },
  spec: {
    ...structuredClone(appliedDeployment.spec),
    replicas: 1,
    strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: "25%" } },
  },
};
liveDeployment.spec.template.spec.containers[0].ports[0].protocol = "TCP";
liveDeployment.spec.template.spec.containers[0].terminationMessagePath = "/dev/termination-log";

const DEPLOYMENT_PATH = "/apis/apps/v1/namespaces/default/deployments/web";

/** Run kubectl against a fake server serving `live`, and return the strategic merge patch it sent. */
async function capturePatch(live: Json, path: string, args: string[], stdin?: string, editor?: string): Promise<Json> {
  await using server = await startFakeApiServer({ objects: { [path]: live } });
  const env: Record<string, string> = { HOME: server.dir };
  if (editor) {
    await Deno.writeTextFile(`${server.dir}/editor.sh`, `#!/bin/sh\n${editor} "$1"\n`);
    await Deno.chmod(`${server.dir}/editor.sh`, 0o755);
    env.KUBE_EDITOR = `${server.dir}/editor.sh`;
  }
  const child = new Deno.Command(KUBECTL, {
    args: [`--kubeconfig=${server.dir}/kubeconfig`, `--cache-dir=${server.dir}/cache`, ...args],
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env,
    clearEnv: true,
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const { code, stderr } = await child.output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const patches = server.requests.filter((r) => r.method === "PATCH");
  assert.equal(patches.length, 1);
  assert.equal(patches[0].contentType, "application/strategic-merge-patch+json");
  return JSON.parse(patches[0].body);
}

/** Apply `patch` with us and with kubectl; they must agree. Returns the result. */
async function applyBoth(live: Json, patch: Json, gvk: [string, string, string]): Promise<Json> {
  const ours = strategicMergePatch(live, patch, patchMetaFor(...gvk));
  assert.deepEqual(await kubectlPatchLocal(live, patch), { value: ours });
  return ours;
}

const DEPLOYMENT: [string, string, string] = ["apps", "v1", "Deployment"];

Deno.test({
  name: "strategic merge patch oracle: kubectl set image changes only that container's image",
  ignore,
  async fn() {
    const patch = await capturePatch(liveDeployment, DEPLOYMENT_PATH, [
      "set",
      "image",
      "deployment/web",
      "web=nginx:2",
    ]);
    const result = await applyBoth(liveDeployment, patch, DEPLOYMENT);
    const expected = structuredClone(liveDeployment);
    expected.spec.template.spec.containers[0].image = "nginx:2";
    assert.deepEqual(result, expected);
  },
});

Deno.test({
  name: "strategic merge patch oracle: kubectl set env adds, updates and removes variables of one container",
  ignore,
  async fn() {
    const patch = await capturePatch(liveDeployment, DEPLOYMENT_PATH, [
      "set",
      "env",
      "deployment/web",
      "-c",
      "web",
      "C=3",
      "B=9",
      "A-",
    ]);
    const result = await applyBoth(liveDeployment, patch, DEPLOYMENT);
    assert.deepEqual(result.spec.template.spec.containers[0].env, [{ name: "B", value: "9" }, {
      name: "C",
      value: "3",
    }]);
    assert.deepEqual(result.spec.template.spec.containers[1], { name: "side", image: "busybox" });
  },
});

Deno.test({
  name: "strategic merge patch oracle: kubectl rollout restart adds the restartedAt template annotation",
  ignore,
  async fn() {
    const patch = await capturePatch(liveDeployment, DEPLOYMENT_PATH, ["rollout", "restart", "deployment/web"]);
    const result = await applyBoth(liveDeployment, patch, DEPLOYMENT);
    assert.match(result.spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"], /^\d{4}-/);
    assert.deepEqual(result.spec.template.spec, liveDeployment.spec.template.spec);
  },
});

Deno.test({
  name: "strategic merge patch oracle: kubectl apply's three-way patch (Recreate, reordered containers, " +
    "changed env/ports/volumes) lands as the applied manifest plus server defaults",
  ignore,
  async fn() {
    const manifest: Json = structuredClone(appliedDeployment);
    manifest.spec.strategy = { type: "Recreate" };
    const [web, side] = manifest.spec.template.spec.containers;
    web.env = [{ name: "B", value: "3" }, { name: "C", value: "4" }];
    web.ports = [{ containerPort: 80 }, { containerPort: 443 }];
    web.volumeMounts = [{ name: "data", mountPath: "/srv" }];
    side.image = "busybox:2";
    manifest.spec.template.spec.containers = [side, web];
    manifest.spec.template.spec.volumes = [{ name: "data", hostPath: { path: "/var/data" } }];
    const patch = await capturePatch(liveDeployment, DEPLOYMENT_PATH, ["apply", "-f", "-"], JSON.stringify(manifest));
    assert.deepEqual(patch.spec.strategy.$retainKeys, ["type"]);
    const result = await applyBoth(liveDeployment, patch, DEPLOYMENT);
    assert.deepEqual(result.spec.strategy, { type: "Recreate" });
    const spec = result.spec.template.spec;
    assert.deepEqual(spec.containers.map((c: Json) => c.name), ["side", "web"]);
    assert.deepEqual(spec.containers[1].env, web.env);
    assert.deepEqual(spec.containers[1].ports, [{ containerPort: 80, protocol: "TCP" }, { containerPort: 443 }]);
    assert.deepEqual(spec.containers[1].volumeMounts, web.volumeMounts);
    assert.equal(spec.containers[1].terminationMessagePath, "/dev/termination-log");
    assert.deepEqual(spec.volumes, [{ name: "data", hostPath: { path: "/var/data" } }]);
  },
});

Deno.test({
  name: "strategic merge patch oracle: kubectl apply of a ConfigMap and a Service (finalizers, ownerReferences, ports)",
  ignore,
  async fn() {
    const cm = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "cm",
        namespace: "default",
        finalizers: ["x.io/a", "x.io/b"],
        ownerReferences: [
          { apiVersion: "v1", kind: "Pod", name: "o1", uid: "u-1" },
          { apiVersion: "v1", kind: "Pod", name: "o2", uid: "u-2" },
        ],
      },
      data: { a: "1", b: "2" },
    };
    const liveCm = { ...cm, metadata: { ...cm.metadata, annotations: lastApplied(cm) } };
    const newCm = {
      ...cm,
      metadata: {
        ...cm.metadata,
        finalizers: ["x.io/b", "x.io/c"],
        ownerReferences: [cm.metadata.ownerReferences[1], { apiVersion: "v1", kind: "Pod", name: "o3", uid: "u-3" }],
      },
      data: { b: "2", c: "3" },
    };
    const cmPatch = await capturePatch(
      liveCm,
      "/api/v1/namespaces/default/configmaps/cm",
      ["apply", "-f", "-"],
      JSON.stringify(newCm),
    );
    assert.deepEqual(cmPatch.metadata["$deleteFromPrimitiveList/finalizers"], ["x.io/a"]);
    const cmResult = await applyBoth(liveCm, cmPatch, ["", "v1", "ConfigMap"]);
    assert.deepEqual(cmResult.metadata.finalizers, newCm.metadata.finalizers);
    assert.deepEqual(cmResult.metadata.ownerReferences, newCm.metadata.ownerReferences);
    assert.deepEqual(cmResult.data, newCm.data);

    const svc = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "s", namespace: "default" },
      spec: {
        selector: { app: "x" },
        ports: [{ name: "http", port: 80, targetPort: 8080 }, { name: "m", port: 9090 }],
      },
    };
    const liveSvc = {
      ...svc,
      metadata: { ...svc.metadata, annotations: lastApplied(svc) },
      spec: {
        ...svc.spec,
        clusterIP: "10.43.0.10",
        ports: [
          { name: "http", port: 80, targetPort: 8080, protocol: "TCP" },
          { name: "m", port: 9090, targetPort: 9090, protocol: "TCP" },
        ],
      },
    };
    const newSvc = {
      ...svc,
      spec: {
        ...svc.spec,
        ports: [{ name: "https", port: 443, targetPort: 8443 }, { name: "http", port: 80, targetPort: 8081 }],
      },
    };
    const svcPatch = await capturePatch(
      liveSvc,
      "/api/v1/namespaces/default/services/s",
      ["apply", "-f", "-"],
      JSON.stringify(newSvc),
    );
    const svcResult = await applyBoth(liveSvc, svcPatch, ["", "v1", "Service"]);
    assert.deepEqual(svcResult.spec.ports, [
      { name: "https", port: 443, targetPort: 8443 },
      { name: "http", port: 80, targetPort: 8081, protocol: "TCP" },
    ]);
    assert.equal(svcResult.spec.clusterIP, "10.43.0.10");
  },
});

Deno.test({
  name: "strategic merge patch oracle: kubectl edit's two-way patch of a Pod (image, volumeMount path)",
  ignore,
  async fn() {
    const live = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", namespace: "default" },
      spec: {
        containers: [{ name: "c", image: "nginx", volumeMounts: [{ name: "v", mountPath: "/a" }] }],
        volumes: [{ name: "v", emptyDir: {} }],
        tolerations: [{ key: "a", operator: "Exists" }],
      },
    };
    const patch = await capturePatch(
      live,
      "/api/v1/namespaces/default/pods/p",
      ["edit", "pod/p"],
      undefined,
      "sed -i -e 's/image: nginx/image: nginx:edited/' -e 's#mountPath: /a#mountPath: /c#'",
    );
    const result = await applyBoth(live, patch, ["", "v1", "Pod"]);
    assert.deepEqual(result.spec.containers, [{
      name: "c",
      image: "nginx:edited",
      volumeMounts: [{ name: "v", mountPath: "/c" }],
    }]);
    assert.deepEqual(result.spec.tolerations, live.spec.tolerations);
  },
});

/** kubectl's answer may depend on Go's random map order when a patch holds two errors: ask a few times. */
async function kubectlAgrees(original: Json, patch: Json, ours: Outcome): Promise<Outcome | undefined> {
  let last: Outcome | undefined;
  for (let attempt = 0; attempt < ("error" in ours ? 4 : 1); attempt++) {
    last = await kubectlPatchLocal(original, patch);
    if (isDeepStrictEqual(last, ours)) return undefined;
  }
  return last;
}

Deno.test({
  name: "strategic merge patch oracle: 150 random Pod patches give kubectl's result or its error message",
  ignore,
  async fn() {
    const random = new Random(20250601);
    const cases = Array.from({ length: 150 }, () => ({ original: randomPod(random), patch: randomPodPatch(random) }));
    const meta = patchMetaFor("", "v1", "Pod");
    const mismatches: unknown[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const { original, patch } = cases[next++];
        const ours = outcome(() => strategicMergePatch(original, patch, meta));
        const kubectl = await kubectlAgrees(original, patch, ours);
        if (kubectl) mismatches.push({ original, patch, ours, kubectl });
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    assert.deepEqual(mismatches.slice(0, 3), []);
  },
});

Deno.test({
  name: "strategic merge patch property: kubectl apply's patch from random Pod A to random Pod B turns A into B",
  ignore,
  async fn() {
    const random = new Random(20261128);
    const path = "/api/v1/namespaces/default/pods/p";
    const failures: unknown[] = [];
    let patched = 0;
    let next = 0;
    const pairs = Array.from({ length: 40 }, () => [randomPod(random), randomPod(random)]);
    for (const [a, b] of pairs) a.metadata.namespace = b.metadata.namespace = "default";
    const worker = async () => {
      while (next < pairs.length) {
        const [a, b] = pairs[next++];
        // Live A as `kubectl apply -f A` left it; kubectl computes the three-way patch to B.
        const live = { ...a, metadata: { ...a.metadata, annotations: lastApplied(a) } };
        await using server = await startFakeApiServer({ objects: { [path]: live } });
        const child = new Deno.Command(KUBECTL, {
          args: [`--kubeconfig=${server.dir}/kubeconfig`, `--cache-dir=${server.dir}/cache`, "apply", "-f", "-"],
          stdin: "piped",
          stdout: "null",
          stderr: "null",
          env: { HOME: server.dir },
          clearEnv: true,
        }).spawn();
        const writer = child.stdin.getWriter();
        await writer.write(new TextEncoder().encode(JSON.stringify(b)));
        await writer.close();
        const { code } = await child.output();
        assert.equal(code, 0, `kubectl apply of ${JSON.stringify(b)}`);
        const patches = server.requests.filter((r) => r.method === "PATCH");
        patched += patches.length;
        const result = patches.length === 0
          ? live
          : strategicMergePatch(live, JSON.parse(patches[0].body), patchMetaFor("", "v1", "Pod"));
        const { annotations: _, ...meta } = result.metadata;
        if (!isDeepStrictEqual({ ...result, metadata: meta }, b)) failures.push({ a, b, patches, result });
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    assert.deepEqual(failures.slice(0, 2), []);
    assert.ok(patched >= 35, `kubectl sent a patch for most pairs (${patched} of 40)`);
  },
});
