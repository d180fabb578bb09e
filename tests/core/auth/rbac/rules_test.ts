// RBAC's rule matching and coverage: what a rule allows, and what a set of rules misses of another.
import assert from "node:assert/strict";
import { nonResourceAttributes, resourceAttributes } from "../../../../core/auth/authorization/attributes.ts";
import { ruleAllows } from "../../../../core/auth/rbac/rules.ts";
import { compactRules, compactString, covers } from "../../../../core/auth/rbac/covers.ts";

const jane = { username: "jane", groups: ["system:authenticated"] };
const asks = (verb: string, resource: string, extra: Record<string, string> = {}) =>
  resourceAttributes(jane, { verb, resource, ...extra });

Deno.test("rules: a subresource needs its own resource entry or */subresource", () => {
  const podsOnly = { verbs: ["get"], apiGroups: [""], resources: ["pods"] };
  assert.equal(ruleAllows(asks("get", "pods", { subresource: "log" }), podsOnly), false);
  assert.equal(ruleAllows(asks("get", "pods", { subresource: "log" }), { ...podsOnly, resources: ["pods/log"] }), true);
  const anyScale = { verbs: ["get"], apiGroups: ["*"], resources: ["*/scale"] };
  assert.equal(ruleAllows(asks("get", "deployments", { apiGroup: "apps", subresource: "scale" }), anyScale), true);
  assert.equal(ruleAllows(asks("get", "deployments", { apiGroup: "apps" }), anyScale), false);
});

Deno.test("rules: resourceNames limit a rule to those names, so a list (no name) is not allowed", () => {
  const one = { verbs: ["get", "list"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["settings"] };
  assert.equal(ruleAllows(asks("get", "configmaps", { name: "settings" }), one), true);
  assert.equal(ruleAllows(asks("get", "configmaps", { name: "other" }), one), false);
  assert.equal(ruleAllows(asks("list", "configmaps"), one), false);
});

Deno.test("rules: * matches any verb, group and resource, and a URL ending in * is a prefix", () => {
  assert.equal(
    ruleAllows(asks("escalate", "roles", { apiGroup: "rbac.authorization.k8s.io" }), {
      verbs: ["*"],
      apiGroups: ["rbac.authorization.k8s.io"],
      resources: ["roles"],
    }),
    true,
  );
  const health = { verbs: ["get"], nonResourceURLs: ["/healthz/*"] };
  assert.equal(ruleAllows(nonResourceAttributes(jane, "get", "/healthz/etcd"), health), true);
  assert.equal(ruleAllows(nonResourceAttributes(jane, "get", "/healthz"), health), false);
  assert.equal(ruleAllows(nonResourceAttributes(jane, "post", "/healthz/etcd"), health), false);
});

Deno.test("covers: the pieces an owner lacks, broken down to one verb and resource each", () => {
  const owner = [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods", "*/status"] }];
  assert.deepEqual(covers(owner, [{ verbs: ["get"], apiGroups: [""], resources: ["pods", "services/status"] }]), {
    covered: true,
    missing: [],
  });
  const { covered, missing } = covers(owner, [{ verbs: ["get", "delete"], apiGroups: [""], resources: ["pods"] }]);
  assert.equal(covered, false);
  assert.deepEqual(missing, [{ apiGroups: [""], resources: ["pods"], verbs: ["delete"] }]);
});

Deno.test("covers: an owner limited to names does not cover every name", () => {
  const owner = [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"], resourceNames: ["a"] }];
  assert.equal(
    covers(owner, [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"], resourceNames: ["a"] }]).covered,
    true,
  );
  assert.equal(covers(owner, [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"] }]).covered, false);
});

Deno.test("compact: missing pieces of one resource print as one rule in kube's compact form", () => {
  const pieces = [
    { apiGroups: [""], resources: ["secrets"], verbs: ["get"] },
    { apiGroups: [""], resources: ["secrets"], verbs: ["list"] },
    { nonResourceURLs: ["/metrics"], verbs: ["get"] },
  ];
  assert.deepEqual(compactRules(pieces).map(compactString), [
    '{NonResourceURLs:["/metrics"], Verbs:["get"]}',
    '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}',
  ]);
});
