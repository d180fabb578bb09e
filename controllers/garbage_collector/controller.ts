/**
 * The garbage collector: objects whose owners (`metadata.ownerReferences`) are all gone are deleted, with
 * Background propagation so chains cascade (Deployment → ReplicaSet → Pod); a reference to one of several
 * owners that is gone is dropped instead. Owners carrying the `orphan` or `foregroundDeletion` finalizer
 * are finished as kube-controller-manager's collector does: dependents lose the reference, or are deleted
 * before the finalizer goes.
 *
 * One controller watches every collectable resource through the manager's shared informers. Its keys carry
 * the kind (`pods.|default|web-1`), and each cache is indexed by owner uid so an owner's deletion finds its
 * dependents without listing.
 *
 * @module
 */
import { type Client, isConflict, isNotFound, splitApiVersion } from "../../core/client/mod.ts";
import {
  type Controller,
  controller,
  type Kind,
  type KubeObject,
  type Manager,
  objectKey,
  type OwnerReference,
} from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";
import { collectableKinds, itemKey, kindId, parseItemKey } from "./kinds.ts";
import {
  awaits,
  FOREGROUND_FINALIZER,
  guardedReplace,
  ORPHAN_FINALIZER,
  OWNER_UID_INDEX,
  ownerRefs,
  ownerUids,
} from "./ownership.ts";

/** How soon a foreground deletion looks again while blocking dependents are still going away. */
const RECHECK_MS = 1000;

/** Whether an owner exists; `unknown` (an unserved kind, a namespaced owner of a cluster object) keeps the dependent. */
type OwnerState = "present" | "absent" | "unknown";

/**
 * The garbage collector's controllers (one), for `startServer`'s `controllers` or a manager.
 *
 * @example
 * ```ts
 * const server = await startServer({ ...options, controllers: (deps) => garbageCollector(deps) });
 * ```
 */
