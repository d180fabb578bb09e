// The ServiceAccount admission plugin through a real server: defaulting to `default`, refusing a missing account,
// and the kube-api-access volume mounted into every container unless opted out.
import assert from "node:assert/strict";
import type { Client } from "../../../../core/client/mod.ts";
import type { KubeObject } from "../../../../core/operator/mod.ts";
import { withCluster } from "../../../support/cluster.ts";

const POD = { apiVersion: "v1", kind: "Pod" };
const MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

interface Pod extends KubeObject {
  spec: {
    serviceAccountName?: string;
    serviceAccount?: string;
    volumes?: { name: string; projected?: { sources: unknown[]; defaultMode: number } }[];
    containers: { name: string; volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[] }[];
    initContainers?: { name: string; volumeMounts?: { name: string; mountPath: string }[] }[];
  };
}

function pod(client: Client, name: string, spec: Record<string, unknown> = {}): Promise<Pod> {
  return client.create<Pod>({
    ...POD,
    metadata: { name, namespace: "default" },
    spec: { containers: [{ name: "main", image: "busybox:1.36" }], ...spec },
  } as unknown as Pod);
}

Deno.test("ServiceAccount admission: a pod runs as default and gets the kube-api-access volume in every container", async () => {
  await withCluster(() => [], async (client) => {
    const created = await pod(client, "plain", {
      initContainers: [{ name: "init", image: "busybox:1.36" }],
    });
    assert.equal(created.spec.serviceAccountName, "default");
    assert.equal(created.spec.serviceAccount, "default");
    const volume = created.spec.volumes!.find((v) => v.name.startsWith("kube-api-access-"))!;
    assert.match(volume.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(volume.projected, {
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
        { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
        {
          downwardAPI: {
            items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }],
          },
        },
      ],
      defaultMode: 420,
    });
    for (const container of [...created.spec.initContainers!, ...created.spec.containers]) {
      assert.deepEqual(container.volumeMounts, [{ name: volume.name, readOnly: true, mountPath: MOUNT }]);
    }
  });
});

Deno.test("ServiceAccount admission: a pod naming a missing ServiceAccount is forbidden", async () => {
  await withCluster(() => [], async (client) => {
    await assert.rejects(
      pod(client, "lost", { serviceAccountName: "ghost" }),
      /pods "lost" is forbidden: error looking up service account default\/ghost: serviceaccount "ghost" not found/,
    );
  });
});

Deno.test("ServiceAccount admission: automountServiceAccountToken false on the pod or its account mounts nothing", async () => {
  await withCluster(() => [], async (client) => {
    const optedOut = await pod(client, "quiet", { automountServiceAccountToken: false });
    assert.equal(optedOut.spec.volumes, undefined);
    await client.create({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "robot", namespace: "default" },
      automountServiceAccountToken: false,
    });
    const robot = await pod(client, "robotic", { serviceAccountName: "robot" });
    assert.equal(robot.spec.volumes, undefined);
    const insisted = await pod(client, "insisted", { serviceAccountName: "robot", automountServiceAccountToken: true });
    assert.equal(insisted.spec.volumes?.length, 1, "the pod's own setting wins");
  });
});

Deno.test("ServiceAccount admission: a container already mounting the path keeps its own mount", async () => {
  await withCluster(() => [], async (client) => {
    const own = await pod(client, "own", {
      volumes: [{ name: "creds", emptyDir: {} }],
      containers: [
        { name: "main", image: "busybox:1.36", volumeMounts: [{ name: "creds", mountPath: MOUNT }] },
        { name: "side", image: "busybox:1.36" },
      ],
    });
    assert.deepEqual(own.spec.containers[0].volumeMounts, [{ name: "creds", mountPath: MOUNT }]);
    assert.equal(own.spec.containers[1].volumeMounts![0].mountPath, MOUNT);
    assert.match(own.spec.containers[1].volumeMounts![0].name, /^kube-api-access-/);
  });
});
