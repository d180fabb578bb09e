// A container's environment against a real in-process API server: ConfigMap and Secret references, the downward
// API, resources, envFrom and the service links, with the kubelet's precedence and error wording.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { Client } from "../../../core/client/mod.ts";
import { containerEnv, EnvError } from "../../../node/env/mod.ts";
import type { Container, Pod } from "../../../node/kubelet/pod.ts";
import { withCluster } from "../../support/cluster.ts";

const b64 = (text: string) => Buffer.from(text).toString("base64");

function podWith(container: Partial<Container>, spec: Partial<Pod["spec"]> = {}): [Pod, Container] {
  const c: Container = { name: "app", image: "busybox:1.36", ...container };
  const pod = {
    metadata: {
      name: "web-0",
      namespace: "default",
      uid: "0f9e",
      labels: { app: "web", tier: "front" },
      annotations: { note: 'say "hi"' },
    },
    spec: { nodeName: "n1", serviceAccountName: "builder", containers: [c], ...spec },
  } as Pod;
  return [pod, c];
}

const deps = (client: Client) => ({ client, nodeName: "n1", nodeIP: "10.0.0.2", podIPs: ["10.42.0.5", "fd00::5"] });

async function seed(client: Client): Promise<void> {
  await client.create({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "cfg", namespace: "default" },
    data: { mode: "fast", "1st": "y", LEVEL: "3" },
    binaryData: { blob: b64("bin") },
  });
  await client.create({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "sec", namespace: "default" },
    data: { pw: b64("s3cret"), LEVEL: b64("9") },
  });
}

function asRecord(env: { name: string; value: string }[]): Record<string, string> {
  return Object.fromEntries(env.map((e) => [e.name, e.value]));
}

Deno.test("containerEnv resolves ConfigMap and Secret keys and expands $(VAR) against earlier vars", async () => {
  await withCluster(() => [], async (client) => {
    await seed(client);
    const [pod, c] = podWith({
      env: [
        { name: "MODE", valueFrom: { configMapKeyRef: { name: "cfg", key: "mode" } } },
        { name: "PW", valueFrom: { secretKeyRef: { name: "sec", key: "pw" } } },
        { name: "URL", value: "$(MODE)://$(PW)@$(LATER)/$$(MODE)" },
        { name: "LATER", value: "late" },
      ],
    });
    const env = asRecord(await containerEnv(pod, c, deps(client)));
    assert.equal(env.MODE, "fast");
    assert.equal(env.PW, "s3cret");
    assert.equal(env.URL, "fast://s3cret@$(LATER)/$(MODE)");
  });
});

Deno.test("containerEnv names the missing object or key as the kubelet does", async () => {
  await withCluster(() => [], async (client) => {
    await seed(client);
    const fails = async (env: Container["env"], message: string) => {
      const [pod, c] = podWith({ env });
      await assert.rejects(containerEnv(pod, c, deps(client)), (e) => e instanceof EnvError && e.message === message);
    };
    await fails([{ name: "A", valueFrom: { secretKeyRef: { name: "nope", key: "pw" } } }], `secret "nope" not found`);
    await fails(
      [{ name: "A", valueFrom: { configMapKeyRef: { name: "nope", key: "k" } } }],
      `configmap "nope" not found`,
    );
    await fails(
      [{ name: "A", valueFrom: { secretKeyRef: { name: "sec", key: "user" } } }],
      "couldn't find key user in Secret default/sec",
    );
    await fails(
      [{ name: "A", valueFrom: { configMapKeyRef: { name: "cfg", key: "blob" } } }],
      "couldn't find key blob in ConfigMap default/cfg",
    );
  });
});

Deno.test("containerEnv leaves out optional references that do not resolve", async () => {
  await withCluster(() => [], async (client) => {
    await seed(client);
    const [pod, c] = podWith({
      env: [
        { name: "A", valueFrom: { secretKeyRef: { name: "nope", key: "pw", optional: true } } },
        { name: "B", valueFrom: { configMapKeyRef: { name: "cfg", key: "none", optional: true } } },
      ],
      envFrom: [{ secretRef: { name: "nope", optional: true } }],
    });
    const env = asRecord(await containerEnv(pod, c, deps(client)));
    assert.equal("A" in env, false);
    assert.equal("B" in env, false);
  });
});

