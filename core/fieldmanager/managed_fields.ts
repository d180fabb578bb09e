/**
 * `metadata.managedFields`: one entry per manager, operation (`Apply` or `Update`), API version (for updates) and
 * subresource, each with the set of fields it owns in FieldsV1 and the time it last changed something. Entries are
 * identified as kube-apiserver identifies them (the entry's JSON without fields and time, and without the version
 * for appliers, who keep one entry whatever version they apply with), and written back in kube-apiserver's order:
 * appliers first, then oldest first.
 *
 * @module
 */
import { decodeFieldsV1, encodeFieldsV1, type FieldsV1 } from "./fieldsv1.ts";
import type { FieldSet } from "./fieldset.ts";

/** How a manager last wrote: a server-side apply, or any other write. */
export type Operation = "Apply" | "Update";

/** One manager's fields. */
export interface ManagerEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource?: string;
  /** RFC 3339 to the second; absent when the manager took fields without changing the object. */
  time?: string;
  fields: FieldSet;
}

/** The entries of an object, by identifier. */
export type Managers = Map<string, ManagerEntry>;

/**
 * The identifier of a manager's entry.
 *
 * @example
 * ```ts
 * managerIdentifier({ manager: "kubectl", operation: "Apply", apiVersion: "v1" }); // '{"manager":"kubectl","operation":"Apply"}'
 * ```
 */
export function managerIdentifier(
  entry: Pick<ManagerEntry, "manager" | "operation" | "apiVersion" | "subresource">,
): string {
  return JSON.stringify({
    manager: entry.manager || undefined,
    operation: entry.operation,
    apiVersion: entry.operation === "Apply" ? undefined : entry.apiVersion || undefined,
    subresource: entry.subresource || undefined,
  });
}

/**
 * How kube-apiserver names a manager in a conflict: `"kubectl"`, `"kubectl-client-side-apply" using v1`,
 * `"kubelet" with subresource "status" using v1`.
 *
 * @example
 * ```ts
 * describeManager({ manager: "kubectl-edit", operation: "Update", apiVersion: "apps/v1" }); // '"kubectl-edit" using apps/v1'
 * ```
 */
export function describeManager(
  entry: Pick<ManagerEntry, "manager" | "operation" | "apiVersion" | "subresource">,
): string {
  let text = JSON.stringify(entry.manager);
  if (entry.subresource) text += ` with subresource ${JSON.stringify(entry.subresource)}`;
  return entry.operation === "Update" ? `${text} using ${entry.apiVersion}` : text;
}

/**
 * The FieldsV1 documents of stored entries, by the sets decoded from them: a set that comes through a write unchanged
 * is written back as it was read, rather than encoded again (the stored form is this encoder's own).
 */
const storedDocuments = new WeakMap<FieldSet, FieldsV1>();

/**
 * The entries of a `managedFields` list; throws on an entry kube-apiserver would not decode (an unknown operation,
 * no apiVersion, a fieldsType other than FieldsV1, malformed fields). `stored` says the list is a stored object's,
 * which this encoder wrote.
 *
 * @example
 * ```ts
 * decodeManagedFields([{ manager: "kubectl", operation: "Apply", apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: { "f:data": {} } }]);
 * ```
 */
export function decodeManagedFields(list: unknown, stored = false): Managers {
  const managers: Managers = new Map();
  if (list === undefined || list === null) return managers;
  if (!Array.isArray(list)) throw new Error("managedFields must be a list");
  list.forEach((raw, i) => {
    const e = (raw ?? {}) as Record<string, unknown>;
    if (e.operation !== "Apply" && e.operation !== "Update") throw new Error("operation must be `Apply` or `Update`");
    if (typeof e.apiVersion !== "string" || e.apiVersion === "") throw new Error("apiVersion must not be empty");
    if (e.fieldsType !== "FieldsV1") {
      throw new Error(
        e.fieldsType
          ? `invalid fieldsType ${JSON.stringify(e.fieldsType)} in managed fields entry ${i}`
          : `missing fieldsType in managed fields entry ${i}`,
      );
    }
    const document = e.fieldsV1 ?? {};
    const entry: ManagerEntry = {
      manager: typeof e.manager === "string" ? e.manager : "",
      operation: e.operation,
      apiVersion: e.apiVersion,
      fields: decodeFieldsV1(document),
    };
    if (stored) storedDocuments.set(entry.fields, document as FieldsV1);
    if (typeof e.subresource === "string" && e.subresource) entry.subresource = e.subresource;
    if (typeof e.time === "string" && e.time) entry.time = e.time;
    managers.set(managerIdentifier(entry), entry);
  });
  return managers;
}

function seconds(time: string | undefined): number {
  if (!time) return 0;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/**
 * The `managedFields` list of `managers` in kube-apiserver's order (operation, time, manager, apiVersion,
 * subresource); undefined when there is none.
 *
 * @example
 * ```ts
 * object.metadata.managedFields = encodeManagedFields(managers);
 * ```
 */
export function encodeManagedFields(managers: Managers): Record<string, unknown>[] | undefined {
  if (managers.size === 0) return undefined;
  const entries = [...managers.values()].sort((p, q) =>
    compare(p.operation, q.operation) || seconds(p.time) - seconds(q.time) || compare(p.manager, q.manager) ||
    compare(p.apiVersion, q.apiVersion) || compare(p.subresource ?? "", q.subresource ?? "")
  );
  return entries.map((e) => ({
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    ...(e.time ? { time: e.time } : {}),
    fieldsType: "FieldsV1",
    fieldsV1: storedDocuments.get(e.fields) ?? encodeFieldsV1(e.fields),
    ...(e.subresource ? { subresource: e.subresource } : {}),
  }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Most entries from updates an object keeps; older ones are merged into `ancient-changes`. */
const MAX_UPDATE_MANAGERS = 10;

/**
 * Merge the oldest update entries into one `ancient-changes` entry per API version until at most ten update entries
 * are left, as kube-apiserver caps them.
 *
 * @example
 * ```ts
 * capUpdateManagers(managers); // after an update added an eleventh updater
 * ```
 */
export function capUpdateManagers(managers: Managers): void {
  const updaters = [...managers].filter(([, e]) => e.operation === "Update");
  if (updaters.length <= MAX_UPDATE_MANAGERS) return;
  updaters.sort(([p, a], [q, b]) => seconds(a.time) - seconds(b.time) || compare(p, q));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (const [id, entry] of updaters) {
    if (length <= MAX_UPDATE_MANAGERS) break;
    const first = firstOfVersion.get(entry.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(entry.apiVersion, id);
      continue;
    }
    const bucket = managerIdentifier({ manager: "ancient-changes", operation: "Update", apiVersion: entry.apiVersion });
    let into = managers.get(bucket);
    if (!into) {
      into = { ...managers.get(first)!, manager: "ancient-changes", subresource: undefined };
      managers.delete(first);
      managers.set(bucket, into);
    }
    managers.set(bucket, { ...into, fields: entry.fields.union(into.fields), time: entry.time });
    managers.delete(id);
    length--;
  }
}
