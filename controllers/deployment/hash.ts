/**
 * The pod-template hash a Deployment stamps on its ReplicaSets, and template comparison ignoring it.
 *
 * Kube hashes the Go struct with FNV-32a and encodes the decimal value with `rand.SafeEncodeString`;
 * here the hashed bytes are the template's JSON with sorted keys, so the value is stable across
 * key order but not byte-identical to kube's (nothing outside this controller reads it back).
 *
 * @module
 */

/** The label that ties a ReplicaSet (and its pods) to one template of its Deployment. */
export const POD_TEMPLATE_HASH = "pod-template-hash";

/** Kube's `rand.SafeEncodeString` alphabet: no vowels (no words), no look-alike characters. */
const SAFE = "bcdfghjklmnpqrstvwxz2456789";

/**
 * JSON with object keys sorted at every level, so equal values serialize equally.
 *
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }); // '{"a":[{"c":3,"d":2}],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * The `pod-template-hash` of a pod template: up to 10 characters of `[b-z2-9]`.
 *
 * @example
 * ```ts
 * podTemplateHash({ metadata: { labels: { app: "web" } }, spec: { containers: [] } }); // e.g. "5d8f7c9b4"
 * ```
 */
export function podTemplateHash(template: unknown): string {
  return [...String(fnv32a(canonicalJson(template)))].map((d) => SAFE[d.charCodeAt(0) % SAFE.length]).join("");
}

/** A pod template as far as this controller looks into it. */
export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; [field: string]: unknown };
  spec?: Record<string, unknown>;
  [field: string]: unknown;
}

/**
 * Kube's `EqualIgnoreHash`: whether two templates are equal once the `pod-template-hash` label is dropped.
 *
 * @example
 * ```ts
 * const t = { metadata: { labels: { app: "web" } } };
 * sameTemplate(t, { metadata: { labels: { app: "web", "pod-template-hash": "abc" } } }); // true
 * ```
 */
export function sameTemplate(a: PodTemplate | undefined, b: PodTemplate | undefined): boolean {
  return canonicalJson(withoutHash(a)) === canonicalJson(withoutHash(b));
}

function withoutHash(template: PodTemplate | undefined): PodTemplate {
  const copy = structuredClone(template ?? {});
  const labels = copy.metadata?.labels;
  if (labels) {
    delete labels[POD_TEMPLATE_HASH];
    if (Object.keys(labels).length === 0) delete copy.metadata!.labels;
  }
  if (copy.metadata && Object.keys(copy.metadata).length === 0) delete copy.metadata;
  return copy;
}
