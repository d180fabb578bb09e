// A pod's volumes set up against a real in-process API server: ConfigMap, Secret, projected (with bound service
// account tokens), downward API, emptyDir (tmpfs when memory-backed, as root), hostPath and PVC-backed volumes, the
// CRI mounts made of them, refreshes and teardown.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "../../../core/client/mod.ts";
import type { Container, Pod, Volume } from "../../../node/kubelet/pod.ts";
import { podDir, setUpPodVolumes, tearDownPodVolumes, VolumeError } from "../../../node/volumes/mod.ts";
import { withCluster } from "../../support/cluster.ts";

const NO_CONTROLLERS = () => [];

interface Env {
  client: Client;
  rootDir: string;
  deps: { client: Client; rootDir: string; nodeName: string; nodeIP: string; podIPs: string[] };
}

async function withVolumeEnv(fn: (env: Env) => Promise<void>): Promise<void> {
  await withCluster(NO_CONTROLLERS, async (client) => {
    const rootDir = mkdtempSync(join(tmpdir(), "kubelet-root-"));
    try {
      await fn({ client, rootDir, deps: { client, rootDir, nodeName: "n1", nodeIP: "10.0.0.2", podIPs: [] } });
    } finally {
      rmSync(rootDir, { recursive: true, force: true });
    }
  });
}

/** The pod as the API stored it, so token requests can bind to it. */
async function createPod(client: Client, volumes: Volume[], mounts: Container["volumeMounts"] = []): Promise<Pod> {
  const created = await client.create({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web", namespace: "default", labels: { app: "web" } },
    spec: {
      nodeName: "n1",
      serviceAccountName: "default",
      // Each test pins the volumes it names, without the kube-api-access one ServiceAccount admission adds.
      automountServiceAccountToken: false,
      containers: [{ name: "app", image: "busybox:1.36", volumeMounts: mounts }],
      volumes,
    },
  });
  return created as unknown as Pod;
}

const b64 = (text: string) => Buffer.from(text).toString("base64");
const read = (path: string) => readFileSync(path, "utf8");
const mode = (path: string) => statSync(path).mode & 0o777;

Deno.test("setUpPodVolumes writes configMap items with their paths and modes, mounted read-only", async () => {
  await withVolumeEnv(async ({ client, rootDir, deps }) => {
    await client.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cfg", namespace: "default" },
      data: { "app.ini": "x=1", other: "o" },
      binaryData: { blob: b64("bin") },
    });
    const pod = await createPod(client, [
      { name: "all", configMap: { name: "cfg", defaultMode: 0o600 } },
      { name: "some", configMap: { name: "cfg", items: [{ key: "app.ini", path: "conf/app.ini", mode: 0o640 }] } },
    ], [{ name: "all", mountPath: "/etc/all" }, { name: "some", mountPath: "/etc/some" }]);
    const volumes = await setUpPodVolumes(pod, deps);
    const all = join(podDir(rootDir, pod.metadata.uid), "volumes/kubernetes.io~configmap/all");
    const some = join(podDir(rootDir, pod.metadata.uid), "volumes/kubernetes.io~configmap/some");
    assert.equal(read(join(all, "app.ini")), "x=1");
    assert.equal(read(join(all, "blob")), "bin");
    assert.equal(mode(join(all, "other")), 0o600);
    assert.equal(read(join(some, "conf/app.ini")), "x=1");
    assert.equal(mode(join(some, "conf/app.ini")), 0o640);
    assert.equal(existsSync(join(some, "other")), false);
    assert.deepEqual(volumes.mountsFor(pod.spec.containers[0]), [
      { container_path: "/etc/all", host_path: all, readonly: true, propagation: "PROPAGATION_PRIVATE" },
      { container_path: "/etc/some", host_path: some, readonly: true, propagation: "PROPAGATION_PRIVATE" },
    ]);
  });
});