export function garbageCollector(deps: { client: Client; registry: Registry; manager: Manager }): Controller[] {
  const { client, registry, manager } = deps;
  const kinds = collectableKinds(registry);
  const byId = new Map<string, Kind>(kinds.map((k) => [kindId(k), k]));
  const indexOwners = (kind: Kind) => {
    try {
      manager.informer(kind).addIndexers({ [OWNER_UID_INDEX]: ownerUids });
    } catch {
      // Already indexed: the collector was built before on this manager (a new leadership term).
    }
  };
  for (const kind of kinds) indexOwners(kind);
  const cacheOf = (kind: Kind) => manager.cache(kind);
  const pathOf = (kind: Kind) => ({ group: kind.group, version: kind.version, resource: kind.resource });

  /** The watched kind an owner reference points at, if the collector follows it. */
  function ownerKind(ref: OwnerReference): Kind | undefined {
    const { group, version } = splitApiVersion(ref.apiVersion);
    const info = registry.forKind(group, ref.kind, version);
    return info && byId.get(kindId(info));
  }

  /** The owner as the cache has it, only if it is the very object (same uid) the reference names. */
  function cachedOwner(ref: OwnerReference, namespace: string | undefined): KubeObject | undefined {
    const kind = ownerKind(ref);
    if (!kind || (kind.namespaced && !namespace)) return undefined;
    const owner = cacheOf(kind).get(kind.namespaced ? `${namespace}/${ref.name}` : ref.name);
    return owner?.metadata?.uid === ref.uid ? owner : undefined;
  }

  /** Every cached object naming `uid` as an owner, with its kind. */
  function dependentsOf(uid: string): [Kind, KubeObject][] {
    return kinds.flatMap((k) => cacheOf(k).byIndex(OWNER_UID_INDEX, uid).map((o): [Kind, KubeObject] => [k, o]));
  }

  async function ownerState(ref: OwnerReference, dependent: KubeObject): Promise<OwnerState> {
    if (!ref.uid) return "unknown";
    const { group, version } = splitApiVersion(ref.apiVersion);
    const info = registry.forKind(group, ref.kind, version);
    const namespace = dependent.metadata?.namespace;
    if (!info || (info.namespaced && !namespace)) return "unknown";
    if (cachedOwner(ref, namespace)) return "present";
    // Caches lag (an owner created a moment ago, or one a relist has not caught up with): only the API
    // server can say an owner is gone — kube's "virtual delete" check.
    try {
      const live = await client.get(pathOf(info), info.namespaced ? namespace : undefined, ref.name);
      return live.metadata?.uid === ref.uid ? "present" : "absent";
    } catch (error) {
      if (isNotFound(error)) return "absent";
      throw error;
    }
  }

  async function removeOwnerRefs(kind: Kind, object: KubeObject, uids: Set<string>): Promise<void> {
    const meta = object.metadata!;
    const current = ownerRefs(object);
    const patch = [
      { op: "test", path: "/metadata/uid", value: meta.uid },
      ...guardedReplace("/metadata/ownerReferences", current, current.filter((r) => !r.uid || !uids.has(r.uid))),
    ];
    try {
      await client.patch(pathOf(kind), meta.namespace, meta.name!, "json", patch);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  async function deleteObject(
    kind: Kind,
    object: KubeObject,
    propagationPolicy: "Background" | "Foreground",
  ): Promise<void> {
    const meta = object.metadata!;
    try {
      await client.delete(pathOf(kind), meta.namespace, meta.name!, {
        propagationPolicy,
        // A new object of the same name is not the one whose owners are gone.
        preconditions: { uid: meta.uid },
      });
    } catch (error) {
      if (!isNotFound(error) && !isConflict(error)) throw error;
    }
  }

  async function removeFinalizer(kind: Kind, object: KubeObject, finalizer: string): Promise<void> {
    const meta = object.metadata!;
    const current = (meta.finalizers as string[] | undefined) ?? [];
    const patch = [
      { op: "test", path: "/metadata/uid", value: meta.uid },
      ...guardedReplace("/metadata/finalizers", current, current.filter((f) => f !== finalizer)),
    ];
    try {
      await client.patch(pathOf(kind), meta.namespace, meta.name!, "json", patch);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /** A dependent: deleted when no owner remains, rid of the references to owners that are gone otherwise. */
  async function collect(kind: Kind, object: KubeObject): Promise<void> {
    const refs = ownerRefs(object);
    if (refs.length === 0 || object.metadata?.deletionTimestamp) return;
    const states = await Promise.all(refs.map((ref) => ownerState(ref, object)));
    const absent = refs.filter((_, i) => states[i] === "absent");
    if (absent.length === 0) return;
    if (absent.length === refs.length) return await deleteObject(kind, object, "Background");
    await removeOwnerRefs(kind, object, new Set(absent.map((r) => r.uid!)));
  }

  /** An owner deleted with Orphan propagation: its dependents stay, without the reference. */
  async function orphan(kind: Kind, owner: KubeObject): Promise<void> {
    const uid = owner.metadata!.uid!;
    for (const [k, dependent] of dependentsOf(uid)) await removeOwnerRefs(k, dependent, new Set([uid]));
    await removeFinalizer(kind, owner, ORPHAN_FINALIZER);
  }

  /** An owner deleted with Foreground propagation: dependents go first; true while blocking ones remain. */
  async function foreground(kind: Kind, owner: KubeObject): Promise<boolean> {
    const uid = owner.metadata!.uid!;
    let blocking = 0;
    for (const [k, dependent] of dependentsOf(uid)) {
      const blocks = ownerRefs(dependent).some((r) => r.uid === uid && r.blockOwnerDeletion);
      if (dependent.metadata?.deletionTimestamp) {
        if (blocks) blocking++;
        continue;
      }
      const others = ownerRefs(dependent).filter((r) => r.uid !== uid);
      const states = await Promise.all(others.map((ref) => ownerState(ref, dependent)));
      if (states.some((s) => s !== "absent")) {
        // Another owner still holds it: it outlives this one.
        await removeOwnerRefs(k, dependent, new Set([uid]));
        continue;
      }
      await deleteObject(k, dependent, "Foreground");
      if (blocks) blocking++;
    }
    if (blocking > 0) return true;
    await removeFinalizer(kind, owner, FOREGROUND_FINALIZER);
    return false;
  }

  /** The keys an event on `object` (of `kind`) concerns. */
  function affected(kind: Kind, object: KubeObject): string[] {
    const id = kindId(kind);
    const keys: string[] = [];
    if (ownerRefs(object).length > 0 || awaits(object, ORPHAN_FINALIZER) || awaits(object, FOREGROUND_FINALIZER)) {
      keys.push(itemKey(id, object));
    }
    const uid = object.metadata?.uid;
    // The informer drops a deleted object from its cache before telling handlers, so "not cached as this
    // uid" means it is gone, and its dependents must look at their owners again.
    if (uid && cacheOf(kind).get(objectKey(object))?.metadata?.uid !== uid) {
      for (const [k, dependent] of dependentsOf(uid)) keys.push(itemKey(kindId(k), dependent));
    }
    // A dependent going away may be what an owner's foreground deletion waits for.
    for (const ref of ownerRefs(object)) {
      const owner = cachedOwner(ref, object.metadata?.namespace);
      const k = owner && ownerKind(ref);
      if (owner && k && awaits(owner, FOREGROUND_FINALIZER)) keys.push(itemKey(kindId(k), owner));
    }
    return keys;
  }

  // The builder needs a primary kind; every kind, including that one, is mapped through `watches` instead so
  // that the keys carry their kind.
  let builder = controller("garbage-collector").for(kinds[0], () => false).withOptions({ concurrency: 4 });
  for (const kind of kinds) builder = builder.watches(kind, (object) => affected(kind, object));
  const collector = builder.complete(async ({ key }) => {
    const { kindId: id, namespace, name } = parseItemKey(key);
    const kind = byId.get(id);
    const object = kind && cacheOf(kind).get(namespace ? `${namespace}/${name}` : name);
    if (!kind || !object) return;
    if (awaits(object, ORPHAN_FINALIZER)) await orphan(kind, object);
    if (awaits(object, FOREGROUND_FINALIZER) && await foreground(kind, object)) {
      return { requeueAfterMs: RECHECK_MS };
    }
    await collect(kind, object);
  });

  // Custom resources come and go with their CRDs; kube's collector re-reads discovery for the same reason.
  registry.subscribe(() => {
    const served = collectableKinds(registry);
    const servedIds = new Set(served.map(kindId));
    for (const kind of served) {
      if (byId.has(kindId(kind))) continue;
      indexOwners(kind);
      kinds.push(kind);
      byId.set(kindId(kind), kind);
      collector.watch(kind, (object) => affected(kind, object));
    }
    for (const [id, kind] of byId) {
      if (servedIds.has(id)) continue;
      byId.delete(id);
      kinds.splice(kinds.findIndex((k) => kindId(k) === id), 1);
      collector.unwatch(kind);
      manager.dropInformer(kind);
    }
  });
  return [collector];
}
