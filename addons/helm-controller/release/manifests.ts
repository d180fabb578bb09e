/**
 * Helm's `releaseutil`: rendered templates split into YAML documents, empty ones dropped, hooks
 * (`helm.sh/hook`, with `helm.sh/hook-weight`, `helm.sh/hook-delete-policy` and
 * `helm.sh/hook-output-log-policy`) separated from the manifests, both put in Helm's install order by kind.
 *
 * @module
 */

import { decodeStruct, type StructSpec } from "../chart/decode_struct.ts";
import { yamlForJson } from "../chart/yaml/decode.ts";
import { Hook, type HookEvent } from "./release.ts";

/** A document and where it came from (`SimpleHead` is the part Helm reads: apiVersion, kind, name, annotations). */
export interface Manifest {
  /** The template name, e.g. `greeter/templates/cm.yaml`. */
  name: string;
  content: string;
  head: { apiVersion: string; kind: string; name: string; annotations: Record<string, string> };
}

/** Helm's `InstallOrder`: kinds installed first come first; unknown kinds go last, by name. */
export const INSTALL_ORDER = [
  "PriorityClass",
  "Namespace",
  "NetworkPolicy",
  "ResourceQuota",
  "LimitRange",
  "PodSecurityPolicy",
  "PodDisruptionBudget",
  "ServiceAccount",
  "Secret",
  "SecretList",
  "ConfigMap",
  "StorageClass",
  "PersistentVolume",
  "PersistentVolumeClaim",
  "CustomResourceDefinition",
  "ClusterRole",
  "ClusterRoleList",
  "ClusterRoleBinding",
  "ClusterRoleBindingList",
  "Role",
  "RoleList",
  "RoleBinding",
  "RoleBindingList",
  "Service",
  "DaemonSet",
  "Pod",
  "ReplicationController",
  "ReplicaSet",
  "Deployment",
  "HorizontalPodAutoscaler",
  "StatefulSet",
  "Job",
  "CronJob",
  "IngressClass",
  "Ingress",
  "APIService",
];

/** Helm's `UninstallOrder`. */
export const UNINSTALL_ORDER = [
  "APIService",
  "Ingress",
  "IngressClass",
  "Service",
  "CronJob",
  "Job",
  "StatefulSet",
  "HorizontalPodAutoscaler",
  "Deployment",
  "ReplicaSet",
  "ReplicationController",
  "Pod",
  "DaemonSet",
  "RoleBindingList",
  "RoleBinding",
  "RoleList",
  "Role",
  "ClusterRoleBindingList",
  "ClusterRoleBinding",
  "ClusterRoleList",
  "ClusterRole",
  "CustomResourceDefinition",
  "PersistentVolumeClaim",
  "PersistentVolume",
  "StorageClass",
  "ConfigMap",
  "SecretList",
  "Secret",
  "ServiceAccount",
  "PodDisruptionBudget",
  "PodSecurityPolicy",
  "LimitRange",
  "ResourceQuota",
  "NetworkPolicy",
  "Namespace",
  "PriorityClass",
];

const HOOK_EVENTS: Record<string, HookEvent> = {
  "pre-install": "pre-install",
  "post-install": "post-install",
  "pre-delete": "pre-delete",
  "post-delete": "post-delete",
  "pre-upgrade": "pre-upgrade",
  "post-upgrade": "post-upgrade",
  "pre-rollback": "pre-rollback",
  "post-rollback": "post-rollback",
  test: "test",
  "test-success": "test",
};

/**
 * `SplitManifests`: the YAML documents of a rendered template, trimmed, empty ones dropped.
 *
 * @example
 * ```ts
 * splitManifests("a: 1\n---\n\n---\nb: 2\n"); // ["a: 1", "b: 2"]
 * ```
 */
export function splitManifests(text: string): string[] {
  return text.trim().split(/(?:^|\s*\n)---\s*/).filter((d) => d !== "").map((d) => d.trim());
}

/**
 * `SortManifests`: splits every rendered template (partials and blank ones skipped, templates in name order)
 * and sorts hooks and manifests by kind in `order`. Throws `YAML parse error on <template>: …` for a document
 * that does not parse.
 *
 * @example
 * ```ts
 * const { hooks, manifests } = sortManifests(rendered);
 * manifests.map((m) => m.head.kind); // ["ServiceAccount", "ConfigMap", "Service", "Deployment"]
 * ```
 */
