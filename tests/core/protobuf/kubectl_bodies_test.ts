/**
 * Real kubectl 1.32 protobuf bodies, decoded. For the `create` generators the oracle is kubectl
 * itself: `--dry-run=client -o json` prints Go's JSON encoding of the very object it would send,
 * i.e. what a JSON client sends. The only difference we allow is that Go's `null`s (a zero
 * `creationTimestamp`, nil non-omitempty slices) are absent from the decoded object.
 */

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeKubernetesProtobuf } from "../../../core/protobuf/decode.ts";
import { KUBECTL, startFakeApiServer } from "./kubectl_harness.ts";

type Api = ReturnType<typeof startFakeApiServer>;

const ignore = KUBECTL === undefined;

function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
}

/** Runs kubectl, which must succeed after sending exactly one protobuf body; returns it decoded. */
async function sent(
  k: Api,
  ...args: string[]
): Promise<{ method: string; path: string; object: Record<string, unknown> }> {
  const run = await k.kubectl(...args);
  assert.equal(run.code, 0, `kubectl ${args.join(" ")}: ${run.stderr}`);
  assert.equal(run.bodies.length, 1, `kubectl ${args.join(" ")} sent ${run.bodies.length} protobuf bodies`);
  const [{ method, path, body }] = run.bodies;
  return { method, path, object: decodeKubernetesProtobuf(body) };
}

/** What kubectl would send as JSON for the same command. */
async function asJson(k: Api, args: string[]): Promise<unknown> {
  const at = args.includes("--") ? args.indexOf("--") : args.length;
  const run = await k.kubectl(...args.slice(0, at), "--dry-run=client", "-o", "json", ...args.slice(at));
  assert.equal(run.code, 0, run.stderr);
  return withoutNulls(JSON.parse(run.stdout));
}

const GENERATORS: [path: string, args: string[]][] = [
  ["/api/v1/namespaces/default/configmaps", ["create", "configmap", "c", "--from-literal=a=1", "--from-file=FILES"]],
  ["/api/v1/namespaces/default/secrets", ["create", "secret", "generic", "s", "--from-literal=pw=hunter2"]],
  ["/api/v1/namespaces/default/secrets", [
    "create",
    "secret",
    "docker-registry",
    "dr",
    "--docker-username=u",
    "--docker-password=p",
    "--docker-server=r.io",
  ]],
  ["/apis/apps/v1/namespaces/default/deployments", [
    "create",
    "deployment",
    "d",
    "--image=busybox",
    "--replicas=2",
    "--port=80",
  ]],
  ["/apis/apps/v1/namespaces/default/deployments", ["create", "deployment", "z", "--image=busybox", "--replicas=0"]],
  ["/api/v1/namespaces", ["create", "namespace", "n"]],
  ["/api/v1/namespaces/default/services", ["create", "service", "nodeport", "np", "--tcp=80:8080"]],
  ["/api/v1/namespaces/default/services", ["create", "service", "clusterip", "web", "--tcp=443:https"]],
  ["/api/v1/namespaces/default/services", ["create", "service", "clusterip", "hl", "--clusterip=None"]],
  ["/api/v1/namespaces/default/services", ["create", "service", "externalname", "en", "--external-name=example.com"]],
  ["/apis/batch/v1/namespaces/default/cronjobs", [
    "create",
    "cronjob",
    "cj",
    "--image=busybox",
    "--schedule=*/1 * * * *",
    "--",
    "echo",
    "hi",
  ]],
  ["/apis/batch/v1/namespaces/default/jobs", ["create", "job", "j", "--image=busybox", "--", "sleep", "1"]],
  ["/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", [
    "create",
    "role",
    "r",
    "--verb=get",
    "--resource=pods",
  ]],
  ["/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", [
    "create",
    "rolebinding",
    "rb",
    "--role=r",
    "--serviceaccount=default:sa",
  ]],
  ["/apis/rbac.authorization.k8s.io/v1/clusterroles", [
    "create",
    "clusterrole",
    "cr",
    "--verb=get,list",
    "--resource=pods,deployments.apps",
    "--resource-name=x",
  ]],
  ["/apis/rbac.authorization.k8s.io/v1/clusterroles", ["create", "clusterrole", "agg", "--aggregation-rule=a=b"]],
  ["/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", [
    "create",
    "clusterrolebinding",
    "crb",
    "--clusterrole=view",
    "--user=alice",
    "--group=g",
  ]],
  ["/api/v1/namespaces/default/serviceaccounts", ["create", "serviceaccount", "sa"]],
  ["/api/v1/namespaces/default/resourcequotas", [
    "create",
    "quota",
    "q",
    "--hard=cpu=1,memory=1Gi,pods=10",
    "--scopes=BestEffort",
  ]],
  ["/apis/policy/v1/namespaces/default/poddisruptionbudgets", [
    "create",
    "pdb",
    "p",
    "--selector=app=web",
    "--min-available=1",
  ]],
  ["/apis/policy/v1/namespaces/default/poddisruptionbudgets", [
    "create",
    "pdb",
    "p2",
    "--selector=app=web",
    "--max-unavailable=50%",
  ]],
  ["/apis/scheduling.k8s.io/v1/priorityclasses", ["create", "priorityclass", "pc", "--value=0", "--description=x"]],
  ["/apis/scheduling.k8s.io/v1/priorityclasses", [
    "create",
    "priorityclass",
    "pc2",
    "--value=1000",
    "--global-default",
    "--preemption-policy=Never",
  ]],
  ["/apis/networking.k8s.io/v1/namespaces/default/ingresses", [
    "create",
    "ingress",
    "ing",
    "--rule=foo.com/bar*=svc:8080,tls=sec",
    "--class=traefik",
    "--annotation=a=b",
  ]],
];

