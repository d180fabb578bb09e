// The ClusterRole aggregation controller on a real in-process server, over the bootstrap policy's admin/edit/view.
import assert from "node:assert/strict";
import type { Client } from "../../../core/client/mod.ts";
import { until, withCluster } from "../../support/cluster.ts";
import { clusterRoleAggregationController } from "../../../controllers/clusterrole_aggregation/mod.ts";

const CLUSTER_ROLE = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole" };
const CONTROLLERS: Parameters<typeof withCluster>[0] = (deps) => [clusterRoleAggregationController(deps)];

interface Rule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
}
type Role = { metadata: { name: string }; rules?: Rule[] | null };

async function rulesOf(client: Client, name: string): Promise<Rule[]> {
  return (await client.get<Role>(CLUSTER_ROLE, undefined, name)).rules ?? [];
}

const grants = (rules: Rule[], group: string, resource: string, verb: string) =>
  rules.some((r) => r.apiGroups?.includes(group) && r.resources?.includes(resource) && r.verbs.includes(verb));

Deno.test({
  name: "clusterrole aggregation: view, edit and admin hold the rules of the roles labelled for them",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await until(async () => grants(await rulesOf(client, "view"), "", "pods", "list"), "view lists pods");
      await until(async () => grants(await rulesOf(client, "edit"), "", "secrets", "create"), "edit creates secrets");
      // view is labelled aggregate-to-edit, and its own rules arrive by aggregation too: edit may be computed once
      // before view is filled, then again when view changes, as upstream's controller does.
      await until(async () => grants(await rulesOf(client, "edit"), "", "pods", "list"), "edit holds view's rules");
      await until(
        async () => grants(await rulesOf(client, "admin"), "rbac.authorization.k8s.io", "roles", "create"),
        "admin",
      );
      await until(
        async () => grants(await rulesOf(client, "admin"), "", "secrets", "create"),
        "admin holds edit's rules",
      );
      assert.equal(grants(await rulesOf(client, "view"), "", "secrets", "get"), false, "view never reads secrets");
    }),
});

Deno.test({
  name: "clusterrole aggregation: a labelled role's rules join edit and admin, and leave with the label",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await client.create({
        ...CLUSTER_ROLE,
        metadata: { name: "widgets-edit", labels: { "rbac.authorization.k8s.io/aggregate-to-edit": "true" } },
        rules: [{ verbs: ["create", "delete"], apiGroups: ["example.com"], resources: ["widgets"] }],
      });
      await until(async () => grants(await rulesOf(client, "edit"), "example.com", "widgets", "create"), "edit");
      await until(async () => grants(await rulesOf(client, "admin"), "example.com", "widgets", "create"), "admin");
      assert.equal(grants(await rulesOf(client, "view"), "example.com", "widgets", "create"), false);

      await client.patch(CLUSTER_ROLE, undefined, "widgets-edit", "merge", {
        metadata: { labels: { "rbac.authorization.k8s.io/aggregate-to-edit": null } },
      });
      await until(async () => !grants(await rulesOf(client, "edit"), "example.com", "widgets", "create"), "removed");
      await until(async () => !grants(await rulesOf(client, "admin"), "example.com", "widgets", "create"), "admin too");
    }),
});

Deno.test({
  name: "clusterrole aggregation: a user's aggregated role gathers matching roles once each, in name order",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const rule = (resource: string): Rule => ({ verbs: ["get"], apiGroups: [""], resources: [resource] });
      for (const [name, resources] of [["b-role", ["secrets", "pods"]], ["a-role", ["pods", "services"]]] as const) {
        await client.create({
          ...CLUSTER_ROLE,
          metadata: { name, labels: { gather: "yes" } },
          rules: resources.map(rule),
        });
      }
      await client.create({
        ...CLUSTER_ROLE,
        metadata: { name: "gathered" },
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { gather: "yes" } }] },
      });
      await until(async () => (await rulesOf(client, "gathered")).length === 3, "three rules");
      assert.deepEqual(await rulesOf(client, "gathered"), [rule("pods"), rule("services"), rule("secrets")]);
    }),
});
