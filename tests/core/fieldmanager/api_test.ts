// Server-side apply and managedFields through the API router of a real in-process server.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeObject } from "../../../core/api/storage.ts";
import { CONTROLLER_USER } from "../../../core/client/in_process.ts";
import { type Server, startServer } from "../../../core/server/start.ts";
import { withPodPrerequisites } from "../../support/cluster.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

interface Api {
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ code: number; body: KubeObject }>;
  apply(path: string, yaml: string, query?: string): Promise<{ code: number; body: KubeObject }>;
}

async function withApi(fn: (api: Api, server: Server) => Promise<void>): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), "k3s-ssa-"));
  const server = await startServer({
    dataDir,
    httpsPort: 0,
    bindAddress: "127.0.0.1",
    kubeconfigPath: join(dataDir, "k3s.yaml"),
    log: () => {},
    controllers: withPodPrerequisites(dataDir),
  });
  const call: Api["call"] = async (method, path, body, headers = {}) => {
    const response = await server.router.handle(
      new Request(`https://k3s.local${path}`, {
        method,
        headers: { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      }),
      CONTROLLER_USER,
    );
    return { code: response.status, body: await response.json() };
  };
  const apply: Api["apply"] = (path, yaml, query = "fieldManager=kubectl") =>
    call("PATCH", `${path}?${query}`, yaml, { "content-type": "application/apply-patch+yaml" });
  try {
    await fn({ call, apply }, server);
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const CM = "/api/v1/namespaces/default/configmaps";
const managers = (o: KubeObject) =>
  ((o.metadata?.managedFields ?? []) as { manager: string; operation: string }[]).map((e) =>
    `${e.manager}/${e.operation}`
  );

Deno.test({
  name: "api: an apply creates the object (201) from YAML and records an Apply entry",
  ...options,
  fn: () =>
    withApi(async ({ apply }) => {
      const created = await apply(
        `${CM}/ssa`,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {owner: kubectl}\n",
      );
      assert.equal(created.code, 201);
      assert.deepEqual(created.body.data, { owner: "kubectl" });
      assert.deepEqual(created.body.metadata!.managedFields, [{
        manager: "kubectl",
        operation: "Apply",
        apiVersion: "v1",
        time: (created.body.metadata!.managedFields as { time: string }[])[0].time,
        fieldsType: "FieldsV1",
        fieldsV1: { "f:data": { "f:owner": {} } },
      }]);
      const again = await apply(
        `${CM}/ssa`,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {owner: kubectl}\n",
      );
      assert.equal(again.code, 200);
    }),
});

Deno.test({
  name: "api: an apply that changes nothing writes nothing",
  ...options,
  fn: () =>
    withApi(async ({ apply }) => {
      const yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: same}\ndata: {a: '1'}\n";
      const first = await apply(`${CM}/same`, yaml);
      const second = await apply(`${CM}/same`, yaml);
      assert.equal(second.body.metadata!.resourceVersion, first.body.metadata!.resourceVersion);
    }),
});

Deno.test({
  name: "api: an apply without fieldManager is refused before anything is read",
  ...options,
  fn: () =>
    withApi(async ({ apply }) => {
      const refused = await apply(`${CM}/x`, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", "force=true");
      assert.equal(refused.code, 422);
      assert.equal(refused.body.reason, "Invalid");
    }),
});

Deno.test({
  name: "api: an apply creating a Deployment fills the defaults a create fills",
  ...options,
  fn: () =>
    withApi(async ({ apply }) => {
      const created = await apply(
        "/apis/apps/v1/namespaces/default/deployments/web",
        JSON.stringify({
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "web" },
          spec: {
            selector: { matchLabels: { app: "web" } },
            template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx" }] } },
          },
        }),
      );
      assert.equal(created.code, 201);
      const spec = created.body.spec as { replicas: number; strategy: { type: string }; revisionHistoryLimit: number };
      assert.equal(spec.replicas, 1);
      assert.equal(spec.strategy.type, "RollingUpdate");
      assert.equal(spec.revisionHistoryLimit, 10);
      assert.equal(created.body.metadata!.generation, 1);
    }),
});

Deno.test({
  name: "api: a dry-run apply answers the result and stores nothing",
  ...options,
  fn: () =>
    withApi(async ({ apply, call }) => {
      const dry = await apply(
        `${CM}/dry`,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dry}\ndata: {a: b}\n",
        "fieldManager=kubectl&dryRun=All",
      );
      assert.equal(dry.code, 201);
      assert.deepEqual(managers(dry.body), ["kubectl/Apply"]);
      assert.equal((await call("GET", `${CM}/dry`)).code, 404);
    }),
});

