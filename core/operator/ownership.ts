/**
 * Kube's `ControllerRefManager`, shared by every controller that owns what it creates (ReplicaSet, Job,
 * StatefulSet, DaemonSet — pods, claims, ControllerRevisions): an owner claims the objects its selector
 * matches — keeping those it controls, adopting matching orphans (after re-reading itself, so an owner
 * being deleted adopts nothing) and releasing those it controls that stopped matching.
 *
 * @module
 */
import { type Client, isNotFound, type TypeRef } from "../client/mod.ts";
import { controllerRef, type KubeObject, type OwnerReference } from "./source.ts";

/** The owner: a namespaced workload addressed by `apiVersion`/`kind`. */
export interface ClaimingOwner {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; uid: string; deletionTimestamp?: string };
}

/** An object that can be claimed. */
export interface Claimable extends KubeObject {
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    finalizers?: string[];
    ownerReferences?: OwnerReference[];
  };
}

/**
 * The `controller: true` ownerReference an owner puts on what it creates (`metav1.NewControllerRef`).
 *
 * @example
 * ```ts
 * pod.metadata.ownerReferences = [controllerRefTo({ apiVersion: "apps/v1", kind: "StatefulSet", metadata: sts.metadata })];
 * ```
 */
export function controllerRefTo(owner: ClaimingOwner): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * Kube's `ClaimObject` over `objects` (of kind `ref`, all in the owner's namespace): returns those the
 * owner controls afterwards. `match` is the selector (and any membership rule, such as a StatefulSet
 * pod's name). Ownership changes are JSON patches that test the object's uid and resourceVersion, so a
 * stale cache fails them instead of overwriting someone else's claim.
 *
 * @example
 * ```ts
 * const pods = await claimObjects(client, POD, { ...STS, metadata: sts.metadata }, cached, (p) => matchesSelector(sel, p.metadata.labels));
 * ```
 */
export async function claimObjects<T extends Claimable>(
  client: Client,
  ref: TypeRef,
  owner: ClaimingOwner,
  objects: readonly T[],
  match: (object: T) => boolean,
  /** A finalizer the owner keeps on what it controls (a Job's tracking finalizer): added on adoption, removed on release. */
  finalizer?: string,
): Promise<T[]> {
  const claimed: T[] = [];
  let adoptable: boolean | undefined;
  for (const object of objects) {
    const controller = controllerRef(object);
    if (controller) {
      if (controller.uid !== owner.metadata.uid) continue;
      if (match(object)) claimed.push(object);
      else if (!owner.metadata.deletionTimestamp) {
        await setOwnerReferences(
          client,
          ref,
          object,
          (object.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid),
          finalizer && (object.metadata.finalizers ?? []).filter((f) => f !== finalizer),
        );
      }
      continue;
    }
    if (owner.metadata.deletionTimestamp || object.metadata.deletionTimestamp || !match(object)) continue;
    adoptable ??= await ownerStillThere(client, owner);
    if (!adoptable) continue;
    const finalizers = object.metadata.finalizers ?? [];
    const adopted = await setOwnerReferences(
      client,
      ref,
      object,
      [...(object.metadata.ownerReferences ?? []), controllerRefTo(owner)],
      finalizer && (finalizers.includes(finalizer) ? finalizers : [...finalizers, finalizer]),
    );
    if (adopted) claimed.push(adopted);
  }
  return claimed;
}

/** Kube's `RecheckDeletionTimestamp`: a cached owner may already be going away, so ask the API. */
async function ownerStillThere(client: Client, owner: ClaimingOwner): Promise<boolean> {
  try {
    const live = await client.get<ClaimingOwner>(owner, owner.metadata.namespace, owner.metadata.name);
    return live.metadata.uid === owner.metadata.uid && !live.metadata.deletionTimestamp;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

async function setOwnerReferences<T extends Claimable>(
  client: Client,
  ref: TypeRef,
  object: T,
  refs: OwnerReference[],
  finalizers?: string[] | "",
): Promise<T | undefined> {
  const patch = [
    { op: "test", path: "/metadata/uid", value: object.metadata.uid },
    { op: "test", path: "/metadata/resourceVersion", value: object.metadata.resourceVersion },
    { op: "add", path: "/metadata/ownerReferences", value: refs },
    ...(finalizers ? [{ op: "add", path: "/metadata/finalizers", value: finalizers }] : []),
  ];
  try {
    return await client.patch<T>(ref, object.metadata.namespace, object.metadata.name, "json", patch);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
