/**
 * A compact notation for the bootstrap policy tables, so they read like kube's `NewRule(verbs).Groups(…).Resources(…)`:
 * comma-separated lists of verbs, groups, resources and names.
 *
 * @module
 */
import type { Binding, PolicyRule, Role, Subject } from "../types.ts";
import { RBAC_GROUP } from "../types.ts";

const list = (text: string) => text.split(",").map((s) => s.trim());

/** kube's `Read` verbs. */
export const READ = "get,list,watch";
/** kube's `ReadWrite` verbs. */
export const READ_WRITE = "create,delete,deletecollection,get,list,patch,update,watch";
/** kube's `Write` verbs. */
export const WRITE = "create,delete,deletecollection,patch,update";

/**
 * A resource rule; `groups` is comma-separated too, so `""` is the core group and `",events.k8s.io"` two groups.
 *
 * @example
 * ```ts
 * rule("get,list,watch", "", "pods,services"); // { verbs: [...], apiGroups: [""], resources: ["pods", "services"] }
 * ```
 */
export function rule(verbs: string, groups: string, resources: string, names?: string): PolicyRule {
  return {
    apiGroups: list(groups),
    resources: list(resources),
    verbs: list(verbs),
    ...(names ? { resourceNames: list(names) } : {}),
  };
}

/**
 * A non-resource URL rule.
 *
 * @example
 * ```ts
 * urls("get", "/healthz,/livez"); // { nonResourceURLs: ["/healthz", "/livez"], verbs: ["get"] }
 * ```
 */
export function urls(verbs: string, paths: string): PolicyRule {
  return { nonResourceURLs: list(paths), verbs: list(verbs) };
}

/** kube's events rule every controller role carries. */
export const EVENTS = rule("create,patch,update", ",events.k8s.io", "events");

/** The label and annotation every bootstrap object carries (kube's `addDefaultMetadata`). */
export function bootstrapMetadata(
  name: string,
  extraLabels: Record<string, string> = {},
  namespace?: string,
): Role["metadata"] {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    labels: { "kubernetes.io/bootstrapping": "rbac-defaults", ...extraLabels },
    annotations: { "rbac.authorization.kubernetes.io/autoupdate": "true" },
  };
}

/**
 * A bootstrap ClusterRole.
 *
 * @example
 * ```ts
 * clusterRole("system:discovery", [urls("get", "/api,/apis")]);
 * ```
 */
export function clusterRole(name: string, rules: PolicyRule[], labels: Record<string, string> = {}): Role {
  return { apiVersion: `${RBAC_GROUP}/v1`, kind: "ClusterRole", metadata: bootstrapMetadata(name, labels), rules };
}

/**
 * An aggregated bootstrap ClusterRole: its rules come from the ClusterRoles labelled `aggregate-to-<label>`.
 *
 * @example
 * ```ts
 * aggregatedClusterRole("view", "view", { "rbac.authorization.k8s.io/aggregate-to-edit": "true" });
 * ```
 */
export function aggregatedClusterRole(name: string, selects: string, labels: Record<string, string> = {}): Role {
  return {
    ...clusterRole(name, [], labels),
    aggregationRule: {
      clusterRoleSelectors: [{ matchLabels: { [`rbac.authorization.k8s.io/aggregate-to-${selects}`]: "true" } }],
    },
    rules: null,
  };
}

/** A User subject. */
export const user = (name: string): Subject => ({ apiGroup: RBAC_GROUP, kind: "User", name });
/** A Group subject. */
export const group = (name: string): Subject => ({ apiGroup: RBAC_GROUP, kind: "Group", name });
/** A ServiceAccount subject. */
export const serviceAccount = (namespace: string, name: string): Subject => ({
  kind: "ServiceAccount",
  name,
  namespace,
});

/**
 * A bootstrap ClusterRoleBinding of the ClusterRole of the same name (or `role`).
 *
 * @example
 * ```ts
 * clusterRoleBinding("cluster-admin", [group("system:masters")]);
 * ```
 */
export function clusterRoleBinding(name: string, subjects: Subject[], role = name): Binding {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: "ClusterRoleBinding",
    metadata: bootstrapMetadata(name),
    roleRef: { apiGroup: RBAC_GROUP, kind: "ClusterRole", name: role },
    subjects,
  };
}
