/**
 * The ClusterRole aggregation controller, as kube-controller-manager's `clusterrole-aggregation`: a ClusterRole with
 * an `aggregationRule` gets as its `rules` the rules of every other ClusterRole its selectors match (in name order,
 * without repeats), and keeps them current as those roles come, change and go. This is how `admin`, `edit` and
 * `view` gain the rules of roles labelled `rbac.authorization.k8s.io/aggregate-to-<role>: "true"`.
 *
 * @module
 */
import type { Client } from "../../core/client/mod.ts";
import { type Controller, controller, type KubeObject, type Manager, objectKey } from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";
import { type LabelSelector, matchesSelector } from "../../core/api/label_selector.ts";
import { type KubeObject as StoredObject, sameObject } from "../../core/api/storage.ts";

// Client refs name the kind outright: a registry entry carries both `kind` and no `apiVersion`.
const CLUSTER_ROLE = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole" };

/** The field manager the controller writes `rules` as (kube's). */
export const FIELD_MANAGER = "clusterrole-aggregation-controller";

interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface ClusterRole extends KubeObject {
  metadata: { name: string; labels?: Record<string, string> };
  rules?: PolicyRule[] | null;
  aggregationRule?: { clusterRoleSelectors?: LabelSelector[] } | null;
}

/** A rule without its empty lists, so rules that differ only in `[]` versus absent compare equal (kube's semantic equality). */
function normalized(rule: PolicyRule): StoredObject {
  return Object.fromEntries(Object.entries(rule).filter(([, v]) => Array.isArray(v) && v.length > 0));
}

const sameRules = (a: PolicyRule[], b: PolicyRule[]) =>
  a.length === b.length && a.every((rule, i) => sameObject(normalized(rule), normalized(b[i])));

/**
 * The rules `role` aggregates from `roles` (kube's `syncClusterRole`).
 *
 * @example
 * ```ts
 * aggregatedRules(view, manager.cache(clusterroles).list());
 * ```
 */
export function aggregatedRules(role: ClusterRole, roles: ClusterRole[]): PolicyRule[] {
  const rules: PolicyRule[] = [];
  for (const selector of role.aggregationRule?.clusterRoleSelectors ?? []) {
    const matching = roles
      .filter((r) => r.metadata.name !== role.metadata.name && matchesSelector(selector, r.metadata.labels))
      .sort((a, b) => a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);
    for (const source of matching) {
      for (const rule of source.rules ?? []) {
        if (!rules.some((r) => sameObject(normalized(r), normalized(rule)))) rules.push(rule);
      }
    }
  }
  return rules;
}

/**
 * The controller, for ClusterRoles with an aggregation rule; any ClusterRole's change looks at all of them.
 *
 * @example
 * ```ts
 * manager.add(clusterRoleAggregationController({ client, registry, manager }));
 * ```
 */
export function clusterRoleAggregationController(
  deps: { client: Client; registry: Registry; manager: Manager },
): Controller {
  const { client, registry, manager } = deps;
  const clusterRoles = registry.resolve("rbac.authorization.k8s.io", "v1", "clusterroles")!;
  const cache = () => manager.cache(clusterRoles);
  const aggregating = () => (cache().list() as ClusterRole[]).filter((r) => r.aggregationRule).map(objectKey);
  return controller("clusterrole-aggregation")
    .for(clusterRoles, (role) => Boolean((role as ClusterRole).aggregationRule))
    .watches(clusterRoles, () => aggregating())
    .complete(async ({ name }) => {
      const role = cache().get(name) as ClusterRole | undefined;
      if (!role?.aggregationRule) return;
      const rules = aggregatedRules(role, cache().list() as ClusterRole[]);
      if (sameRules(rules, role.rules ?? [])) return;
      await client.patch(CLUSTER_ROLE, undefined, name, "merge", { rules }, { fieldManager: FIELD_MANAGER });
    });
}