Deno.test({
  name: "api: an apply to the status subresource changes only status and records it as such",
  ...options,
  fn: () =>
    withApi(async ({ apply, call }) => {
      const pod = {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "p" },
        spec: { containers: [{ name: "c", image: "busybox" }] },
      };
      const missing = await apply(
        "/api/v1/namespaces/default/pods/p/status",
        JSON.stringify({ ...pod, status: { message: "x" } }),
      );
      assert.equal(missing.code, 404);
      assert.equal((await call("POST", "/api/v1/namespaces/default/pods?fieldManager=kubectl-run", pod)).code, 201);
      const applied = await apply(
        "/api/v1/namespaces/default/pods/p/status",
        JSON.stringify({ ...pod, spec: { nodeName: "elsewhere" }, status: { message: "hello" } }),
        "fieldManager=kubelet",
      );
      assert.equal(applied.code, 200);
      assert.equal((applied.body.status as { message: string }).message, "hello");
      assert.equal((applied.body.spec as { nodeName?: string }).nodeName, undefined);
      const entry =
        (applied.body.metadata!.managedFields as { manager: string; subresource?: string; fieldsV1: unknown }[])
          .find((e) => e.manager === "kubelet")!;
      assert.equal(entry.subresource, "status");
      assert.deepEqual(entry.fieldsV1, { "f:status": { "f:message": {} } });
    }),
});

Deno.test({
  name: "api: writes are recorded for fieldManager, else for the User-Agent's program",
  ...options,
  fn: () =>
    withApi(async ({ call }) => {
      await call("POST", CM, { metadata: { name: "ua" }, data: { a: "1" } }, {
        "user-agent": "kubectl/v1.32.5 (linux/amd64) kubernetes/9894294",
      });
      const labelled = await call(
        "PATCH",
        `${CM}/ua?fieldManager=kubectl-label`,
        { metadata: { labels: { x: "1" } } },
        {
          "content-type": "application/merge-patch+json",
        },
      );
      assert.deepEqual(managers(labelled.body), ["kubectl/Update", "kubectl-label/Update"]);
    }),
});

Deno.test({
  name: "api: a request's empty managedFields list resets them, and the object stays untracked",
  ...options,
  fn: () =>
    withApi(async ({ call }) => {
      const created = await call("POST", `${CM}?fieldManager=kubectl-create`, {
        metadata: { name: "r" },
        data: { a: "1" },
      });
      const reset = await call("PUT", `${CM}/r?fieldManager=kubectl-replace`, {
        ...created.body,
        metadata: { ...created.body.metadata, managedFields: [] },
        data: { a: "2" },
      });
      assert.equal(reset.code, 200);
      assert.equal(reset.body.metadata!.managedFields, undefined);
      const later = await call("PATCH", `${CM}/r?fieldManager=kubectl-patch`, { data: { a: "3" } }, {
        "content-type": "application/merge-patch+json",
      });
      assert.equal(later.body.metadata!.managedFields, undefined);
    }),
});

Deno.test({
  name: "api: an apply configuration outside the schema is kube's 500 naming the field",
  ...options,
  fn: () =>
    withApi(async ({ apply }) => {
      const refused = await apply(
        "/apis/apps/v1/namespaces/default/deployments/typo",
        JSON.stringify({
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "typo", namespace: "default" },
          spec: { replicass: 2 },
        }),
      );
      assert.equal(refused.code, 500);
      assert.equal(
        refused.body.message,
        "failed to create typed patch object (default/typo; apps/v1, Kind=Deployment): .spec.replicass: field not declared in schema",
      );
    }),
});
