/**
 * Runs the real kubectl 1.32 against a throwaway HTTP API server and records the protobuf bodies
 * it sends. The server answers just enough (version, legacy discovery, echoes of created objects,
 * a node with one pod for drain) for kubectl to finish normally.
 *
 * @module
 */

import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeKubernetesProtobuf, KUBERNETES_PROTOBUF_MEDIA_TYPE } from "../../../core/protobuf/decode.ts";

/** kubectl 1.32 on this machine, or undefined (the tests that need it are then skipped). */
export const KUBECTL: string | undefined = [
  Deno.env.get("KUBECTL_1_32"),
  "/usr/lib/google-cloud-sdk/bin/kubectl.1.32",
].find((p): p is string => !!p && existsSync(p));

/** One request kubectl sent with a protobuf body. */
export interface CapturedBody {
  method: string;
  path: string;
  body: Uint8Array;
}

type Resource = [name: string, kind: string, namespaced: boolean];

const RESOURCES: Record<string, Resource[]> = {
  "v1": [
    ["configmaps", "ConfigMap", true],
    ["secrets", "Secret", true],
    ["namespaces", "Namespace", false],
    ["services", "Service", true],
    ["serviceaccounts", "ServiceAccount", true],
    ["serviceaccounts/token", "TokenRequest", true],
    ["pods", "Pod", true],
    ["pods/eviction", "Eviction", true],
    ["nodes", "Node", false],
    ["resourcequotas", "ResourceQuota", true],
  ],
  "apps/v1": [["deployments", "Deployment", true], ["deployments/scale", "Scale", true]],
  "batch/v1": [["jobs", "Job", true], ["cronjobs", "CronJob", true]],
  "autoscaling/v1": [["horizontalpodautoscalers", "HorizontalPodAutoscaler", true]],
  "rbac.authorization.k8s.io/v1": [
    ["roles", "Role", true],
    ["rolebindings", "RoleBinding", true],
    ["clusterroles", "ClusterRole", false],
    ["clusterrolebindings", "ClusterRoleBinding", false],
  ],
  "authorization.k8s.io/v1": [
    ["selfsubjectaccessreviews", "SelfSubjectAccessReview", false],
    ["selfsubjectrulesreviews", "SelfSubjectRulesReview", true],
  ],
  "authentication.k8s.io/v1": [["selfsubjectreviews", "SelfSubjectReview", false]],
  "networking.k8s.io/v1": [["ingresses", "Ingress", true]],
  "policy/v1": [["poddisruptionbudgets", "PodDisruptionBudget", true]],
  "scheduling.k8s.io/v1": [["priorityclasses", "PriorityClass", false]],
};

function discovery(path: string, port: number): unknown {
  if (path === "/version") return { major: "1", minor: "32", gitVersion: "v1.32.4", platform: "linux/amd64" };
  if (path === "/api") {
    return {
      kind: "APIVersions",
      versions: ["v1"],
      serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: `127.0.0.1:${port}` }],
    };
  }
  if (path === "/apis") {
    const groups = Object.keys(RESOURCES).filter((gv) => gv.includes("/")).map((gv) => {
      const [name, version] = gv.split("/");
      const v = { groupVersion: gv, version };
      return { name, versions: [v], preferredVersion: v };
    });
    return { kind: "APIGroupList", apiVersion: "v1", groups };
  }
  const gv = path === "/api/v1" ? "v1" : path.startsWith("/apis/") ? path.slice(6) : undefined;
  const resources = gv === undefined ? undefined : RESOURCES[gv];
  if (!resources) return undefined;
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: gv,
    resources: resources.map(([name, kind, namespaced]) => ({
      name,
      singularName: name.includes("/") ? "" : kind.toLowerCase(),
      namespaced,
      kind,
      ...(kind === "TokenRequest" ? { group: "authentication.k8s.io", version: "v1" } : {}),
      ...(kind === "Scale" ? { group: "autoscaling", version: "v1" } : {}),
      ...(kind === "Eviction" ? { group: "policy", version: "v1" } : {}),
      verbs: name.includes("/") ? ["create"] : ["create", "delete", "get", "list", "patch", "update", "watch"],
    })),
  };
}

const POD = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "nginx", namespace: "default", uid: "u1", resourceVersion: "5" },
  spec: { nodeName: "node1", containers: [{ name: "nginx", image: "nginx" }] },
  status: { phase: "Running" },
};

