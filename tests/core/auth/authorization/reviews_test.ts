// The review kinds on a real server: kubectl auth can-i [--list], auth whoami, and (Local)SubjectAccessReviews.
// Reviews are created with --validate=false: kubectl's client-side schema check fails on this server's OpenAPI for
// the authorization group, whoever asks.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { SERVER_TEST, withIdentities } from "./identities.ts";
import { until } from "../../../support/cluster.ts";

Deno.test({
  name: "reviews: kubectl asks the server what a user may do and who they are",
  ...SERVER_TEST,
  fn: async (t) => {
    await withIdentities(async (c) => {
      const jane = await c.identity("jane", ["dev"]);
      const node1 = await c.identity("system:node:node1", ["system:nodes"]);
      const file = (name: string, object: unknown) => {
        const path = join(c.dataDir, `${name}.json`);
        writeFileSync(path, JSON.stringify(object));
        return path;
      };
      await c.ok(c.admin, "create", "namespace", "team");
      await c.ok(c.admin, "-n", "team", "create", "role", "pod-reader", "--verb=get,list,watch", "--resource=pods");
      await c.ok(c.admin, "-n", "team", "create", "rolebinding", "jane-reads", "--role=pod-reader", "--user=jane");
      const canI = async (who: string, ...args: string[]) => (await c.kubectl(who, "auth", "can-i", ...args)).stdout;

      await t.step("can-i answers yes or no for resources and paths", async () => {
        await until(async () => await canI(jane, "-n", "team", "list", "pods") === "yes\n", "jane may list pods");
        assert.equal(await canI(jane, "-n", "team", "delete", "pods"), "no\n");
        assert.equal(await canI(jane, "-n", "default", "list", "pods"), "no\n");
        assert.equal(await canI(jane, "get", "/healthz"), "yes\n");
        assert.equal(await canI(jane, "get", "/metrics"), "no\n");
        assert.equal(await canI(c.admin, "*", "*"), "yes\n");
      });

      await t.step("can-i --list lists the user's rules in the namespace", async () => {
        const list = await c.ok(jane, "-n", "team", "auth", "can-i", "--list");
        assert.match(list, /^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
        assert.match(list, /^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
        assert.match(list, /^\s+\[\/healthz\]\s+\[\]\s+\[get\]$/m);
        assert.doesNotMatch(await c.ok(jane, "-n", "default", "auth", "can-i", "--list"), /^pods/m);
      });

      await t.step("a node's rules are incomplete: the Node authorizer cannot list them", async () => {
        const r = await c.kubectl(node1, "auth", "can-i", "--list");
        assert.equal(r.code, 0, r.stderr);
        const rules = file("ssrr", {
          apiVersion: "authorization.k8s.io/v1",
          kind: "SelfSubjectRulesReview",
          spec: { namespace: "default" },
        });
        const review = JSON.parse(await c.ok(node1, "create", "--validate=false", "-o", "json", "-f", rules));
        assert.equal(review.status.incomplete, true);
        assert.equal(review.status.evaluationError, "node authorizer does not support user rule resolution");
      });

      await t.step("whoami shows user name and groups", async () => {
        assert.equal(
          await c.ok(jane, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username} {.status.userInfo.groups[*]}"),
          "jane dev system:authenticated",
        );
      });

      await t.step("a SubjectAccessReview answers for another user, saying which binding allowed it", async () => {
        const review = (user: string) =>
          file(`sar-${user}`, {
            apiVersion: "authorization.k8s.io/v1",
            kind: "SubjectAccessReview",
            spec: { user, resourceAttributes: { namespace: "team", verb: "get", resource: "pods" } },
          });
        const allowed = JSON.parse(
          await c.ok(c.admin, "create", "--validate=false", "-o", "json", "-f", review("jane")),
        );
        assert.deepEqual(allowed.status, {
          allowed: true,
          reason: 'RBAC: allowed by RoleBinding "jane-reads/team" of Role "pod-reader" to User "jane"',
        });
        const denied = JSON.parse(await c.ok(c.admin, "create", "--validate=false", "-o", "json", "-f", review("bob")));
        assert.deepEqual(denied.status, { allowed: false });
        assert.match(
          await c.fails(jane, "create", "--validate=false", "-f", review("bob")),
          /subjectaccessreviews\.authorization\.k8s\.io is forbidden: User "jane" cannot create resource "subjectaccessreviews" in API group "authorization\.k8s\.io" at the cluster scope/,
        );
      });

      await t.step("a LocalSubjectAccessReview must name its own namespace", async () => {
        const local = (namespace: string) =>
          file(`lsar-${namespace}`, {
            apiVersion: "authorization.k8s.io/v1",
            kind: "LocalSubjectAccessReview",
            metadata: { namespace: "team" },
            spec: { user: "jane", resourceAttributes: { namespace, verb: "list", resource: "pods" } },
          });
        const review = JSON.parse(await c.ok(c.admin, "create", "--validate=false", "-o", "json", "-f", local("team")));
        assert.equal(review.status.allowed, true);
        assert.match(
          await c.fails(c.admin, "create", "--validate=false", "-f", local("default")),
          /spec\.resourceAttributes\.namespace must match namespace: team/,
        );
      });

      await t.step("an access review needs exactly one of resource and non-resource attributes", async () => {
        const neither = file("ssar-empty", { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview" });
        assert.match(
          await c.fails(jane, "create", "--validate=false", "-f", neither),
          /The SelfSubjectAccessReview "" is invalid: spec\.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified/,
        );
      });
    });
  },
});
