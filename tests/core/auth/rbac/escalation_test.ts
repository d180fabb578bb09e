// RBAC escalation prevention on a real server: nobody grants what they do not hold, unless they may escalate or bind.
import assert from "node:assert/strict";
import { SERVER_TEST, withIdentities } from "../authorization/identities.ts";
import { until } from "../../../support/cluster.ts";

const ROLE_WRITER = "--verb=get,list,watch,create,update,patch,delete";

Deno.test({
  name: "rbac escalation: roles and bindings grant only what the writer holds",
  ...SERVER_TEST,
  fn: async (t) => {
    await withIdentities(async (c) => {
      const jane = await c.identity("jane", ["dev"]);
      const ns = ["-n", "team"];
      await c.ok(c.admin, "create", "namespace", "team");
      await c.ok(c.admin, ...ns, "create", "role", "pod-reader", "--verb=get,list,watch", "--resource=pods");
      await c.ok(c.admin, ...ns, "create", "rolebinding", "jane-reads", "--role=pod-reader", "--user=jane");
      await c.ok(c.admin, ...ns, "create", "role", "rbac-writer", ROLE_WRITER, "--resource=roles,rolebindings");
      await c.ok(c.admin, ...ns, "create", "rolebinding", "jane-writes", "--role=rbac-writer", "--user=jane");
      await c.ok(c.admin, "create", "clusterrole", "secret-reader", "--verb=get,list", "--resource=secrets");
      await until(async () => (await c.kubectl(jane, ...ns, "get", "roles")).code === 0, "jane reads roles");

      await t.step("a role within the writer's own rules is created", async () => {
        await c.ok(jane, ...ns, "create", "role", "mine", "--verb=get,list", "--resource=pods");
      });

      await t.step("a role granting more is refused with kube's message listing what is missing", async () => {
        assert.equal(
          await c.fails(jane, ...ns, "create", "role", "grab", "--verb=get,list", "--resource=secrets,pods"),
          'Error from server (Forbidden): roles.rbac.authorization.k8s.io "grab" is forbidden: user "jane" ' +
            '(groups=["dev" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
            '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}\n',
        );
      });

      await t.step("an update that adds rules not held is refused too", async () => {
        const patch =
          '[{"op":"add","path":"/rules/-","value":{"apiGroups":[""],"resources":["secrets"],"verbs":["get"]}}]';
        assert.match(
          await c.fails(jane, ...ns, "patch", "role", "mine", "--type=json", "-p", patch),
          /roles\.rbac\.authorization\.k8s\.io "mine" is forbidden: .* not currently held:\n\{APIGroups:\[""\], Resources:\["secrets"\], Verbs:\["get"\]\}/,
        );
        await c.ok(jane, ...ns, "label", "role", "mine", "team=blue");
      });

      await t.step("binding a role the writer does not hold is refused", async () => {
        assert.match(
          await c.fails(
            jane,
            ...ns,
            "create",
            "rolebinding",
            "jane-secrets",
            "--clusterrole=secret-reader",
            "--user=jane",
          ),
          /rolebindings\.rbac\.authorization\.k8s\.io "jane-secrets" is forbidden: user "jane" .* not currently held:/,
        );
        await c.ok(jane, ...ns, "create", "rolebinding", "bob-reads", "--role=pod-reader", "--user=bob");
      });

      await t.step("the bind verb on a role allows binding it without holding it", async () => {
        await c.ok(
          c.admin,
          ...[...ns, "create", "role", "may-bind-secrets", "--verb=bind", "--resource=clusterroles"],
          "--resource-name=secret-reader",
        );
        await c.ok(c.admin, ...ns, "create", "rolebinding", "jane-binds", "--role=may-bind-secrets", "--user=jane");
        await until(
          async () =>
            (await c.kubectl(
              jane,
              ...ns,
              "create",
              "rolebinding",
              "bob-secrets",
              "--clusterrole=secret-reader",
              "--user=bob",
            ))
              .code === 0,
          "jane binds secret-reader",
        );
      });

      await t.step("the escalate verb allows creating roles with any rules", async () => {
        await c.ok(c.admin, ...ns, "create", "role", "escalator", "--verb=escalate", "--resource=roles");
        await c.ok(c.admin, ...ns, "create", "rolebinding", "jane-escalates", "--role=escalator", "--user=jane");
        await until(
          async () =>
            (await c.kubectl(jane, ...ns, "create", "role", "grab", "--verb=get", "--resource=secrets")).code === 0,
          "jane escalates",
        );
      });

      await t.step("a wildcard verb includes escalate, as in kube", async () => {
        const ops = await c.identity("ops");
        await c.ok(c.admin, ...ns, "create", "role", "rbac-admin", "--verb=*", "--resource=roles");
        await c.ok(c.admin, ...ns, "create", "rolebinding", "ops-rbac", "--role=rbac-admin", "--user=ops");
        await until(
          async () =>
            (await c.kubectl(ops, ...ns, "create", "role", "ops-grab", "--verb=get", "--resource=secrets")).code === 0,
          "ops escalates through *",
        );
      });

      await t.step("an aggregation rule needs cluster-admin's powers", async () => {
        const lead = await c.identity("lead");
        await c.ok(c.admin, "create", "clusterrole", "clusterrole-writer", ROLE_WRITER, "--resource=clusterroles");
        await c.ok(
          c.admin,
          "create",
          "clusterrolebinding",
          "lead-writes",
          "--clusterrole=clusterrole-writer",
          "--user=lead",
        );
        await c.ok(c.admin, "create", "clusterrolebinding", "lead-views", "--clusterrole=view", "--user=lead");
        await until(async () => (await c.kubectl(lead, "get", "clusterroles")).code === 0, "lead reads clusterroles");
        assert.match(
          await c.fails(lead, "create", "clusterrole", "gather", "--aggregation-rule=gather=true"),
          /clusterroles\.rbac\.authorization\.k8s\.io "gather" is forbidden: must have cluster-admin privileges to use the aggregationRule/,
        );
      });
    });
  },
});