Deno.test("setUpPodVolumes decodes secrets into 0644 files by default", async () => {
  await withVolumeEnv(async ({ client, rootDir, deps }) => {
    await client.create({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "sec", namespace: "default" },
      data: { pw: b64("s3cret") },
    });
    const pod = await createPod(client, [{ name: "creds", secret: { secretName: "sec" } }]);
    await setUpPodVolumes(pod, deps);
    const file = join(podDir(rootDir, pod.metadata.uid), "volumes/kubernetes.io~secret/creds/pw");
    assert.equal(read(file), "s3cret");
    assert.equal(mode(file), 0o644);
  });
});

Deno.test("setUpPodVolumes fails a missing source or key with the kubelet's message and the volume's name", async () => {
  await withVolumeEnv(async ({ client, deps }) => {
    await client.create({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "sec", namespace: "default" },
      data: { pw: b64("x") },
    });
    const fails = async (volume: Volume, message: string) => {
      const pod = await createPod(client, [volume]);
      await assert.rejects(
        setUpPodVolumes(pod, deps),
        (e) =>
          e instanceof VolumeError && e.message === message && e.volume === volume.name && e.reason === "FailedMount",
      );
      await client.delete({ apiVersion: "v1", kind: "Pod" }, "default", "web", { gracePeriodSeconds: 0 });
    };
    await fails({ name: "a", configMap: { name: "x" } }, `configmap "x" not found`);
    await fails({ name: "b", secret: { secretName: "y" } }, `secret "y" not found`);
    await fails(
      { name: "c", secret: { secretName: "sec", items: [{ key: "user", path: "u" }] } },
      "references non-existent secret key: user",
    );
  });
});

Deno.test("setUpPodVolumes leaves an optional missing source empty", async () => {
  await withVolumeEnv(async ({ client, rootDir, deps }) => {
    const pod = await createPod(client, [{ name: "cfg", configMap: { name: "x", optional: true } }]);
    await setUpPodVolumes(pod, deps);
    const dir = join(podDir(rootDir, pod.metadata.uid), "volumes/kubernetes.io~configmap/cfg");
    assert.deepEqual(readdirSync(join(dir, "..data")), []);
  });
});

Deno.test("refresh swaps in the updated configMap atomically", async () => {
  await withVolumeEnv(async ({ client, rootDir, deps }) => {
    const cm = await client.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cfg", namespace: "default" },
      data: { level: "1" },
    });
    const pod = await createPod(client, [{ name: "cfg", configMap: { name: "cfg" } }]);
    const volumes = await setUpPodVolumes(pod, deps);
    const dir = join(podDir(rootDir, pod.metadata.uid), "volumes/kubernetes.io~configmap/cfg");
    const before = readlinkSync(join(dir, "..data"));
    await client.update({ ...cm, data: { level: "2", extra: "e" } });
    await volumes.refresh();
    assert.equal(read(join(dir, "level")), "2");
    assert.equal(read(join(dir, "extra")), "e");
    assert.notEqual(readlinkSync(join(dir, "..data")), before);
    assert.equal(existsSync(join(dir, before)), false);
  });
});

Deno.test("refresh keeps a volume whose source went missing and still updates the others", async () => {
  await withVolumeEnv(async ({ client, rootDir, deps }) => {
    const configMap = (name: string) =>
      client.create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name, namespace: "default" },
        data: { v: "1" },
      });
    await configMap("gone");
    const kept = await configMap("kept");
    const pod = await createPod(client, [
      { name: "a", configMap: { name: "gone" } },
      { name: "b", configMap: { name: "kept" } },
    ]);
    const volumes = await setUpPodVolumes(pod, deps);
    await client.delete({ apiVersion: "v1", kind: "ConfigMap" }, "default", "gone");
    await client.update({ ...kept, data: { v: "2" } });
    await assert.rejects(volumes.refresh(), (e) => e instanceof VolumeError && e.volume === "a");
    const dir = join(podDir(rootDir, pod.metadata.uid), "volumes/kubernetes.io~configmap");
    assert.equal(read(join(dir, "a/v")), "1");
    assert.equal(read(join(dir, "b/v")), "2");
  });
});

