/**
 * Who owns a stateful pod's PersistentVolumeClaims, after kube's `persistentVolumeClaimRetentionPolicy`
 * handling (`isClaimOwnerUpToDate`, `updateClaimOwnerRefForSetAndPod`, `PodClaimIsStale`). Claims outlive
 * their pods by default (Retain); `whenDeleted: Delete` makes the set their controller so the garbage
 * collector removes them with it, and `whenScaled: Delete` makes a scaled-down pod their controller so
 * they go with that pod.
 *
 * @module
 */
import type { KubeObject, OwnerReference } from "../../core/operator/mod.ts";
import { controllerRefTo } from "../../core/operator/mod.ts";
import { ordinalOf } from "./identity.ts";
import type { Pod } from "./pods.ts";
import { replicasOf, retentionPolicy, startOrdinal, STATEFUL_SET, type StatefulSet } from "./statefulset.ts";

const POD = { apiVersion: "v1", kind: "Pod" };

interface Named {
  apiVersion: string;
  kind: string;
  name: string;
  uid?: string;
}

function refersTo(ref: OwnerReference, target: Named): boolean {
  return ref.apiVersion === target.apiVersion && ref.kind === target.kind && ref.name === target.name;
}

/** Kube's `hasStaleOwnerRef`: the first ref naming `target` carries another uid (an earlier namesake's). */
function staleRef(refs: OwnerReference[], target: Named): boolean {
  const ref = refs.find((r) => refersTo(r, target));
  return ref !== undefined && ref.uid !== target.uid;
}

function inOrdinalRange(set: StatefulSet, pod: Pod): boolean {
  const ordinal = ordinalOf(pod);
  return ordinal >= startOrdinal(set) && ordinal < startOrdinal(set) + replicasOf(set);
}

/** Which of set and pod the policy wants as the claim's controller. */
function wantedOwners(set: StatefulSet, pod: Pod): { set: boolean; pod: boolean } {
  const policy = retentionPolicy(set);
  const scaledDown = !inOrdinalRange(set, pod);
  const deleteOnScale = policy.whenScaled === "Delete", deleteWithSet = policy.whenDeleted === "Delete";
  return {
    set: deleteWithSet && !(deleteOnScale && scaledDown),
    pod: deleteOnScale && scaledDown,
  };
}

/**
 * The ownerReferences a claim of `pod` should have under the set's retention policy, or undefined when
 * its current ones are right — or belong to something else (an earlier namesake of the set or pod, or
 * another controller) that kube leaves alone.
 *
 * @example
 * ```ts
 * const refs = claimOwnerReferences(sts, pod, pvc.metadata.ownerReferences ?? []);
 * if (refs) await client.patch(PVC, ns, pvc.metadata.name, "merge", { metadata: { ownerReferences: refs } });
 * ```
 */
export function claimOwnerReferences(set: StatefulSet, pod: Pod, refs: OwnerReference[]): OwnerReference[] | undefined {
  const setRef: Named = { ...STATEFUL_SET, name: set.metadata.name, uid: set.metadata.uid };
  const podRef: Named = { ...POD, name: pod.metadata.name, uid: pod.metadata.uid };
  if (staleRef(refs, setRef) || (pod.metadata.uid && staleRef(refs, podRef))) return undefined;
  const ours = (r: OwnerReference) => refersTo(r, setRef) || refersTo(r, podRef);
  const policy = retentionPolicy(set);
  const retainAll = policy.whenDeleted === "Retain" && policy.whenScaled === "Retain";
  const foreignController = !retainAll && refs.some((r) => r.controller && !ours(r));
  if (foreignController) return refs.some(ours) ? refs.filter((r) => !ours(r)) : undefined;
  const want = wantedOwners(set, pod);
  const has = (uid: string | undefined) => uid !== undefined && refs.some((r) => r.uid === uid);
  const nonController = refs.some((r) => ours(r) && !r.controller);
  if (!nonController && has(set.metadata.uid) === want.set && has(pod.metadata.uid) === want.pod) return undefined;
  const wanted = [
    ...(want.set ? [controllerRefTo({ ...STATEFUL_SET, metadata: set.metadata })] : []),
    ...(want.pod && pod.metadata.uid
      ? [{ ...POD, name: pod.metadata.name, uid: pod.metadata.uid, controller: true, blockOwnerDeletion: true }]
      : []),
  ];
  return [...refs.filter((r) => !ours(r)), ...wanted];
}

/**
 * Kube's `PodClaimIsStale`: with `whenScaled: Delete`, a claim still owned by an earlier pod of this
 * name is on its way out, so the pod must wait rather than mount it.
 *
 * @example
 * ```ts
 * if (claimIsStale(sts, placeholder, existingClaims)) return; // look again once the claim is gone
 * ```
 */
export function claimIsStale(set: StatefulSet, pod: Pod, claims: readonly KubeObject[]): boolean {
  if (retentionPolicy(set).whenScaled === "Retain") return false;
  const podRef: Named = { ...POD, name: pod.metadata.name, uid: pod.metadata.uid };
  return claims.some((claim) => staleRef(claim.metadata?.ownerReferences ?? [], podRef));
}
