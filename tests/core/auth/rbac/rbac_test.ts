// RBAC enforced on a real server, driven by the real kubectl as users with client certificates from the client CA.
import assert from "node:assert/strict";
import { SERVER_TEST, withIdentities } from "../authorization/identities.ts";
import { until } from "../../../support/cluster.ts";

Deno.test({
  name: "rbac: what users may do follows their roles and bindings",
  ...SERVER_TEST,
  fn: async (t) => {
    await withIdentities(async (c) => {
      const jane = await c.identity("jane", ["dev"]);
      const bob = await c.identity("bob", ["ops"]);
      await c.ok(c.admin, "create", "namespace", "team");
      await c.ok(c.admin, "create", "namespace", "other");

      await t.step(
        "a user without roles gets kube's 403 naming user, verb, resource, group and namespace",
        async () => {
          assert.equal(
            await c.fails(jane, "-n", "team", "get", "pods"),
            'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "team"\n',
          );
          assert.match(
            await c.fails(jane, "get", "deployments", "-A"),
            /deployments\.apps is forbidden: User "jane" cannot list resource "deployments" in API group "apps" at the cluster scope/,
          );
        },
      );

      await t.step("a RoleBinding grants its Role's rules in its namespace only", async () => {
        await c.ok(c.admin, "-n", "team", "create", "role", "pod-reader", "--verb=get,list,watch", "--resource=pods");
        await c.ok(c.admin, "-n", "team", "create", "rolebinding", "jane-reads", "--role=pod-reader", "--user=jane");
        await until(async () => (await c.kubectl(jane, "-n", "team", "get", "pods")).code === 0, "jane lists pods");
        assert.match(await c.fails(jane, "-n", "other", "get", "pods"), /in the namespace "other"/);
        assert.match(await c.fails(jane, "-n", "team", "delete", "pod", "x"), /cannot delete resource "pods"/);
      });

      await t.step("a group subject grants to every member; a ClusterRoleBinding grants cluster-wide", async () => {
        await c.ok(c.admin, "create", "clusterrolebinding", "ops-view", "--clusterrole=view", "--group=ops");
        await c.ok(c.admin, "create", "clusterrole", "cm-reader", "--verb=list", "--resource=configmaps");
        await c.ok(c.admin, "create", "clusterrolebinding", "ops-cm", "--clusterrole=cm-reader", "--group=ops");
        await until(async () => (await c.kubectl(bob, "get", "configmaps", "-A")).code === 0, "bob lists configmaps");
        assert.match(await c.fails(jane, "get", "configmaps", "-A"), /User "jane" cannot list resource "configmaps"/);
      });

      await t.step("resourceNames allow those objects only, and never a list", async () => {
        await c.ok(c.admin, "-n", "team", "create", "configmap", "settings", "--from-literal=a=1");
        await c.ok(c.admin, "-n", "team", "create", "configmap", "private", "--from-literal=a=1");
        await c.ok(
          c.admin,
          ...["-n", "team", "create", "role", "settings-reader", "--verb=get", "--resource=configmaps"],
          "--resource-name=settings",
        );
        await c.ok(
          c.admin,
          "-n",
          "team",
          "create",
          "rolebinding",
          "jane-settings",
          "--role=settings-reader",
          "--user=jane",
        );
        await until(async () => (await c.kubectl(jane, "-n", "team", "get", "cm", "settings")).code === 0, "get one");
        assert.match(
          await c.fails(jane, "-n", "team", "get", "cm", "private"),
          /configmaps "private" is forbidden: User "jane" cannot get resource "configmaps"/,
        );
        assert.match(await c.fails(jane, "-n", "team", "get", "cm"), /cannot list resource "configmaps"/);
      });

      await t.step("a subresource needs its own rule: pods/log", async () => {
        const canI = async (...args: string[]) =>
          (await c.kubectl(jane, "-n", "team", "auth", "can-i", ...args)).stdout;
        // kubectl reads `pods/log` as a pod named "log": the subresource is a flag.
        assert.equal(await canI("get", "pods", "--subresource=log"), "no\n");
        await c.ok(c.admin, "-n", "team", "create", "role", "log-reader", "--verb=get", "--resource=pods/log");
        await c.ok(c.admin, "-n", "team", "create", "rolebinding", "jane-logs", "--role=log-reader", "--user=jane");
        await until(async () => await canI("get", "pods", "--subresource=log") === "yes\n", "pods/log allowed");
        assert.equal(await canI("get", "pods", "--subresource=exec"), "no\n");
      });

      await t.step("non-resource URLs: health for everyone, /metrics only when granted, * as a prefix", async () => {
        assert.equal(await c.ok(jane, "get", "--raw", "/healthz"), "ok");
        assert.equal(
          await c.fails(jane, "get", "--raw", "/metrics"),
          'Error from server (Forbidden): forbidden: User "jane" cannot get path "/metrics"\n',
        );
        await c.ok(c.admin, "create", "clusterrole", "scraper", "--verb=get", "--non-resource-url=/metrics*");
        await c.ok(c.admin, "create", "clusterrolebinding", "jane-scrapes", "--clusterrole=scraper", "--user=jane");
        await until(async () => (await c.kubectl(jane, "get", "--raw", "/metrics")).code === 0, "/metrics allowed");
      });

      await t.step("a binding to a missing role grants nothing and the 403 says why", async () => {
        await c.ok(c.admin, "-n", "team", "create", "rolebinding", "ghost", "--role=nope", "--user=bob");
        await until(
          async () => (await c.kubectl(bob, "-n", "team", "get", "secrets")).stderr.includes("RBAC:"),
          "the reason names the missing role",
        );
        assert.match(
          await c.fails(bob, "-n", "team", "get", "secrets"),
          /cannot list resource "secrets" in API group "" in the namespace "team": RBAC: role\.rbac\.authorization\.k8s\.io "nope" not found/,
        );
      });

      await t.step("system:masters may do everything without any binding", async () => {
        const root = await c.identity("root", ["system:masters"]);
        await c.ok(root, "delete", "clusterrolebinding", "cluster-admin");
        await c.ok(root, "get", "secrets", "-A");
        await c.ok(root, "get", "--raw", "/metrics");
      });
    });
  },
});