Deno.test({
  name: "kubectl protobuf: every create generator's body decodes to what kubectl -o json prints",
  ignore,
  fn: async (t) => {
    await using k = startFakeApiServer();
    writeFileSync(join(k.dir, "k.txt"), "hello\n");
    writeFileSync(join(k.dir, "bin.dat"), new Uint8Array([0, 255, 1]));
    for (const [path, template] of GENERATORS) {
      const args = template.map((a) => a === "--from-file=FILES" ? `--from-file=${k.dir}/k.txt` : a);
      if (args[1] === "configmap") args.push(`--from-file=${k.dir}/bin.dat`);
      await t.step(args.slice(1, 4).join(" "), async () => {
        const body = await sent(k, ...args);
        assert.equal(body.method, "POST");
        assert.equal(body.path, path);
        assert.deepEqual(body.object, await asJson(k, args));
      });
    }
  },
});

Deno.test({
  name: "kubectl protobuf: ConfigMap and Secret data (bytes become base64)",
  ignore,
  fn: async () => {
    await using k = startFakeApiServer();
    writeFileSync(join(k.dir, "k.txt"), "hello\n");
    writeFileSync(join(k.dir, "bin.dat"), new Uint8Array([0, 255, 1]));
    const cm = await sent(
      k,
      "create",
      "configmap",
      "c",
      "--from-literal=a=1",
      `--from-file=${k.dir}/k.txt`,
      `--from-file=${k.dir}/bin.dat`,
    );
    assert.deepEqual(cm.object, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "c" },
      data: { a: "1", "k.txt": "hello\n" },
      binaryData: { "bin.dat": "AP8B" },
    });
    const secret = await sent(k, "create", "secret", "generic", "s", "--from-literal=pw=hunter2");
    assert.deepEqual(secret.object, {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s" },
      data: { pw: btoa("hunter2") },
    });
  },
});

