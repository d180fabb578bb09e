/**
 * Path elements, spelled as FieldsV1 spells them: `f:<name>` for a field, `k:{"name":"web"}` for the item of a
 * list-map with those key fields (sorted by name), `v:<json>` for a set item, `i:<index>` for an item known only by
 * position. Also their order (fields, then keys, then values, then indexes, as structured-merge-diff sorts them) and
 * the way kube-apiserver prints a path in conflict messages (`.spec.containers[name="web"].image`).
 *
 * @module
 */
import type { ListType, MapType } from "./types.ts";

/** One step of a field path, in its FieldsV1 spelling. */
export type PathElement = string;

/** A path from the object's root. */
export type Path = readonly PathElement[];

/**
 * JSON as Go's encoding/json writes it: `<`, `>`, `&` and the line separators escaped, so FieldsV1 keys come out
 * byte-for-byte as kube-apiserver writes them.
 *
 * @example
 * ```ts
 * goJson({ name: "a<b" }); // '{"name":"a\u003cb"}'
 * ```
 */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
  );
}

/**
 * The element selecting field `name` of a map.
 *
 * @example
 * ```ts
 * fieldElement("spec"); // "f:spec"
 * ```
 */
export function fieldElement(name: string): PathElement {
  return "f:" + name;
}

/**
 * The element selecting a list-map item by its key fields (given in any order; they are sorted by name).
 *
 * @example
 * ```ts
 * keyElement([["protocol", "TCP"], ["containerPort", 80]]); // 'k:{"containerPort":80,"protocol":"TCP"}'
 * ```
 */
