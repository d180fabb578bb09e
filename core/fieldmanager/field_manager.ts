/**
 * kube-apiserver's field manager: it keeps `metadata.managedFields` on every write and performs server-side apply.
 *
 * - A create, update or patch records an `Update` entry for its manager owning what it added or changed; those fields
 *   leave their previous owners, removed fields leave everyone, and owners left with nothing are dropped. An object
 *   whose managedFields were reset (`[]`, or `[{}]`) stays untracked until its next apply.
 * - An apply merges the configuration into the object, prunes what the manager applied before but no longer does
 *   (unless someone else owns it), and refuses to change fields others own unless forced — then it takes them.
 * - The main resource of a kind with a status subresource owns no status fields, and the status subresource only
 *   status fields (kube's reset fields); identity fields (`metadata.name`, `uid`, `resourceVersion`, …) belong to
 *   nobody.
 *
 * @module
 */
import { badRequest, failure } from "../api/status.ts";
import type { KubeObject } from "../api/storage.ts";
import type { ResourceInfo } from "../registry/types.ts";
import { groupVersion } from "../registry/types.ts";
import { compare, deepEqual } from "./compare.ts";
import { type Conflict, conflictError } from "./conflict.ts";
import { emptyObjectOf } from "./empty_object.ts";
import { FieldSet } from "./fieldset.ts";
import { fieldsFromLastApplied, KUBECTL_MANAGER, syncLastApplied } from "./last_applied.ts";
import {
  capUpdateManagers,
  decodeManagedFields,
  encodeManagedFields,
  type ManagerEntry,
  managerIdentifier,
  type Managers,
} from "./managed_fields.ts";
import { merge } from "./merge.ts";
import { prune } from "./remove.ts";
import { fieldSetOf, type RootFilter, schemaErrorsMessage } from "./tofieldset.ts";
import { builtinObjectType, customResourceType, type MapType } from "./types.ts";

/** The fields no manager owns: an object's identity and bookkeeping. */
const STRIPPED = new FieldSet();
for (const path of [["apiVersion"], ["kind"], ["metadata"]]) STRIPPED.insert(path.map((f) => "f:" + f));
for (
  const field of [
    "name",
    "namespace",
    "creationTimestamp",
    "selfLink",
    "uid",
    "clusterName",
    "generation",
    "managedFields",
    "resourceVersion",
  ]
) STRIPPED.insert(["f:metadata", "f:" + field]);

/** The manager kube-apiserver credits with an object's fields when it is first applied to untracked. */
const BEFORE_FIRST_APPLY = "before-first-apply";

/** Options of an apply. */
export interface ApplyOptions {
  force?: boolean;
  subresource?: "status";
}

/**
 * The field manager of one API server. Custom resources are tracked by the `openAPIV3Schema` `schemaOf` finds for
 * their served version (the CRD serving code knows it); without one, by the shape of their values.
 *
 * @example
 * ```ts
 * const fields = new FieldManager((r) => crds.lookup(r.group, r.resource)?.versions.get(r.version)?.schema);
 * fields.update(configmaps, undefined, created, "kubectl-create"); // sets created.metadata.managedFields
 * const merged = fields.apply(configmaps, live, config, "kubectl", { force: false });
 * ```
 */
export class FieldManager {
  /** Compiled once per schema object: a CRD update brings a new one. */
  readonly #compiled = new WeakMap<object, MapType>();
  #schemaless: MapType | undefined;

  constructor(private readonly schemaOf: (r: ResourceInfo) => unknown = () => undefined) {}

  /**
   * The type objects of `r` are tracked by.
   *
   * @example
   * ```ts
   * fields.typeOf(deployments).field("spec");
   * ```
   */
  typeOf(r: ResourceInfo): MapType {
    const builtin = builtinObjectType(r.group, r.version, r.kind);
    if (builtin) return builtin;
    const schema = this.schemaOf(r);
    if (schema === null || typeof schema !== "object") return this.#schemaless ??= customResourceType(undefined);
    let type = this.#compiled.get(schema);
    if (!type) {
      type = customResourceType(schema);
      this.#compiled.set(schema, type);
    }
    return type;
  }