Deno.test({
  name: "kubectl protobuf: Deployment replicas, selector and integer containerPort",
  ignore,
  fn: async () => {
    await using k = startFakeApiServer();
    const { object } = await sent(k, "create", "deployment", "d", "--image=busybox", "--replicas=2", "--port=80");
    assert.deepEqual(object, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "d", labels: { app: "d" } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "d" } },
        template: {
          metadata: { labels: { app: "d" } },
          spec: { containers: [{ name: "busybox", image: "busybox", ports: [{ containerPort: 80 }], resources: {} }] },
        },
        strategy: {},
      },
      status: {},
    });
    // replicas is a pointer: an explicit 0 must not turn into "unset" (which defaults to 1).
    const zero = await sent(k, "create", "deployment", "z", "--image=busybox", "--replicas=0");
    assert.equal((zero.object.spec as { replicas: number }).replicas, 0);
  },
});

Deno.test({
  name: "kubectl protobuf: Service ports with numeric and named targetPort (IntOrString)",
  ignore,
  fn: async () => {
    await using k = startFakeApiServer();
    const np = await sent(k, "create", "service", "nodeport", "np", "--tcp=80:8080");
    assert.deepEqual(np.object, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "np", labels: { app: "np" } },
      spec: {
        ports: [{ name: "80-8080", protocol: "TCP", port: 80, targetPort: 8080 }],
        selector: { app: "np" },
        type: "NodePort",
      },
      status: { loadBalancer: {} },
    });
    const named = await sent(k, "create", "service", "clusterip", "web", "--tcp=443:https");
    assert.deepEqual((named.object.spec as { ports: unknown[] }).ports, [
      { name: "443-https", protocol: "TCP", port: 443, targetPort: "https" },
    ]);
  },
});

Deno.test({
  name: "kubectl protobuf: CronJob schedule and job template, Role rules, PriorityClass value 0",
  ignore,
  fn: async () => {
    await using k = startFakeApiServer();
    const cj = await sent(k, "create", "cronjob", "cj", "--image=busybox", "--schedule=*/1 * * * *");
    assert.deepEqual(cj.object, {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "cj" },
      spec: {
        schedule: "*/1 * * * *",
        jobTemplate: {
          metadata: { name: "cj" },
          spec: {
            template: {
              metadata: {},
              spec: { containers: [{ name: "cj", image: "busybox", resources: {} }], restartPolicy: "OnFailure" },
            },
          },
        },
      },
      status: {},
    });
    const role = await sent(k, "create", "role", "r", "--verb=get", "--resource=pods");
    assert.deepEqual(role.object, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "r" },
      rules: [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }],
    });
    // value is an int32 without omitempty: a JSON client sends 0, and so do we.
    const pc = await sent(k, "create", "priorityclass", "pc", "--value=0");
    assert.deepEqual(pc.object, {
      apiVersion: "scheduling.k8s.io/v1",
      kind: "PriorityClass",
      metadata: { name: "pc" },
      value: 0,
      preemptionPolicy: "PreemptLowerPriority",
    });
  },
});

