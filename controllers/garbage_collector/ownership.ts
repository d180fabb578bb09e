/**
 * Pure helpers on `metadata.ownerReferences` and the deletion finalizers the garbage collector honours.
 *
 * @module
 */
import type { KubeObject, OwnerReference } from "../../core/operator/mod.ts";

/** The cache index from an owner's uid to its dependents. */
export const OWNER_UID_INDEX = "garbage-collector/owner-uid";

/** Owner asked for its dependents to be kept: they lose the reference instead. */
export const ORPHAN_FINALIZER = "orphan";

/** Owner waits for its dependents (those with `blockOwnerDeletion`) to be deleted first. */
export const FOREGROUND_FINALIZER = "foregroundDeletion";

/**
 * The owner references of an object (never undefined).
 *
 * @example
 * ```ts
 * ownerRefs({ metadata: {} }); // []
 * ```
 */
export function ownerRefs(object: KubeObject): OwnerReference[] {
  return object.metadata?.ownerReferences ?? [];
}

/**
 * The uids an object names as owners; the index function of {@linkcode OWNER_UID_INDEX}.
 *
 * @example
 * ```ts
 * ownerUids({ metadata: { ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "a", uid: "u1" }] } }); // ["u1"]
 * ```
 */
export function ownerUids(object: KubeObject): string[] {
  return ownerRefs(object).flatMap((ref) => ref.uid ? [ref.uid] : []);
}

/**
 * Whether an object is being deleted and waits on the garbage collector through `finalizer`.
 *
 * @example
 * ```ts
 * awaits({ metadata: { deletionTimestamp: "2024-01-01T00:00:00Z", finalizers: ["orphan"] } }, "orphan"); // true
 * ```
 */
export function awaits(object: KubeObject, finalizer: string): boolean {
  const meta = object.metadata ?? {};
  return Boolean(meta.deletionTimestamp) && ((meta.finalizers as string[] | undefined) ?? []).includes(finalizer);
}

/**
 * A JSON patch setting a list under `path` to `value`, guarded by a test of the list as last read — so a
 * concurrent writer makes it fail (and retry) rather than be overwritten.
 *
 * @example
 * ```ts
 * guardedReplace("/metadata/finalizers", ["orphan"], []);
 * // [{ op: "test", path: "/metadata/finalizers", value: ["orphan"] }, { op: "replace", path: "/metadata/finalizers", value: [] }]
 * ```
 */
export function guardedReplace(path: string, current: unknown[], value: unknown[]): object[] {
  // An emptied list goes away, as kube-apiserver's JSON omits empty ownerReferences and finalizers.
  const change = value.length ? { op: "replace", path, value } : { op: "remove", path };
  return [{ op: "test", path, value: current }, change];
}
