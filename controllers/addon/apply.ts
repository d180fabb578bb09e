/**
 * Applying a set of objects on behalf of an owner, as wrangler's `DesiredSet` does for K3s: each object is created,
 * or updated by a three-way merge against its last applied configuration, carrying the owner's objectset marks; then
 * every object of the listed kinds that carries the owner's hash label but is no longer in the set is deleted.
 *
 * Why create/update with a last-applied record rather than server-side apply: it is what K3s does (the
 * `objectset.rio.cattle.io/applied` annotation), so objects a K3s server applied are updated correctly here and the
 * other way round, and it needs nothing from the client beyond get, create, a merge patch and delete.
 *
 * @module
 */
import { type Client, isAlreadyExists, isNotFound, type KindResolver } from "../../core/client/mod.ts";
import type { KubeObject } from "../../core/operator/mod.ts";
import { formatGvk, type Gvk, gvkOf, uniqueGvks } from "./gvk.ts";
import type { ManifestObject } from "./manifests.ts";
import { mergeApplied, mergeMetaFor, mergePatch } from "./merge.ts";
import {
  ANNOTATION_APPLIED,
  decodeApplied,
  encodeApplied,
  LABEL_HASH,
  LABEL_PRUNE,
  type OwnerMarks,
  ownerMarks,
  type SetOwner,
} from "./objectset.ts";

/** What applying needs: the client, and which resource serves each kind. */
export interface ApplyDeps {
  client: Client;
  registry: Pick<KindResolver, "forKind">;
}

/** One object the API refused (or one stale object that could not be deleted). */
export interface ApplyFailure {
  /** The document the object came from; absent for a failed prune. */
  document?: number;
  message: string;
}

/**
 * Apply `objects` as `owner`'s set and prune the rest of its objects of the objects' kinds and of `previousGvks`;
 * resolves to what failed (nothing when all applied). A failed object does not stop the others, and stays in the set.
 *
 * @example
 * ```ts
 * const failures = await applyObjectSet({ client, registry }, owner, parseManifest(text), parseGvks(annotation));
 * ```
 */
export async function applyObjectSet(
  deps: ApplyDeps,
  owner: SetOwner,
  objects: readonly ManifestObject[],
  previousGvks: readonly Gvk[],
): Promise<ApplyFailure[]> {
  const marks = ownerMarks(owner);
  const failures: ApplyFailure[] = [];
  const keep = new Set<string>();
  for (const { document, object } of objects) {
    const gvk = gvkOf(object);
    const info = deps.registry.forKind(gvk.group, gvk.kind, gvk.version);
    const name = object.metadata?.name;
    const namespace = info?.namespaced ? object.metadata?.namespace || "default" : undefined;
    const what = `${object.kind} ${namespace ? `${namespace}/` : ""}${name ?? ""}`;
    const fail = (message: string) => failures.push({ document, message: `${what}: ${message}` });
    if (!info) {
      fail(`no matches for kind "${gvk.kind}" in version "${object.apiVersion}"`);
      continue;
    }
    if (!name) {
      // A generated name would create a new object at every apply.
      fail("metadata.name is required");
      continue;
    }
    keep.add(setKey(gvk.group, gvk.kind, namespace, name));
    try {
      await applyObject(deps.client, desiredObject(object, namespace, marks), gvk);
    } catch (error) {
      fail(text(error));
    }
  }
  const kinds = uniqueGvks([...objects.map((o) => gvkOf(o.object)), ...previousGvks]);
  failures.push(...await prune(deps, marks, kinds, keep));
  return failures;
}

function setKey(group: string, kind: string, namespace: string | undefined, name: string): string {
  return `${group}/${kind}/${namespace ?? ""}/${name}`;
}

/** The object as it is written: namespace settled, the owner's marks on, and its own applied record. */
function desiredObject(object: KubeObject, namespace: string | undefined, marks: OwnerMarks): KubeObject {
  const desired = structuredClone(object);
  const metadata = desired.metadata ??= {};
  if (namespace) metadata.namespace = namespace;
  else delete metadata.namespace;
  metadata.labels = { ...(metadata.labels as Record<string, string> | undefined), ...marks.labels };
  const annotations = { ...(metadata.annotations as Record<string, string> | undefined), ...marks.annotations };
  delete annotations[ANNOTATION_APPLIED];
  metadata.annotations = annotations;
  annotations[ANNOTATION_APPLIED] = encodeApplied(desired);
  return desired;
}

async function applyObject(client: Client, desired: KubeObject, gvk: Gvk): Promise<void> {
  const ref = { apiVersion: desired.apiVersion!, kind: desired.kind! };
  const { namespace, name } = desired.metadata as { namespace?: string; name: string };
  let current: KubeObject;
  try {
    current = await client.get(ref, namespace, name);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    try {
      await client.create(desired as KubeObject & { apiVersion: string; kind: string });
      return;
    } catch (createError) {
      // Someone created it meanwhile: take it over like any existing object.
      if (!isAlreadyExists(createError)) throw createError;
      current = await client.get(ref, namespace, name);
    }
  }
  const annotations = current.metadata?.annotations as Record<string, string> | undefined;
  const original = decodeApplied(annotations?.[ANNOTATION_APPLIED]);
  const merged = mergeApplied(original, desired, current, mergeMetaFor(gvk));
  const patch = mergePatch(current, merged);
  if (patch) await client.patch(ref, namespace, name, "merge", patch);
}

async function prune(
  deps: ApplyDeps,
  marks: OwnerMarks,
  kinds: readonly Gvk[],
  keep: ReadonlySet<string>,
): Promise<ApplyFailure[]> {
  const failures: ApplyFailure[] = [];
  const listed = new Set<string>();
  for (const gvk of kinds) {
    // Kinds the server no longer serves (a CRD removed since) have nothing left to prune.
    const info = deps.registry.forKind(gvk.group, gvk.kind, gvk.version);
    if (!info || listed.has(`${info.group}/${info.resource}`)) continue;
    listed.add(`${info.group}/${info.resource}`);
    const ref = { group: info.group, version: info.version, resource: info.resource };
    try {
      const list = await deps.client.list(ref, undefined, {
        labelSelector: `${LABEL_HASH}=${marks.labels[LABEL_HASH]}`,
      });
      for (const item of list.items) {
        const { namespace, name, labels, deletionTimestamp } = item.metadata ?? {};
        if (!name || deletionTimestamp || labels?.[LABEL_PRUNE] === "false") continue;
        if (keep.has(setKey(info.group, info.kind, namespace, name))) continue;
        try {
          await deps.client.delete(ref, namespace, name, { propagationPolicy: "Background" });
        } catch (error) {
          if (!isNotFound(error)) {
            failures.push({
              message: `deleting ${info.kind} ${namespace ? `${namespace}/` : ""}${name}: ${text(error)}`,
            });
          }
        }
      }
    } catch (error) {
      failures.push({ message: `listing ${formatGvk(gvk)}: ${text(error)}` });
    }
  }
  return failures;
}

function text(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