Deno.test({
  name: "kubectl protobuf: auth can-i, can-i --list and whoami reviews",
  ignore,
  fn: async () => {
    await using k = startFakeApiServer();
    const canI = await sent(k, "auth", "can-i", "get", "pods");
    assert.equal(canI.path, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews");
    assert.deepEqual(canI.object, {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      metadata: {},
      spec: { resourceAttributes: { namespace: "default", verb: "get", resource: "pods" } },
      status: { allowed: false }, // `allowed` has no omitempty
    });
    const sub = await sent(
      k,
      "auth",
      "can-i",
      "create",
      "deployments.apps",
      "--subresource=scale",
      "-n",
      "kube-system",
    );
    assert.deepEqual((sub.object.spec as Record<string, unknown>).resourceAttributes, {
      namespace: "kube-system",
      verb: "create",
      group: "apps",
      resource: "deployments",
      subresource: "scale",
    });
    const url = await sent(k, "auth", "can-i", "get", "/healthz");
    assert.deepEqual(url.object.spec, { nonResourceAttributes: { path: "/healthz", verb: "get" } });
    const list = await sent(k, "auth", "can-i", "--list");
    assert.equal(list.path, "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews");
    assert.deepEqual(list.object, {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectRulesReview",
      metadata: {},
      spec: { namespace: "default" },
      status: { incomplete: false },
    });
    const whoami = await sent(k, "auth", "whoami");
    assert.equal(whoami.path, "/apis/authentication.k8s.io/v1/selfsubjectreviews");
    assert.deepEqual(whoami.object, {
      apiVersion: "authentication.k8s.io/v1",
      kind: "SelfSubjectReview",
      metadata: {},
      status: { userInfo: {} },
    });
  },
});

Deno.test({
  name: "kubectl protobuf: create token sends a TokenRequest to the serviceaccount's token subresource",
  ignore,
  fn: async () => {
    await using k = startFakeApiServer();
    const token = await sent(k, "create", "token", "sa", "--duration=10m", "--audience=x");
    assert.equal(token.path, "/api/v1/namespaces/default/serviceaccounts/sa/token");
    assert.deepEqual(token.object, {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      metadata: {},
      spec: { audiences: ["x"], expirationSeconds: 600 },
      status: { token: "" },
    });
    const bound = await sent(
      k,
      "create",
      "token",
      "sa",
      "--bound-object-kind=Pod",
      "--bound-object-name=nginx",
      "--bound-object-uid=u1",
    );
    assert.deepEqual((bound.object.spec as Record<string, unknown>).boundObjectRef, {
      kind: "Pod",
      apiVersion: "v1",
      name: "nginx",
      uid: "u1", // the proto field is `uID`; Go's JSON tag says `uid`
    });
  },
});

Deno.test({
  name: "kubectl protobuf: drain deletes pods with a protobuf DeleteOptions body",
  ignore,
  fn: async () => {
    await using k = startFakeApiServer();
    // --disable-eviction forces the DELETE path even though the fake server offers pods/eviction.
    const plain = await sent(k, "drain", "node1", "--force", "--disable-eviction");
    assert.equal(plain.method, "DELETE");
    assert.equal(plain.path, "/api/v1/namespaces/default/pods/nginx");
    assert.deepEqual(plain.object, { apiVersion: "v1", kind: "DeleteOptions" });
  },
});

Deno.test({
  name: "kubectl protobuf: drain's Eviction POST (when the server offers pods/eviction) is JSON, not protobuf",
  ignore,
  fn: async () => {
    await using k = startFakeApiServer();
    const run = await k.kubectl("drain", "node1", "--force", "--grace-period=5");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /pod\/nginx evicted/);
    assert.deepEqual(run.bodies, []); // kubectl -v=9 shows Content-Type: application/json for it
  },
});

Deno.test({
  name: "kubectl protobuf: drain --grace-period=0 keeps the explicit zero",
  ignore,
  fn: async () => {
    await using k = startFakeApiServer();
    const now = await sent(k, "drain", "node1", "--force", "--disable-eviction", "--grace-period=0");
    assert.deepEqual(now.object, { apiVersion: "v1", kind: "DeleteOptions", gracePeriodSeconds: 0 });
  },
});

Deno.test({
  name: "kubectl protobuf: autoscale sends an autoscaling/v1 HorizontalPodAutoscaler",
  ignore,
  fn: async () => {
    await using k = startFakeApiServer();
    const hpa = await sent(k, "autoscale", "deployment", "web", "--max=5", "--min=2", "--cpu-percent=80");
    assert.equal(hpa.path, "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers");
    assert.deepEqual(hpa.object, {
      apiVersion: "autoscaling/v1",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "web" },
      spec: {
        scaleTargetRef: { kind: "Deployment", name: "web", apiVersion: "apps/v1" },
        minReplicas: 2,
        maxReplicas: 5,
        targetCPUUtilizationPercentage: 80,
      },
      status: { currentReplicas: 0, desiredReplicas: 0 },
    });
  },
});