  /**
   * Record a create (`live` undefined) or an update/patch of `live` into `next` by `manager`: sets
   * `next.metadata.managedFields`, honouring managedFields the request set (an empty list resets them). A failure to
   * track keeps the live object's entries rather than failing the write.
   *
   * @example
   * ```ts
   * fields.update(deployments, current, next, "kubectl-edit");
   * ```
   */
  update(r: ResourceInfo, live: KubeObject | undefined, next: KubeObject, manager: string, subresource?: string): void {
    const meta = next.metadata ??= {};
    const liveEntries = live?.metadata?.managedFields;
    try {
      const requested = meta.managedFields;
      let managers: Managers | undefined;
      let fromLive = false;
      // A subresource write cannot set managedFields; a request that sends back what is stored sets nothing.
      if (!subresource && requested !== undefined && !(live && deepEqual(requested, liveEntries))) {
        managers = isReset(requested) ? new Map() : decodedOrUndefined(requested);
      }
      if (!managers) {
        managers = decodedOrUndefined(liveEntries, true) ?? new Map();
        fromLive = true;
      }
      if (live && managers.size === 0) {
        delete meta.managedFields;
        return;
      }
      const type = this.typeOf(r);
      const only = scopeOf(r, subresource);
      const changes = compare(
        live ? withoutManagedFields(live) : emptyObject(r),
        withoutManagedFields(next),
        type,
        only,
      );
      if (fromLive && changes.added.empty && changes.modified.empty && changes.removed.empty) {
        if (liveEntries === undefined) delete meta.managedFields;
        else meta.managedFields = liveEntries;
        return;
      }
      const touched = changes.modified.union(changes.added);
      for (const [id, entry] of managers) {
        const fields = entry.fields.difference(touched).difference(changes.removed);
        if (fields.empty) managers.delete(id);
        else if (fields !== entry.fields) managers.set(id, { ...entry, fields });
      }
      const taken = touched.difference(STRIPPED);
      if (!taken.empty) {
        const entry: ManagerEntry = {
          manager: manager || "unknown",
          operation: "Update",
          apiVersion: groupVersion(r),
          subresource,
          time: now(),
          fields: taken,
        };
        const id = managerIdentifier(entry);
        const previous = managers.get(id);
        managers.set(id, previous ? { ...entry, fields: taken.union(previous.fields) } : entry);
        capUpdateManagers(managers);
      }
      const encoded = encodeManagedFields(managers);
      if (encoded) meta.managedFields = encoded;
      else delete meta.managedFields;
    } catch {
      // As kube-apiserver's UpdateNoErrors: bookkeeping never fails a write, the stored entries stay.
      if (liveEntries === undefined) delete meta.managedFields;
      else meta.managedFields = liveEntries;
    }
  }

  /**
   * Server-side apply of `config` by `manager` to `live` (undefined: the object does not exist yet): the merged
   * object with its managedFields. Throws kube-apiserver's errors: 400 for a configuration of another kind or with
   * managedFields, 500 for one that does not fit the schema, 409 for conflicts when not forced.
   *
   * @example
   * ```ts
   * const merged = fields.apply(configmaps, live, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" }, data: { x: "1" } }, "kubectl", {});
   * ```
   */
  apply(
    r: ResourceInfo,
    live: KubeObject | undefined,
    config: KubeObject,
    manager: string,
    options: ApplyOptions = {},
  ): KubeObject {
    const gv = groupVersion(r);
    checkConfiguration(r, config);
    const type = this.typeOf(r);
    const only = scopeOf(r, options.subresource);
    const { set, errors } = fieldSetOf(config, type, { strict: true });
    if (errors.length) {
      const meta = config.metadata ?? {};
      throw failure(
        500,
        "",
        `failed to create typed patch object (${meta.namespace ?? ""}/${meta.name ?? ""}; ${
          gvkString(config.apiVersion, config.kind)
        }): ${schemaErrorsMessage(errors)}`,
      );
    }
    const applied = scoped(set, only);
    let managers: Managers;
    try {
      managers = decodeManagedFields(live?.metadata?.managedFields, true);
    } catch (error) {
      throw failure(500, "", `failed to decode managed fields: ${error instanceof Error ? error.message : error}`);
    }
    const liveBody = live ? withoutManagedFields(live) : undefined;
    if (liveBody && managers.size === 0) {
      // Fields that predate tracking belong to a placeholder manager, so applying over them is a conflict.
      const existing = compare(emptyObject(r), liveBody, type, only);
      const fields = existing.added.union(existing.modified).difference(STRIPPED);
      if (!fields.empty) {
        const entry: ManagerEntry = {
          manager: BEFORE_FIRST_APPLY,
          operation: "Update",
          apiVersion: gv,
          subresource: options.subresource,
          time: now(),
          fields,
        };
        managers.set(managerIdentifier(entry), entry);
      }
    }
    const self: ManagerEntry = {
      manager,
      operation: "Apply",
      apiVersion: gv,
      subresource: options.subresource,
      fields: applied,
    };
    const id = managerIdentifier(self);

    const attempt = (force: boolean): { object: KubeObject; managers: Managers } | { conflicts: Conflict[] } => {
      const result: Managers = new Map(managers);
      const previous = result.get(id);
      result.set(id, { ...self, time: previous?.time });
      let merged = merge(liveBody ?? {}, config, type) as KubeObject;
      if (previous) {
        let owned = new FieldSet();
        for (const entry of result.values()) owned = owned.union(entry.fields);
        merged = prune(merged, previous.fields, owned, type) as KubeObject;
      }
      if (liveBody) {
        const changes = compare(liveBody, merged, type, only);
        const touched = changes.modified.union(changes.added);
        const conflicts: Conflict[] = [];
        for (const [other, entry] of result) {
          if (other === id) continue;
          const taken = entry.fields.intersection(touched);
          for (const path of taken.paths()) conflicts.push({ id: other, owner: entry, path });
          const fields = entry.fields.difference(touched).difference(changes.removed);
          if (fields.empty) result.delete(other);
          else result.set(other, { ...entry, fields });
        }
        if (conflicts.length && !force) return { conflicts };
      }
      const fields = applied.difference(STRIPPED);
      const changed = !liveBody || !deepEqual(liveBody, merged);
      if (fields.empty) result.delete(id);
      else result.set(id, { ...self, fields, time: changed ? now() : previous?.time });
      return { object: changed ? merged : liveBody!, managers: result };
    };

    let outcome = attempt(options.force ?? false);
    if ("conflicts" in outcome && manager === KUBECTL_MANAGER && live) {
      // Upgrading from client-side apply: fields the last-applied configuration holds at their live values are taken.
      const allowed = fieldsFromLastApplied(live, type, gv);
      if (allowed) {
        const remaining = outcome.conflicts.filter((c) => !allowed.has(c.path));
        outcome = remaining.length ? { conflicts: remaining } : attempt(true);
      }
    }
    if ("conflicts" in outcome) throw conflictError(outcome.conflicts);
    const object: KubeObject = { ...outcome.object, metadata: { ...outcome.object.metadata } };
    if (manager === KUBECTL_MANAGER) syncLastApplied(object, config);
    const encoded = encodeManagedFields(outcome.managers);
    if (encoded) object.metadata!.managedFields = encoded;
    else delete object.metadata!.managedFields;
    return object;
  }
}