/** A plausible reply to a protobuf POST: the object itself, plus the status kubectl prints. */
function reply(obj: Record<string, unknown>): Record<string, unknown> {
  const statuses: Record<string, unknown> = {
    SelfSubjectAccessReview: { allowed: true },
    SelfSubjectRulesReview: { resourceRules: [], nonResourceRules: [], incomplete: false },
    SelfSubjectReview: { userInfo: { username: "admin", groups: ["system:masters"] } },
    TokenRequest: { token: "tok", expirationTimestamp: "2030-01-01T00:00:00Z" },
  };
  const status = statuses[String(obj.kind)] ?? obj.status;
  const metadata = {
    name: "generated",
    namespace: "default",
    ...obj.metadata as object,
    uid: "u",
    resourceVersion: "1",
  };
  return { ...obj, metadata, ...(status ? { status } : {}) };
}

function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });
}

function handle(req: Request, body: Uint8Array, port: number, deleted: Set<string>): Response {
  const url = new URL(req.url);
  const path = url.pathname;
  const isProtobuf = req.headers.get("content-type") === KUBERNETES_PROTOBUF_MEDIA_TYPE;
  if (req.method === "GET") {
    const doc = discovery(path, port);
    if (doc) return json(doc);
    if (path === "/api/v1/nodes/node1") return json({ apiVersion: "v1", kind: "Node", metadata: { name: "node1" } });
    if (path === "/api/v1/pods") {
      return json({ apiVersion: "v1", kind: "PodList", metadata: {}, items: deleted.has("nginx") ? [] : [POD] });
    }
    if (path === "/api/v1/namespaces/default/pods/nginx" && !deleted.has("nginx")) return json(POD);
    if (path === "/apis/apps/v1/namespaces/default/deployments/web") {
      return json({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", namespace: "default" },
        spec: { selector: { matchLabels: { app: "web" } }, template: { spec: { containers: [] } } },
      });
    }
    return json({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 }, 404);
  }
  if (req.method === "PATCH" && path === "/api/v1/nodes/node1") {
    return json({ apiVersion: "v1", kind: "Node", metadata: { name: "node1" }, spec: { unschedulable: true } });
  }
  if (req.method === "DELETE" || path.endsWith("/eviction")) {
    deleted.add(path.split("/")[6]);
    if (req.method === "DELETE") return json(POD);
    return json({ kind: "Status", apiVersion: "v1", status: "Success" }, 201);
  }
  if (req.method === "POST" && isProtobuf) return json(reply(decodeKubernetesProtobuf(body)), 201);
  return json({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "BadRequest", code: 400 }, 400);
}

/** Result of one kubectl run. */
export interface KubectlRun {
  code: number;
  stdout: string;
  stderr: string;
  bodies: CapturedBody[];
}

/**
 * A throwaway API server plus a kubeconfig pointing at it.
 *
 * @example
 * ```ts
 * await using k = startFakeApiServer();
 * const { bodies } = await k.kubectl("create", "namespace", "n");
 * ```
 */
export function startFakeApiServer(): {
  dir: string;
  kubectl: (...args: string[]) => Promise<KubectlRun>;
  [Symbol.asyncDispose]: () => Promise<void>;
} {
  const dir = mkdtempSync(join(tmpdir(), "k3s-pb-"));
  let captured: CapturedBody[] = [];
  const deleted = new Set<string>();
  const server: Deno.HttpServer<Deno.NetAddr> = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req): Promise<Response> => {
      const body = new Uint8Array(await req.arrayBuffer());
      if (req.headers.get("content-type") === KUBERNETES_PROTOBUF_MEDIA_TYPE) {
        captured.push({ method: req.method, path: new URL(req.url).pathname, body });
      }
      try {
        return handle(req, body, server.addr.port, deleted);
      } catch (e) {
        return json({ kind: "Status", apiVersion: "v1", status: "Failure", message: String(e), code: 500 }, 500);
      }
    },
  );
  const kubeconfig = join(dir, "kubeconfig");
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "c", cluster: { server: `http://127.0.0.1:${server.addr.port}` } }],
      users: [{ name: "u", user: { token: "t" } }],
      contexts: [{ name: "c", context: { cluster: "c", user: "u", namespace: "default" } }],
      "current-context": "c",
    }),
  );
  return {
    dir,
    kubectl: async (...args: string[]) => {
      captured = [];
      const out = await new Deno.Command(KUBECTL!, {
        args: [`--kubeconfig=${kubeconfig}`, `--cache-dir=${join(dir, "cache")}`, ...args],
        env: { HOME: dir, KUBECONFIG: kubeconfig },
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const dec = new TextDecoder();
      return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr), bodies: captured };
    },
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}
