/**
 * Shared pieces of the server-side printers: the column and printer shapes, loose accessors for
 * plain-JSON objects, and the cell formats kube-apiserver uses everywhere (ages, label maps, label
 * selectors, container lists).
 *
 * @module
 */

/** A Kubernetes object as plain JSON. */
export type Obj = Record<string, unknown>;

/** One `meta.k8s.io/v1` `TableColumnDefinition`; every field is always serialized, as Go does. */
export interface TableColumnDefinition {
  name: string;
  /** OpenAPI type: `string`, `integer`, `number`, `boolean`, `date`. */
  type: string;
  /** `name` for the object-name column, else usually empty. */
  format: string;
  description: string;
  /** 0 for default output, 1 for columns kubectl shows only with `-o wide`. */
  priority: number;
}

/** A `TableRowCondition` (kube sets `Completed` on finished pods). */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** How one kind is printed: its columns and, per object, the cells (always the wide set, as the server does). */
export interface Printer {
  columns: TableColumnDefinition[];
  cells(obj: Obj, now: Date): unknown[];
  conditions?(obj: Obj): TableRowCondition[] | undefined;
  /** Reorders the objects before printing, for the few kinds whose list printer sorts. */
  order?(objs: Obj[]): Obj[];
}

/** Printers keyed by `group/Kind` (core group: `/Pod`). */
export type Printers = Record<string, Printer>;

/**
 * The registry key of a kind.
 *
 * @example printerKey("apps", "Deployment") // "apps/Deployment"
 */
export function printerKey(group: string, kind: string): string {
  return `${group}/${kind}`;
}

/** `ObjectMeta.name`'s API documentation, the description kube gives every Name column. */
export const NAME_DESCRIPTION =
  "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generated name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

/** `ObjectMeta.creationTimestamp`'s API documentation, the description of every Age column. */
export const AGE_DESCRIPTION =
  "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

/**
 * A column definition; `type` defaults to `string`, `priority` to 0.
 *
 * @example column("Ready", "The aggregate readiness state of this pod.") // {name:"Ready", type:"string", format:"", …}
 */
export function column(
  name: string,
  description: string,
  options: { type?: string; format?: string; priority?: number } = {},
): TableColumnDefinition {
  return {
    name,
    type: options.type ?? "string",
    format: options.format ?? "",
    description,
    priority: options.priority ?? 0,
  };
}

/**
 * A `-o wide` (priority 1) column.
 *
 * @example wide("IP", "IP address allocated to the pod.") // priority 1
 */
export function wide(name: string, description: string, type = "string"): TableColumnDefinition {
  return column(name, description, { type, priority: 1 });
}

/**
 * The leading Name column every printer has.
 *
 * @example nameColumn().format // "name"
 */
export function nameColumn(): TableColumnDefinition {
  return column("Name", NAME_DESCRIPTION, { format: "name" });
}

/**
 * The Age column: a string cell such as `5m`, computed at response time.
 *
 * @example ageColumn().name // "Age"
 */
export function ageColumn(): TableColumnDefinition {
  return column("Age", AGE_DESCRIPTION);
}

/** The two wide columns every pod-template owner shows. */
export const CONTAINERS_DESCRIPTION = "Names of each container in the template.";
/** See {@link CONTAINERS_DESCRIPTION}. */
export const IMAGES_DESCRIPTION = "Images referenced by each container in the template.";

// ---- loose accessors: objects arrive as unchecked JSON, so every read tolerates absence ----

/**
 * The value if it is a plain object, else an empty one.
 *
 * @example rec(pod.spec).containers
 */
export function rec(value: unknown): Obj {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value as Obj : {};
}

/**
 * The value if it is an array, else an empty one.
 *
 * @example list(rec(pod.spec).containers).length
 */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * The value if it is a string, else "".
 *
 * @example str(meta.name)
 */
export function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/**
 * The value as an integer (Go's zero value 0 when absent).
 *
 * @example int(status.readyReplicas) // 0 when unset
 */
export function int(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? Math.trunc(value) : 0;
}

/**
 * Follows a path of keys through nested objects.
 *
 * @example dig(deploy, "spec", "template", "spec") // the pod spec, or {}
 */
export function dig(value: unknown, ...path: string[]): unknown {
  let cur = value;
  for (const key of path) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return undefined;
    cur = (cur as Obj)[key];
  }
  return cur;
}

/**
 * `metadata` of an object.
 *
 * @example meta(pod).name
 */
export function meta(obj: Obj): Obj {
  return rec(obj.metadata);
}

// ---- time ----

/** Go's zero `time.Time` in RFC3339, what an unset timestamp serializes to. */
const GO_ZERO_TIME_MS = Date.parse("0001-01-01T00:00:00Z");

/**
 * Milliseconds since the epoch of an RFC3339 timestamp, or undefined when unset (Go's `IsZero`).
 *
 * @example parseTime("2024-01-01T00:00:00Z") // 1704067200000
 */
export function parseTime(value: unknown): number | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || ms <= GO_ZERO_TIME_MS) return undefined;
  return ms;
}