Deno.test("setUpPodVolumes projects a pod-bound token, a configMap and downward API files", async () => {
  await withVolumeEnv(async ({ client, rootDir, deps }) => {
    await client.create({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "default", namespace: "default" },
    })
      .catch(() => {});
    await client.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cluster-ca", namespace: "default" },
      data: { "ca.crt": "PEM" },
    });
    const pod = await createPod(client, [{
      name: "kube-api-access-x1y2z",
      projected: {
        defaultMode: 0o644,
        sources: [
          { serviceAccountToken: { path: "token", expirationSeconds: 3607, audience: "vault" } },
          { configMap: { name: "cluster-ca", items: [{ key: "ca.crt", path: "ca.crt" }] } },
          { downwardAPI: { items: [{ path: "namespace", fieldRef: { fieldPath: "metadata.namespace" } }] } },
        ],
      },
    }]);
    const volumes = await setUpPodVolumes(pod, deps);
    const dir = join(podDir(rootDir, pod.metadata.uid), "volumes/kubernetes.io~projected/kube-api-access-x1y2z");
    assert.equal(read(join(dir, "ca.crt")), "PEM");
    assert.equal(read(join(dir, "namespace")), "default");
    const token = read(join(dir, "token"));
    const claims = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
    assert.equal(claims.sub, "system:serviceaccount:default:default");
    assert.deepEqual(claims.aud, ["vault"]);
    assert.equal(claims["kubernetes.io"].pod.uid, pod.metadata.uid);
    await volumes.refresh();
    assert.equal(read(join(dir, "token")), token, "a young token is not renewed");
  });
});

Deno.test("refresh rewrites downward API files from the pod as it is now", async () => {
  await withVolumeEnv(async ({ client, rootDir, deps }) => {
    const pod = await createPod(client, [{
      name: "info",
      downwardAPI: {
        items: [
          { path: "labels", fieldRef: { fieldPath: "metadata.labels" } },
          { path: "name", fieldRef: { fieldPath: "metadata.name" }, mode: 0o600 },
        ],
      },
    }]);
    const volumes = await setUpPodVolumes(pod, deps);
    const dir = join(podDir(rootDir, pod.metadata.uid), "volumes/kubernetes.io~downward-api/info");
    assert.equal(read(join(dir, "labels")), 'app="web"');
    assert.equal(mode(join(dir, "name")), 0o600);
    await volumes.refresh([], { ...pod, metadata: { ...pod.metadata, labels: { app: "web", tier: "db" } } });
    assert.equal(read(join(dir, "labels")), 'app="web"\ntier="db"');
  });
});

Deno.test("setUpPodVolumes makes emptyDirs world-writable and tearDownPodVolumes removes the pod's dir", async () => {
  await withVolumeEnv(async ({ client, rootDir, deps }) => {
    const pod = await createPod(client, [{ name: "scratch", emptyDir: {} }], [{ name: "scratch", mountPath: "/s" }]);
    const volumes = await setUpPodVolumes(pod, deps);
    const dir = join(podDir(rootDir, pod.metadata.uid), "volumes/kubernetes.io~empty-dir/scratch");
    assert.equal(mode(dir), 0o777);
    assert.equal(volumes.mountsFor(pod.spec.containers[0])[0].readonly, false);
    await tearDownPodVolumes(rootDir, pod.metadata.uid);
    assert.equal(existsSync(podDir(rootDir, pod.metadata.uid)), false);
  });
});

Deno.test({
  name: "a memory-backed emptyDir is a tmpfs of its size limit, unmounted on teardown",
  ignore: Deno.uid() !== 0,
  fn: async () => {
    await withVolumeEnv(async ({ client, rootDir, deps }) => {
      const pod = await createPod(client, [{ name: "shm", emptyDir: { medium: "Memory", sizeLimit: "8Mi" } }]);
      await setUpPodVolumes(pod, deps);
      const dir = join(podDir(rootDir, pod.metadata.uid), "volumes/kubernetes.io~empty-dir/shm");
      const mount = () => read("/proc/self/mountinfo").split("\n").find((line) => line.split(" ")[4] === dir);
      try {
        assert.match(mount() ?? "", / - tmpfs tmpfs .*size=8192k/);
      } finally {
        await tearDownPodVolumes(rootDir, pod.metadata.uid);
      }
      assert.equal(mount(), undefined);
      assert.equal(existsSync(dir), false);
    });
  },
});