Deno.test("containerEnv takes envFrom with prefixes, skips invalid names and lets env override", async () => {
  await withCluster(() => [], async (client) => {
    await seed(client);
    const [pod, c] = podWith({
      envFrom: [{ configMapRef: { name: "cfg" } }, { prefix: "S_", secretRef: { name: "sec" } }],
      env: [{ name: "LEVEL", value: "env-wins" }],
    });
    const env = asRecord(await containerEnv(pod, c, deps(client)));
    assert.equal(env.mode, "fast");
    assert.equal(env.S_pw, "s3cret");
    assert.equal(env.S_LEVEL, "9");
    assert.equal(env.LEVEL, "env-wins");
    assert.equal("1st" in env, false);
    assert.equal("blob" in env, false);
  });
});

Deno.test("containerEnv resolves the downward API field paths", async () => {
  await withCluster(() => [], async (client) => {
    const fields = [
      "metadata.name",
      "metadata.namespace",
      "metadata.uid",
      "metadata.labels['app']",
      "metadata.annotations['note']",
      "metadata.labels",
      "spec.nodeName",
      "spec.serviceAccountName",
      "status.hostIP",
      "status.podIP",
      "status.podIPs",
    ];
    const [pod, c] = podWith({
      env: fields.map((fieldPath, i) => ({ name: `F${i}`, valueFrom: { fieldRef: { fieldPath } } })),
    });
    const env = await containerEnv(pod, c, deps(client));
    const values = Object.fromEntries(env.filter((e) => e.name.startsWith("F")).map((e) => [e.name, e.value]));
    assert.deepEqual(fields.map((_, i) => values[`F${i}`]), [
      "web-0",
      "default",
      "0f9e",
      "web",
      'say "hi"',
      'app="web"\ntier="front"',
      "n1",
      "builder",
      "10.0.0.2",
      "10.42.0.5",
      "10.42.0.5,fd00::5",
    ]);
  });
});

Deno.test("containerEnv resolves resources with divisors, rounding up, and node allocatable for unset limits", async () => {
  await withCluster(() => [], async (client) => {
    const [pod, c] = podWith({
      resources: { requests: { cpu: "250m", memory: "100Mi" }, limits: { memory: "129Mi" } },
      env: [
        { name: "REQ_CPU", valueFrom: { resourceFieldRef: { resource: "requests.cpu" } } },
        { name: "REQ_CPU_M", valueFrom: { resourceFieldRef: { resource: "requests.cpu", divisor: "1m" } } },
        { name: "LIM_MEM_MI", valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "64Mi" } } },
        { name: "LIM_CPU", valueFrom: { resourceFieldRef: { resource: "limits.cpu" } } },
      ],
    });
    const env = asRecord(
      await containerEnv(pod, c, { ...deps(client), nodeAllocatable: { cpu: 2, memory: 4 * 2 ** 30 } }),
    );
    assert.equal(env.REQ_CPU, "1");
    assert.equal(env.REQ_CPU_M, "250");
    assert.equal(env.LIM_MEM_MI, "3");
    assert.equal(env.LIM_CPU, "2");
  });
});

Deno.test("containerEnv adds service links for the pod's namespace and never overrides env", async () => {
  await withCluster(() => [], async (client) => {
    await client.create({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "redis-primary", namespace: "default" },
      spec: { ports: [{ port: 6379 }] },
    });
    const [pod, c] = podWith({ env: [{ name: "REDIS_PRIMARY_SERVICE_PORT", value: "mine" }] });
    const env = asRecord(await containerEnv(pod, c, deps(client)));
    assert.match(env.REDIS_PRIMARY_SERVICE_HOST, /^10\.43\./);
    assert.equal(env.REDIS_PRIMARY_SERVICE_PORT, "mine");
    assert.equal(env.REDIS_PRIMARY_PORT_6379_TCP_PORT, "6379");
    assert.equal(env.KUBERNETES_SERVICE_PORT, "443");
    assert.equal(env.KUBERNETES_SERVICE_PORT_HTTPS, "443");
  });
});

Deno.test("containerEnv keeps only the kubernetes service's vars when enableServiceLinks is false", async () => {
  await withCluster(() => [], async (client) => {
    await client.create({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "redis", namespace: "default" },
      spec: { ports: [{ port: 6379 }] },
    });
    const [pod, c] = podWith({}, { enableServiceLinks: false });
    const env = asRecord(await containerEnv(pod, c, deps(client)));
    assert.equal("REDIS_SERVICE_HOST" in env, false);
    assert.match(env.KUBERNETES_SERVICE_HOST, /^10\.43\.0\.1$/);
    assert.equal(env.KUBERNETES_PORT, `tcp://${env.KUBERNETES_SERVICE_HOST}:443`);
  });
});