export function keyElement(fields: [string, unknown][]): PathElement {
  const sorted = fields.length > 1 ? [...fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : fields;
  return "k:{" + sorted.map(([name, value]) => goJson(name) + ":" + goJson(value)).join(",") + "}";
}

/**
 * The element selecting a set item by value.
 *
 * @example
 * ```ts
 * valueElement("example.com/finalizer"); // 'v:"example.com/finalizer"'
 * ```
 */
export function valueElement(value: unknown): PathElement {
  return "v:" + goJson(value);
}

/**
 * The element selecting a list item by position.
 *
 * @example
 * ```ts
 * indexElement(2); // "i:2"
 * ```
 */
export function indexElement(index: number): PathElement {
  return "i:" + index;
}

/**
 * The element in canonical spelling (keys sorted, values re-encoded), or undefined when it is not one: FieldsV1
 * written by other clients may spell the same element differently.
 *
 * @example
 * ```ts
 * canonicalElement('k:{"protocol":"TCP","containerPort":80}'); // 'k:{"containerPort":80,"protocol":"TCP"}'
 * ```
 */
export function canonicalElement(element: string): PathElement | undefined {
  if (element.length < 2 || element[1] !== ":") return undefined;
  switch (element[0]) {
    case "f":
      return element;
    case "i":
      return /^i:\d+$/.test(element) ? element : undefined;
    case "v":
      try {
        return valueElement(JSON.parse(element.slice(2)));
      } catch {
        return undefined;
      }
    case "k":
      try {
        const key = JSON.parse(element.slice(2));
        if (key === null || typeof key !== "object" || Array.isArray(key)) return undefined;
        return keyElement(Object.entries(key));
      } catch {
        return undefined;
      }
    default:
      return undefined;
  }
}

const RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/**
 * structured-merge-diff's order of path elements: fields by name, then keys, then values, then indexes.
 *
 * @example
 * ```ts
 * ["i:0", "f:b", "f:a"].sort(comparePathElements); // ["f:a", "f:b", "i:0"]
 * ```
 */
export function comparePathElements(a: PathElement, b: PathElement): number {
  if (a === b) return 0;
  const ra = RANK[a[0]], rb = RANK[b[0]];
  if (ra !== rb) return ra - rb;
  switch (a[0]) {
    case "i":
      return Number(a.slice(2)) - Number(b.slice(2));
    case "k":
      return compareKeys(JSON.parse(a.slice(2)), JSON.parse(b.slice(2)));
    case "v":
      return compareValues(JSON.parse(a.slice(2)), JSON.parse(b.slice(2)));
    default:
      return a < b ? -1 : 1;
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareKeys(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ea = Object.entries(a), eb = Object.entries(b);
  for (let i = 0;; i++) {
    if (i >= ea.length || i >= eb.length) return ea.length - eb.length;
    const byName = compareStrings(ea[i][0], eb[i][0]);
    if (byName !== 0) return byName;
    const byValue = compareValues(ea[i][1], eb[i][1]);
    if (byValue !== 0) return byValue;
  }
}

/** Numbers, then strings, booleans, lists, maps and null, as structured-merge-diff orders values. */
function valueRank(v: unknown): number {
  if (typeof v === "number") return 0;
  if (typeof v === "string") return 1;
  if (typeof v === "boolean") return 2;
  if (Array.isArray(v)) return 3;
  if (v !== null && typeof v === "object") return 4;
  return 5;
}

function compareValues(a: unknown, b: unknown): number {
  const ra = valueRank(a), rb = valueRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return (a as number) - (b as number);
    case 1:
      return compareStrings(a as string, b as string);
    case 2:
      return Number(a) - Number(b);
    case 3: {
      const la = a as unknown[], lb = b as unknown[];
      for (let i = 0; i < Math.min(la.length, lb.length); i++) {
        const c = compareValues(la[i], lb[i]);
        if (c !== 0) return c;
      }
      return la.length - lb.length;
    }
    case 4: {
      const sorted = (m: object) => Object.entries(m).sort(([x], [y]) => compareStrings(x, y));
      return compareKeys(Object.fromEntries(sorted(a as object)), Object.fromEntries(sorted(b as object)));
    }
    default:
      return 0;
  }
}

/** A value as Go's `value.ToString` prints it in paths: strings quoted, maps as `k=v` runs. */
function valueString(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return "[" + v.map(valueString).join(",") + "]";
  if (typeof v === "object") return Object.entries(v).map(([k, x]) => `${k}=${valueString(x)}`).join("");
  return String(v);
}

/**
 * A path as kube-apiserver prints it in conflicts: `.data.owner`, `.spec.ports[port=80,protocol="TCP"]`,
 * `.metadata.finalizers[="a"]`, `[3]`.
 *
 * @example
 * ```ts
 * pathString(["f:spec", 'k:{"name":"web"}', "f:image"]); // '.spec[name="web"].image'
 * ```
 */
export function pathString(path: Path): string {
  let out = "";
  for (const element of path) {
    const body = element.slice(2);
    switch (element[0]) {
      case "f":
        out += "." + body;
        break;
      case "k":
        out += "[" +
          Object.entries(JSON.parse(body) as Record<string, unknown>).map(([k, v]) => `${k}=${valueString(v)}`)
            .join(",") +
          "]";
        break;
      case "v":
        out += `[=${valueString(JSON.parse(body))}]`;
        break;
      default:
        out += `[${body}]`;
    }
  }
  return out;
}

/**
 * The element selecting `item` of an associative list, or the reason it has none (structured-merge-diff's words).
 *
 * @example
 * ```ts
 * listItemElement(portsType, { containerPort: 80 }); // 'k:{"containerPort":80,"protocol":"TCP"}' (protocol defaulted)
 * ```
 */
export function listItemElement(list: ListType, item: unknown): PathElement | { error: string } {
  if (list.listType === "map") {
    if (item === null || item === undefined) {
      return { error: "associative list with keys may not have a null element" };
    }
    if (typeof item !== "object" || Array.isArray(item)) {
      return { error: "associative list with keys may not have non-map elements" };
    }
    const fields: [string, unknown][] = [];
    for (const key of list.keys) {
      const value = (item as Record<string, unknown>)[key];
      if (value !== undefined) {
        fields.push([key, value]);
        continue;
      }
      const fallback = list.element.kind === "map" ? (list.element as MapType).defaultOf(key) : undefined;
      if (fallback === undefined) {
        return {
          error: `associative list with keys has an element that omits key field ${
            JSON.stringify(key)
          } (and doesn't have default value)`,
        };
      }
      fields.push([key, fallback]);
    }
    return keyElement(fields);
  }
  if (item === null || item === undefined) {
    return { error: "associative list without keys has an element that's an explicit null" };
  }
  if (Array.isArray(item)) return { error: "not supported: associative list with lists as elements" };
  if (typeof item === "object") return { error: "associative list without keys has an element that's a map type" };
  return valueElement(item);
}