export function sortManifests(
  files: Record<string, string>,
  order: string[] = INSTALL_ORDER,
): { hooks: Hook[]; manifests: Manifest[] } {
  const hooks: Hook[] = [];
  const manifests: Manifest[] = [];
  for (const path of Object.keys(files).sort()) {
    const content = files[path];
    if (path.slice(path.lastIndexOf("/") + 1).startsWith("_") || content.trim() === "") continue;
    for (const doc of splitManifests(content)) {
      const head = simpleHead(doc, path);
      const hookTypes = head.annotations["helm.sh/hook"];
      if (hookTypes === undefined) {
        manifests.push({ name: path, content: doc, head });
        continue;
      }
      const events = hookTypes.split(",").map((t) => HOOK_EVENTS[t.trim().toLowerCase()]);
      if (events.includes(undefined as never)) continue;
      const hook = new Hook();
      hook.Name = head.name;
      hook.Kind = head.kind;
      hook.Path = path;
      hook.Manifest = doc;
      hook.Events = events;
      hook.Weight = hookWeight(head.annotations["helm.sh/hook-weight"]);
      hook.DeletePolicies = annotationValues(head.annotations["helm.sh/hook-delete-policy"]);
      hook.OutputLogPolicies = annotationValues(head.annotations["helm.sh/hook-output-log-policy"]);
      hooks.push(hook);
    }
  }
  return {
    hooks: stableSortByKind(hooks, (h) => h.Kind, order),
    manifests: stableSortByKind(manifests, (m) => m.head.kind, order),
  };
}

/**
 * Hooks in the order Helm runs them: by weight, then by name.
 *
 * @example
 * ```ts
 * sortHooksByWeight(hooks).map((h) => h.Weight); // [-5, 0, 0, 10]
 * ```
 */
export function sortHooksByWeight(hooks: Hook[]): Hook[] {
  return [...hooks].sort((a, b) => a.Weight - b.Weight || (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

function stableSortByKind<T>(items: T[], kind: (item: T) => string, order: string[]): T[] {
  const rank = new Map(order.map((k, i) => [k, i]));
  return items.map((item, index) => ({ item, index })).sort((a, b) => {
    const ka = kind(a.item);
    const kb = kind(b.item);
    const ra = rank.get(ka);
    const rb = rank.get(kb);
    let d = 0;
    if (ra === undefined && rb === undefined) d = ka < kb ? -1 : ka > kb ? 1 : 0;
    else if (ra === undefined) d = 1;
    else if (rb === undefined) d = -1;
    else d = ra - rb;
    return d || a.index - b.index;
  }).map((x) => x.item);
}

const HEAD_METADATA: StructSpec = {
  name: "SimpleHead",
  make: () => ({ name: "", annotations: null }),
  fields: {
    name: { field: "name", type: "string" },
    annotations: { field: "annotations", type: "map[string]string" },
  },
};

const SIMPLE_HEAD: StructSpec = {
  name: "SimpleHead",
  make: () => ({ apiVersion: "", kind: "", metadata: null }),
  fields: {
    apiVersion: { field: "apiVersion", type: "string" },
    kind: { field: "kind", type: "string" },
    metadata: { field: "metadata", type: { struct: HEAD_METADATA } },
  },
};

/** The fields of a document Helm reads to sort it (`releaseutil.SimpleHead`), decoded as sigs.k8s.io/yaml would. */
function simpleHead(doc: string, path: string): Manifest["head"] {
  const head = SIMPLE_HEAD.make() as {
    apiVersion: string;
    kind: string;
    metadata: { name: string; annotations: Record<string, string> | null } | null;
  };
  try {
    decodeStruct(SIMPLE_HEAD, yamlForJson(doc), head);
  } catch (error) {
    throw new Error(`YAML parse error on ${path}: ${(error as Error).message}`);
  }
  return {
    apiVersion: head.apiVersion,
    kind: head.kind,
    name: head.metadata?.name ?? "",
    annotations: head.metadata?.annotations ?? {},
  };
}

/** `strconv.Atoi` of `helm.sh/hook-weight`, 0 when it is not an integer. */
function hookWeight(value: string | undefined): number {
  return value !== undefined && /^[+-]?\d+$/.test(value) ? Number(value) : 0;
}

function annotationValues(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(",").map((v) => v.trim().toLowerCase());
}
