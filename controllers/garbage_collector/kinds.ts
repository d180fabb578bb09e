/**
 * Which resources the garbage collector follows, and how it names them in its work queue keys.
 *
 * @module
 */
import type { Kind, KubeObject } from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";
import type { ResourceInfo } from "../../core/registry/types.ts";

/** Events are never owners worth following and churn the most, so they are left out. */
const SKIPPED_GROUP_RESOURCES = new Set(["/events", "events.k8s.io/events"]);

/**
 * The resources that can own or be owned: listable, watchable and deletable, one version per group/resource
 * (the most preferred, since `registry.all()` lists versions in preference order — two versions of one
 * resource are the same objects and would only be collected twice).
 *
 * @example
 * ```ts
 * collectableKinds(registry).some((r) => r.resource === "replicasets"); // true
 * ```
 */
export function collectableKinds(registry: Registry): ResourceInfo[] {
  const seen = new Set<string>();
  const kinds: ResourceInfo[] = [];
  for (const r of registry.all()) {
    const groupResource = `${r.group}/${r.resource}`;
    if (seen.has(groupResource) || SKIPPED_GROUP_RESOURCES.has(groupResource)) continue;
    if (!["list", "watch", "delete"].every((verb) => r.verbs.includes(verb))) continue;
    seen.add(groupResource);
    kinds.push(r);
  }
  return kinds;
}

/**
 * The identity of a kind inside a work queue key: `resource.group` (`pods.` for the core group).
 *
 * @example
 * ```ts
 * kindId({ group: "apps", version: "v1", resource: "replicasets", kind: "ReplicaSet", namespaced: true }); // "replicasets.apps"
 * ```
 */
export function kindId(kind: Kind): string {
  return `${kind.resource}.${kind.group}`;
}

/** A decoded work queue key: which object of which kind to look at. */
export interface ItemRef {
  kindId: string;
  namespace?: string;
  name: string;
}

/**
 * The work queue key of an object: one queue serves every kind, so the key carries the kind. `|` cannot
 * occur in resource names, namespaces or object names.
 *
 * @example
 * ```ts
 * itemKey("pods.", { metadata: { namespace: "default", name: "web-1" } }); // "pods.|default|web-1"
 * ```
 */
export function itemKey(id: string, object: KubeObject): string {
  return `${id}|${object.metadata?.namespace ?? ""}|${object.metadata?.name ?? ""}`;
}

/**
 * Decode a key made by {@linkcode itemKey}.
 *
 * @example
 * ```ts
 * parseItemKey("pods.|default|web-1"); // { kindId: "pods.", namespace: "default", name: "web-1" }
 * ```
 */
export function parseItemKey(key: string): ItemRef {
  const [kindId, namespace, name] = key.split("|");
  return { kindId, namespace: namespace || undefined, name };
}
