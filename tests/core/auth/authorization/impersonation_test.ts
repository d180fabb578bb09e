// Impersonation (kubectl --as, --as-group, --as-uid) on a real server: allowed only with the impersonate verb.
import assert from "node:assert/strict";
import { SERVER_TEST, withIdentities } from "./identities.ts";
import { until } from "../../../support/cluster.ts";

Deno.test({
  name: "impersonation: acting as someone else needs the impersonate verb on them",
  ...SERVER_TEST,
  fn: async (t) => {
    await withIdentities(async (c) => {
      const jane = await c.identity("jane", ["dev"]);
      await c.ok(c.admin, "create", "namespace", "team");
      await c.ok(c.admin, "-n", "team", "create", "role", "pod-reader", "--verb=get,list,watch", "--resource=pods");
      await c.ok(c.admin, "-n", "team", "create", "rolebinding", "jane-reads", "--role=pod-reader", "--user=jane");

      await t.step("an admin acts as jane and gets jane's answers", async () => {
        const canI = async (...args: string[]) =>
          (await c.kubectl(c.admin, "-n", "team", "auth", "can-i", ...args, "--as", "jane")).stdout;
        await until(async () => await canI("list", "pods") === "yes\n", "jane may list pods");
        assert.equal(await canI("list", "secrets"), "no\n");
        assert.match(
          await c.fails(c.admin, "-n", "team", "get", "secrets", "--as", "jane"),
          /secrets is forbidden: User "jane" cannot list resource "secrets" in API group "" in the namespace "team"/,
        );
      });

      await t.step("impersonated groups, uid and the authenticated group show in whoami", async () => {
        const who = await c.ok(
          c.admin,
          ...["auth", "whoami", "--as", "bob", "--as-group", "ops", "--as-uid", "42"],
          ...["-o", "jsonpath={.status.userInfo.username} {.status.userInfo.uid} {.status.userInfo.groups[*]}"],
        );
        assert.equal(who, "bob 42 ops system:authenticated");
      });

      await t.step("a user without impersonate is refused with kube's message", async () => {
        assert.equal(
          await c.fails(jane, "-n", "team", "get", "pods", "--as", "admin"),
          'Error from server (Forbidden): users "admin" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope\n',
        );
        assert.match(
          await c.fails(jane, "-n", "team", "get", "pods", "--as", "system:serviceaccount:team:robot"),
          /serviceaccounts "robot" is forbidden: User "jane" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "team"/,
        );
      });

      await t.step(
        "impersonate on named users allows those users only, and each group needs its own grant",
        async () => {
          await c.ok(
            c.admin,
            ...["create", "clusterrole", "as-bob", "--verb=impersonate", "--resource=users", "--resource-name=bob"],
          );
          await c.ok(c.admin, "create", "clusterrolebinding", "jane-as-bob", "--clusterrole=as-bob", "--user=jane");
          await until(
            async () =>
              (await c.kubectl(jane, "auth", "whoami", "--as", "bob", "-o", "jsonpath={.status.userInfo.username}"))
                .stdout === "bob",
            "jane acts as bob",
          );
          assert.match(await c.fails(jane, "-n", "team", "get", "pods", "--as", "carol"), /users "carol" is forbidden/);
          assert.match(
            await c.fails(jane, "-n", "team", "get", "pods", "--as", "bob", "--as-group", "system:masters"),
            /groups "system:masters" is forbidden: User "jane" cannot impersonate resource "groups" in API group "" at the cluster scope/,
          );
        },
      );
    });
  },
});