/**
 * apimachinery's `duration.HumanDuration`: about two significant figures, coarser as it grows.
 *
 * @example humanDuration(182_000) // "3m2s"
 * @example humanDuration(51 * 3600_000) // "2d3h"
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  // Clocks between machines drift; a timestamp a second in the future still reads as "now".
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const days = Math.trunc(hours / 24);
    const dy = days % 365;
    return dy === 0 ? `${Math.trunc(days / 365)}y` : `${Math.trunc(days / 365)}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/**
 * kube's `translateTimestampSince`: the age of a timestamp, `<unknown>` when it is unset.
 *
 * @example since("2024-01-01T00:00:00Z", new Date("2024-01-01T00:05:00Z")) // "5m"
 */
export function since(timestamp: unknown, now: Date): string {
  const ms = parseTime(timestamp);
  return ms === undefined ? "<unknown>" : humanDuration(now.getTime() - ms);
}

/**
 * The Age cell of an object.
 *
 * @example age(pod, now) // "5m"
 */
export function age(obj: Obj, now: Date): string {
  return since(meta(obj).creationTimestamp, now);
}

// ---- labels and selectors ----

/**
 * `labels.FormatLabels`: `k=v` pairs sorted by key, `<none>` when empty.
 *
 * @example formatLabels({ tier: "web", app: "nginx" }) // "app=nginx,tier=web"
 */
export function formatLabels(labels: unknown): string {
  const entries = Object.entries(rec(labels)).sort(([a], [b]) => compare(a, b));
  if (entries.length === 0) return "<none>";
  return entries.map(([k, v]) => `${k}=${str(v)}`).join(",");
}

/**
 * Byte-wise string order, as Go's `sort.Strings` uses (not locale order).
 *
 * @example ["b", "B", "a"].sort(compare) // ["B", "a", "b"]
 */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const SELECTOR_OPERATORS: Record<string, string> = {
  In: " in ",
  NotIn: " notin ",
  Exists: "",
  DoesNotExist: "",
};

/**
 * A `LabelSelector` as `metav1.LabelSelectorAsSelector(...).String()` writes it: requirements sorted
 * by key, `in`/`notin` value sets sorted; "" for a nil or empty selector. Throws on an unknown operator.
 *
 * @example labelSelectorString({ matchLabels: { app: "web" }, matchExpressions: [{ key: "env", operator: "In", values: ["b", "a"] }] })
 * // "app=web,env in (a,b)"
 */
export function labelSelectorString(selector: unknown): string {
  if (selector === null || typeof selector !== "object") return "";
  const s = selector as Obj;
  const requirements: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(rec(s.matchLabels))) {
    requirements.push({ key, text: `${key}=${str(value)}` });
  }
  for (const raw of list(s.matchExpressions)) {
    const expr = rec(raw);
    const key = str(expr.key);
    const operator = str(expr.operator);
    if (!(operator in SELECTOR_OPERATORS)) {
      throw new Error(`${JSON.stringify(operator)} is not a valid selector operator`);
    }
    const values = list(expr.values).map(str);
    if (operator === "Exists") requirements.push({ key, text: key });
    else if (operator === "DoesNotExist") requirements.push({ key, text: `!${key}` });
    else {
      if (values.length === 0) throw new Error(`values: must be specified when operator is ${operator}`);
      requirements.push({ key, text: `${key}${SELECTOR_OPERATORS[operator]}(${[...values].sort(compare).join(",")})` });
    }
  }
  // A stable sort keeps duplicate keys in input order, which is what users wrote.
  requirements.sort((a, b) => compare(a.key, b.key));
  return requirements.map((r) => r.text).join(",");
}

/**
 * `metav1.FormatLabelSelector`: the selector string, `<none>` when it selects everything or nothing,
 * `<error>` when it is invalid.
 *
 * @example formatLabelSelector({}) // "<none>"
 */
export function formatLabelSelector(selector: unknown): string {
  try {
    return labelSelectorString(selector) || "<none>";
  } catch {
    return "<error>";
  }
}

/**
 * kube's `layoutContainerCells`: container names and images, comma-joined, in spec order.
 *
 * @example containerCells(podSpec) // ["nginx,sidecar", "nginx:1.27,busybox"]
 */
export function containerCells(podSpec: unknown): [string, string] {
  const containers = list(rec(podSpec).containers).map(rec);
  return [containers.map((c) => str(c.name)).join(","), containers.map((c) => str(c.image)).join(",")];
}

/**
 * kube's `printBoolPtr`: `True`, `False`, or `<unset>`.
 *
 * @example boolPtr(undefined) // "<unset>"
 */
export function boolPtr(value: unknown): string {
  if (typeof value !== "boolean") return "<unset>";
  return value ? "True" : "False";
}

/**
 * An `IntOrString` as Go's `String()` prints it.
 *
 * @example intOrString(1) // "1"; intOrString("25%") // "25%"
 */
export function intOrString(value: unknown): string {
  if (typeof value === "number") return String(Math.trunc(value));
  return str(value);
}

/**
 * Joins at most `max` items and says how many more there were, as kube's list cells do.
 *
 * @example listWithMore(["a", "b", "c", "d"], 3) // "a,b,c + 1 more..."
 */
export function listWithMore(items: string[], max: number, empty = "<unset>"): string {
  if (items.length > max) return `${items.slice(0, max).join(",")} + ${items.length - max} more...`;
  const joined = items.join(",");
  return joined === "" ? empty : joined;
}