Deno.test("setUpPodVolumes mounts the path of the PV a bound claim names, read-only when the claim says so", async () => {
  await withVolumeEnv(async ({ client, rootDir, deps }) => {
    const data = join(rootDir, "pv-data");
    mkdirSync(data);
    await client.create({
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: "pv1" },
      spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: data } },
    });
    const claim = await client.create({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data", namespace: "default" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, volumeName: "pv1" },
    });
    const unbound = await createPod(client, [{ name: "d", persistentVolumeClaim: { claimName: "data" } }]);
    await assert.rejects(
      setUpPodVolumes(unbound, deps),
      (e) => e instanceof VolumeError && /not bound/.test(e.message),
    );
    await client.delete({ apiVersion: "v1", kind: "Pod" }, "default", "web", { gracePeriodSeconds: 0 });
    await client.updateStatus({ ...claim, status: { phase: "Bound" } });
    const pod = await createPod(
      client,
      [{ name: "d", persistentVolumeClaim: { claimName: "data", readOnly: true } }],
      [{ name: "d", mountPath: "/data" }],
    );
    const volumes = await setUpPodVolumes(pod, deps);
    assert.deepEqual(volumes.mountsFor(pod.spec.containers[0]), [
      { container_path: "/data", host_path: data, readonly: true, propagation: "PROPAGATION_PRIVATE" },
    ]);
  });
});

Deno.test("mountsFor resolves subPath and subPathExpr, creating missing subdirectories, and maps propagation", async () => {
  await withVolumeEnv(async ({ client, rootDir, deps }) => {
    const host = join(rootDir, "host");
    const pod = await createPod(client, [
      { name: "scratch", emptyDir: {} },
      { name: "host", hostPath: { path: host, type: "DirectoryOrCreate" } },
    ], [
      { name: "scratch", mountPath: "/a", subPath: "one/two" },
      { name: "scratch", mountPath: "/b", subPathExpr: "logs/$(POD_NAME)", readOnly: true },
      { name: "host", mountPath: "/h", mountPropagation: "HostToContainer" },
    ]);
    const volumes = await setUpPodVolumes(pod, deps);
    const scratch = join(podDir(rootDir, pod.metadata.uid), "volumes/kubernetes.io~empty-dir/scratch");
    const mounts = volumes.mountsFor(pod.spec.containers[0], new Map([["POD_NAME", "web"]]));
    assert.deepEqual(mounts.map((m) => [m.host_path, m.readonly, m.propagation]), [
      [join(scratch, "one/two"), false, "PROPAGATION_PRIVATE"],
      [join(scratch, "logs/web"), true, "PROPAGATION_PRIVATE"],
      [host, false, "PROPAGATION_HOST_TO_CONTAINER"],
    ]);
    assert.equal(statSync(join(scratch, "logs/web")).isDirectory(), true);
  });
});

Deno.test("mountsFor refuses unknown volumes, escaping subPaths and subPathExprs missing a value", async () => {
  await withVolumeEnv(async ({ client, deps }) => {
    const pod = await createPod(client, [{ name: "scratch", emptyDir: {} }]);
    const volumes = await setUpPodVolumes(pod, deps);
    const fails = (mount: NonNullable<Container["volumeMounts"]>[number], message: string) =>
      assert.throws(
        () => volumes.mountsFor({ name: "app", volumeMounts: [mount] }),
        (e) => e instanceof VolumeError && e.message === message,
      );
    fails({ name: "nope", mountPath: "/x" }, `cannot find volume "nope" to mount into container "app"`);
    fails(
      { name: "scratch", mountPath: "/x", subPath: "a/../../b" },
      "unable to provision SubPath `a/../../b`: must not contain '..'",
    );
    fails({ name: "scratch", mountPath: "/x", subPath: "/etc" }, "error SubPath `/etc` must not be an absolute path");
    fails({ name: "scratch", mountPath: "/x", subPathExpr: "$(B)/$(A)" }, "missing value for A, B");
  });
});
