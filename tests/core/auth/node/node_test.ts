// The Node authorizer and NodeRestriction on a real server: a kubelet identity (system:node:<name> in system:nodes)
// driven by the real kubectl.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { SERVER_TEST, withIdentities } from "../authorization/identities.ts";
import { until } from "../../../support/cluster.ts";

const pod = (name: string, node: string) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "apps" },
  spec: {
    nodeName: node,
    serviceAccountName: "robot",
    containers: [{
      name: "app",
      image: "busybox",
      env: [{ name: "PW", valueFrom: { secretKeyRef: { name: `${name}-password`, key: "pw" } } }],
    }],
    volumes: [{ name: "settings", configMap: { name: `${name}-settings` } }],
  },
});

Deno.test({
  name: "node authorizer: a kubelet reaches only what its own pods need, and changes only its own objects",
  ...SERVER_TEST,
  fn: async (t) => {
    await withIdentities(async (c) => {
      const node1 = await c.identity("system:node:node1", ["system:nodes"]);
      const file = (name: string, object: unknown) => {
        const path = join(c.dataDir, `${name}.json`);
        writeFileSync(path, JSON.stringify(object));
        return path;
      };
      await c.ok(c.admin, "create", "namespace", "apps");
      for (const name of ["web-password", "db-password", "loose"]) {
        await c.ok(c.admin, "-n", "apps", "create", "secret", "generic", name, "--from-literal=pw=x");
      }
      await c.ok(c.admin, "-n", "apps", "create", "configmap", "web-settings", "--from-literal=a=1");
      await c.ok(c.admin, "-n", "apps", "create", "serviceaccount", "robot");
      await c.ok(c.admin, "create", "-f", file("web", pod("web", "node1")));
      await c.ok(c.admin, "create", "-f", file("db", pod("db", "node2")));

      await t.step("a node registers its own Node, but not another", async () => {
        const node = (name: string) => file(`node-${name}`, { apiVersion: "v1", kind: "Node", metadata: { name } });
        await c.ok(node1, "create", "-f", node("node1"));
        assert.match(
          await c.fails(node1, "create", "-f", node("node2")),
          /nodes "node2" is forbidden: node "node1" is not allowed to modify node "node2"/,
        );
        await c.ok(c.admin, "create", "-f", node("node2"));
      });

      await t.step("a node reads its own Node only", async () => {
        await c.ok(node1, "get", "node", "node1");
        assert.match(
          await c.fails(node1, "get", "node", "node2"),
          /nodes "node2" is forbidden: User "system:node:node1" cannot get resource "nodes" in API group "" at the cluster scope: node 'node1' cannot read 'node2', only its own Node object/,
        );
        assert.match(
          await c.fails(node1, "get", "nodes"),
          /node 'node1' cannot read all nodes, only its own Node object/,
        );
      });

      await t.step("a node reads the secrets and config maps of pods bound to it", async () => {
        await until(
          async () => (await c.kubectl(node1, "-n", "apps", "get", "secret", "web-password")).code === 0,
          "own",
        );
        await c.ok(node1, "-n", "apps", "get", "configmap", "web-settings");
        await c.ok(node1, "-n", "apps", "get", "secrets", "--field-selector", "metadata.name=web-password");
        for (const other of ["db-password", "loose"]) {
          assert.match(
            await c.fails(node1, "-n", "apps", "get", "secret", other),
            new RegExp(
              `secrets "${other}" is forbidden: User "system:node:node1" cannot get resource "secrets" in API group "" in the namespace "apps": no relationship found between node 'node1' and this object`,
            ),
          );
        }
      });

      await t.step("a node cannot list secrets", async () => {
        assert.match(
          await c.fails(node1, "get", "secrets", "-A"),
          /secrets is forbidden: User "system:node:node1" cannot list resource "secrets" in API group "" at the cluster scope: can only read namespaced object of this type/,
        );
        assert.match(await c.fails(node1, "-n", "apps", "get", "secrets"), /No Object name found/);
      });

      await t.step("a node lists pods only by its own spec.nodeName", async () => {
        const listed = await c.ok(node1, "get", "pods", "-A", "--field-selector", "spec.nodeName=node1", "-o", "name");
        assert.equal(listed, "pod/web\n");
        assert.match(
          await c.fails(node1, "get", "pods", "-A"),
          /can only list\/watch pods with spec.nodeName field selector/,
        );
        assert.match(
          await c.fails(node1, "get", "pods", "-A", "--field-selector", "spec.nodeName=node2"),
          /can only list\/watch pods with spec.nodeName field selector/,
        );
      });

      await t.step("a node updates the status of its own pods only", async () => {
        // As a kubelet does, without reading the pod first (a node may not read pods/status).
        const running = (name: string) => {
          const status = { ...pod(name, name === "web" ? "node1" : "node2"), status: { phase: "Running" } };
          return [
            "replace",
            "--raw",
            `/api/v1/namespaces/apps/pods/${name}/status`,
            "-f",
            file(`${name}-status`, status),
          ];
        };
        await c.ok(node1, ...running("web"));
        assert.match(
          await c.fails(node1, ...running("db")),
          /pods "db" is forbidden: node "node1" can only update pod status for pods with spec.nodeName set to itself/,
        );
      });

      await t.step("a node creates only mirror pods and deletes only its own pods", async () => {
        assert.match(
          await c.fails(node1, "create", "-f", file("rogue", { ...pod("rogue", "node1") })),
          /pods "rogue" is forbidden: pod does not have "kubernetes.io\/config.mirror" annotation, node "node1" can only create mirror pods/,
        );
        assert.match(
          await c.fails(node1, "-n", "apps", "delete", "pod", "db", "--wait=false"),
          /node "node1" can only delete pods with spec.nodeName set to itself/,
        );
      });

      await t.step("a node may not give itself restricted labels or change its taints", async () => {
        await c.ok(node1, "label", "node", "node1", "example.com/disk=ssd");
        assert.match(
          await c.fails(node1, "label", "node", "node1", "node-restriction.kubernetes.io/pool=gpu"),
          /nodes "node1" is forbidden: is not allowed to modify labels: node-restriction.kubernetes.io\/pool/,
        );
        assert.match(
          await c.fails(node1, "taint", "node", "node1", "dedicated=me:NoSchedule"),
          /node "node1" is not allowed to modify taints/,
        );
        const node2 = { apiVersion: "v1", kind: "Node", metadata: { name: "node2", labels: { mine: "yes" } } };
        assert.match(
          await c.fails(node1, "replace", "--raw", "/api/v1/nodes/node2", "-f", file("node2-update", node2)),
          /nodes "node2" is forbidden: node "node1" is not allowed to modify node "node2"/,
        );
      });

      await t.step("a node keeps its own Lease in kube-node-lease", async () => {
        const lease = (name: string) =>
          file(`lease-${name}`, {
            apiVersion: "coordination.k8s.io/v1",
            kind: "Lease",
            metadata: { name, namespace: "kube-node-lease" },
            spec: { holderIdentity: name, leaseDurationSeconds: 40 },
          });
        await c.ok(node1, "create", "-f", lease("node1"));
        assert.match(
          await c.fails(node1, "create", "-f", lease("node2")),
          /can only access node lease with the same name as the requesting node/,
        );
      });
    });
  },
});
