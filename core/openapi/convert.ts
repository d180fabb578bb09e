/**
 * Swagger 2.0 schemas to OpenAPI 3.0 schemas, the way kube-apiserver publishes them under `/openapi/v3`.
 *
 * @module
 */

const V2_PREFIX = "#/definitions/";
const V3_PREFIX = "#/components/schemas/";

/**
 * Convert one v2 schema: `#/definitions/X` references become `#/components/schemas/X`, and a reference with
 * siblings (a description, patch strategy, …) is wrapped in `allOf`, since OpenAPI 3.0 ignores `$ref` siblings.
 * Only string-valued `$ref`s are references: JSONSchemaProps has a *property* named `$ref`.
 *
 * @example
 * ```ts
 * schemaToV3({ $ref: "#/definitions/io.k8s.api.core.v1.PodSpec", description: "spec" });
 * // { allOf: [{ $ref: "#/components/schemas/io.k8s.api.core.v1.PodSpec" }], description: "spec" }
 * ```
 */
export function schemaToV3(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(schemaToV3);
  if (schema === null || typeof schema !== "object") return schema;
  const input = schema as Record<string, unknown>;
  const ref = input.$ref;
  const out: Record<string, unknown> = {};
  if (typeof ref === "string") {
    const target = ref.startsWith(V2_PREFIX) ? V3_PREFIX + ref.slice(V2_PREFIX.length) : ref;
    if (Object.keys(input).length === 1) return { $ref: target };
    out.allOf = [{ $ref: target }];
  }
  for (const [key, value] of Object.entries(input)) {
    if (key === "$ref" && typeof value === "string") continue;
    out[key] = schemaToV3(value);
  }
  return out;
}

/**
 * The names of the schemas a value refers to directly: `#/components/schemas/<name>` (or `#/definitions/<name>`
 * with `v2`).
 *
 * @example
 * ```ts
 * schemaRefs({ items: { $ref: "#/components/schemas/a.B" } }); // Set { "a.B" }
 * ```
 */
export function schemaRefs(value: unknown, v2 = false, into: Set<string> = new Set()): Set<string> {
  const prefix = v2 ? V2_PREFIX : V3_PREFIX;
  if (Array.isArray(value)) {
    for (const item of value) schemaRefs(item, v2, into);
  } else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string") {
        if (child.startsWith(prefix)) into.add(child.slice(prefix.length));
      } else schemaRefs(child, v2, into);
    }
  }
  return into;
}

/**
 * Every schema reachable from `roots` through `schemas`' references, sorted by name.
 *
 * @example
 * ```ts
 * schemaClosure(["a.B"], { "a.B": { properties: { c: { $ref: "#/components/schemas/a.C" } } }, "a.C": {} });
 * // ["a.B", "a.C"]
 * ```
 */
export function schemaClosure(roots: Iterable<string>, schemas: Record<string, unknown>, v2 = false): string[] {
  const seen = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (seen.has(name) || !(name in schemas)) continue;
    seen.add(name);
    pending.push(...schemaRefs(schemas[name], v2));
  }
  return [...seen].sort();
}
