import assert from "node:assert/strict";
import type { KubeObject } from "../../../core/operator/mod.ts";
import { until, withCluster } from "../../support/cluster.ts";

// withCluster runs the root CA publisher for every test cluster, with the server's own CA.
const CONFIG_MAP = { apiVersion: "v1", kind: "ConfigMap" };
type ConfigMap = KubeObject & { metadata?: { annotations?: Record<string, string> }; data?: Record<string, string> };

Deno.test("root CA publisher: a new namespace gets kube-root-ca.crt holding the cluster CA", async () => {
  await withCluster(() => [], async (client) => {
    await client.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team" } });
    let cm: ConfigMap | undefined;
    await until(async () => !!(cm = await client.get<ConfigMap>(CONFIG_MAP, "team", "kube-root-ca.crt")), "published");
    assert.match(cm!.data!["ca.crt"], /^-----BEGIN CERTIFICATE-----/);
    assert.deepEqual(Object.keys(cm!.data!), ["ca.crt"]);
    assert.match(cm!.metadata!.annotations!["kubernetes.io/description"], /verify the kube-apiserver/);
    const system = await client.get<ConfigMap>(CONFIG_MAP, "kube-system", "kube-root-ca.crt");
    assert.equal(system.data!["ca.crt"], cm!.data!["ca.crt"]);
  });
});

Deno.test("root CA publisher: an edited or deleted kube-root-ca.crt is put back", async () => {
  await withCluster(() => [], async (client) => {
    let original: ConfigMap | undefined;
    await until(
      async () => !!(original = await client.get<ConfigMap>(CONFIG_MAP, "default", "kube-root-ca.crt")),
      "published",
    );
    await client.update({ ...original!, data: { "ca.crt": "tampered", extra: "x" } });
    await until(
      async () =>
        (await client.get<ConfigMap>(CONFIG_MAP, "default", "kube-root-ca.crt")).data?.["ca.crt"] ===
          original!.data!["ca.crt"],
      "restored after an edit",
    );
    assert.deepEqual(Object.keys((await client.get<ConfigMap>(CONFIG_MAP, "default", "kube-root-ca.crt")).data!), [
      "ca.crt",
    ]);
    await client.delete(CONFIG_MAP, "default", "kube-root-ca.crt");
    await until(
      async () =>
        (await client.get<ConfigMap>(CONFIG_MAP, "default", "kube-root-ca.crt")).metadata?.uid !==
          original!.metadata!.uid,
      "recreated after a delete",
    );
  });
});
