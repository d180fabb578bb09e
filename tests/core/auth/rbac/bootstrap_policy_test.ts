// The default RBAC policy kube-apiserver creates at start, and its reconcile at every start.
import assert from "node:assert/strict";
import { SERVER_TEST, withIdentities } from "../authorization/identities.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

Deno.test({
  name: "bootstrap policy: created at start, and repaired at restart without losing what users added",
  ...SERVER_TEST,
  fn: async (t) => {
    await withIdentities(async (c, restart) => {
      const get = async (...args: string[]): Promise<Json> =>
        JSON.parse(await c.ok(c.admin, "get", ...args, "-o", "json"));

      await t.step("kube's roles and bindings are there, labelled and marked for auto-update", async () => {
        const admin = await get("clusterrolebinding", "cluster-admin");
        assert.deepEqual(admin.roleRef, {
          apiGroup: "rbac.authorization.k8s.io",
          kind: "ClusterRole",
          name: "cluster-admin",
        });
        assert.deepEqual(admin.subjects, [{
          apiGroup: "rbac.authorization.k8s.io",
          kind: "Group",
          name: "system:masters",
        }]);
        assert.equal(admin.metadata.labels["kubernetes.io/bootstrapping"], "rbac-defaults");
        assert.equal(admin.metadata.annotations["rbac.authorization.kubernetes.io/autoupdate"], "true");
        const subjects = async (name: string) =>
          (await get("clusterrolebinding", name)).subjects.map((s: Json) => s.name);
        assert.deepEqual(await subjects("system:basic-user"), ["system:authenticated"]);
        assert.deepEqual(await subjects("system:discovery"), ["system:authenticated"]);
        assert.deepEqual(await subjects("system:public-info-viewer"), [
          "system:authenticated",
          "system:unauthenticated",
        ]);
        const view = await get("clusterrole", "view");
        assert.deepEqual(view.aggregationRule.clusterRoleSelectors, [
          { matchLabels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" } },
        ]);
        assert.equal(view.metadata.labels["rbac.authorization.k8s.io/aggregate-to-edit"], "true");
        const names = (await get("clusterroles")).items.map((r: Json) => r.metadata.name);
        for (
          const name of [
            "admin",
            "edit",
            "system:node",
            "system:controller:replicaset-controller",
            "system:k3s-controller",
          ]
        ) {
          assert.ok(names.includes(name), name);
        }
        const locking = await get("-n", "kube-system", "rolebinding", "system::leader-locking-kube-scheduler");
        assert.equal(locking.roleRef.name, "system::leader-locking-kube-scheduler");
        assert.deepEqual(
          (await get("clusterrolebinding", "system:k3s-controller")).subjects[0].name,
          "system:k3s-controller",
        );
      });

      await t.step("a restart re-creates deleted ones, restores missing rules and keeps additions", async () => {
        await c.ok(c.admin, "delete", "clusterrolebinding", "cluster-admin");
        await c.ok(c.admin, "delete", "clusterrole", "system:discovery");
        const noRules = JSON.stringify([{ op: "replace", path: "/rules", value: [] }]);
        await c.ok(c.admin, "patch", "clusterrole", "system:basic-user", "--type=json", "-p", noRules);
        const extra = { op: "add", path: "/rules/-", value: { nonResourceURLs: ["/extra"], verbs: ["get"] } };
        await c.ok(
          c.admin,
          "patch",
          "clusterrole",
          "system:public-info-viewer",
          "--type=json",
          "-p",
          JSON.stringify([extra]),
        );
        const more = {
          op: "add",
          path: "/subjects/-",
          value: { kind: "User", name: "auditor", apiGroup: "rbac.authorization.k8s.io" },
        };
        await c.ok(
          c.admin,
          "patch",
          "clusterrolebinding",
          "system:basic-user",
          "--type=json",
          "-p",
          JSON.stringify([more]),
        );
        await restart();
        assert.equal((await get("clusterrolebinding", "cluster-admin")).subjects[0].name, "system:masters");
        assert.ok((await get("clusterrole", "system:discovery")).rules[0].nonResourceURLs.includes("/version"));
        const basic = await get("clusterrole", "system:basic-user");
        const resources = basic.rules.flatMap((r: Json) => r.resources);
        assert.deepEqual(resources.sort(), [
          "selfsubjectaccessreviews",
          "selfsubjectreviews",
          "selfsubjectrulesreviews",
        ]);
        const urls = (await get("clusterrole", "system:public-info-viewer")).rules.flatMap((r: Json) =>
          r.nonResourceURLs
        );
        assert.ok(urls.includes("/extra") && urls.includes("/healthz"));
        const subjects = (await get("clusterrolebinding", "system:basic-user")).subjects.map((s: Json) => s.name);
        assert.deepEqual(subjects, ["system:authenticated", "auditor"]);
      });

      await t.step("a restart leaves alone what is annotated autoupdate=false", async () => {
        await c.ok(
          c.admin,
          "annotate",
          "--overwrite",
          "clusterrole",
          "system:heapster",
          "rbac.authorization.kubernetes.io/autoupdate=false",
        );
        const noRules = JSON.stringify([{ op: "replace", path: "/rules", value: [] }]);
        await c.ok(c.admin, "patch", "clusterrole", "system:heapster", "--type=json", "-p", noRules);
        await restart();
        assert.deepEqual((await get("clusterrole", "system:heapster")).rules, []);
      });
    });
  },
});
