// The API server driven by @kubernetes/client-node (the JavaScript client), with the kubeconfig the
// server writes: typed CRUD, list with selectors, and a watch.
import assert from "node:assert/strict";
import * as k8s from "@kubernetes/client-node";
import { startK3sServer } from "../../support/k3s_process.ts";

Deno.test({
  name: "client-node: lists namespaces, creates, reads, patches and watches a ConfigMap",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await using server = await startK3sServer();
    const config = new k8s.KubeConfig();
    config.loadFromFile(server.kubeconfig);
    const core = config.makeApiClient(k8s.CoreV1Api);
    const namespaces = await core.listNamespace();
    assert.deepEqual(
      namespaces.items.map((n) => n.metadata?.name).sort(),
      ["default", "kube-node-lease", "kube-public", "kube-system"],
    );

    const events: string[] = [];
    const watch = new k8s.Watch(config);
    const request = await watch.watch(
      "/api/v1/namespaces/default/configmaps",
      { labelSelector: "from=client-node" },
      (type, object) => events.push(`${type} ${object.metadata.name}`),
      () => {},
    );
    await new Promise((r) => setTimeout(r, 500));

    await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "cn", labels: { from: "client-node" } }, data: { a: "1" } },
    });
    const read = await core.readNamespacedConfigMap({ name: "cn", namespace: "default" });
    assert.equal(read.data?.a, "1");
    await core.patchNamespacedConfigMap(
      { name: "cn", namespace: "default", body: [{ op: "replace", path: "/data/a", value: "2" }] },
      k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.JsonPatch),
    );
    const listed = await core.listNamespacedConfigMap({ namespace: "default", labelSelector: "from=client-node" });
    assert.equal(listed.items.length, 1);
    assert.equal(listed.items[0].data?.a, "2");

    const deadline = Date.now() + 10_000;
    while (events.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    request.abort();
    assert.deepEqual(events.slice(0, 2), ["ADDED cn", "MODIFIED cn"]);
  },
});