/** What a create is compared with: a built-in kind's zero value, or nothing at all for a custom resource. */
function emptyObject(r: ResourceInfo): KubeObject {
  const builtin = builtinObjectType(r.group, r.version, r.kind);
  return builtin ? emptyObjectOf(builtin) : {};
}

/** The top-level fields a write through `subresource` owns (kube's reset fields). */
function scopeOf(r: ResourceInfo, subresource: string | undefined): RootFilter | undefined {
  if (subresource === "status") return (field) => field === "status";
  if (r.subresources.some((s) => s.name === "status")) return (field) => field !== "status";
  return undefined;
}

/** `set` restricted to the top-level fields `only` admits. */
function scoped(set: FieldSet, only: RootFilter | undefined): FieldSet {
  if (!only) return set;
  const out = new FieldSet();
  for (const member of set.members) if (only(member.slice(2))) out.addMember(member);
  for (const [element, below] of set.children) if (only(element.slice(2))) out.adopt(element, below);
  return out;
}

function checkConfiguration(r: ResourceInfo, config: KubeObject): void {
  if (config.apiVersion !== groupVersion(r) || config.kind !== r.kind) {
    throw badRequest(`invalid object type: ${gvkString(config.apiVersion, config.kind)}`);
  }
  const managed = config.metadata?.managedFields;
  if (managed !== undefined && managed !== null) throw badRequest("metadata.managedFields must be nil");
}

/** A group-version-kind as Go prints it: `apps/v1, Kind=Deployment`, `/v1, Kind=ConfigMap`. */
function gvkString(apiVersion: unknown, kind: unknown): string {
  const gv = typeof apiVersion === "string" ? apiVersion : "";
  const slash = gv.indexOf("/");
  const [group, version] = slash < 0 ? ["", gv] : [gv.slice(0, slash), gv.slice(slash + 1)];
  return `${group}/${version}, Kind=${typeof kind === "string" ? kind : ""}`;
}

/** A request resets managedFields with an empty list, or a list of one empty entry. */
function isReset(requested: unknown): boolean {
  if (!Array.isArray(requested)) return false;
  if (requested.length === 0) return true;
  const only = requested[0];
  return requested.length === 1 && only !== null && typeof only === "object" &&
    Object.values(only).every((v) => v === undefined || v === null || v === "");
}

function decodedOrUndefined(list: unknown, stored = false): Managers | undefined {
  try {
    const managers = decodeManagedFields(list, stored);
    return managers.size ? managers : undefined;
  } catch {
    return undefined;
  }
}

function withoutManagedFields(object: KubeObject): KubeObject {
  if (object.metadata?.managedFields === undefined) return object;
  const { managedFields: _, ...metadata } = object.metadata;
  return { ...object, metadata };
}

/** Now, at kube's one-second precision. */
function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, "Z");
}
