/**
 * `fieldValidation` for custom resources: the fields a body sets that the version's schema does not declare are
 * pruned anyway; with `Strict` (kubectl's default) the write is refused naming them, with `Warn` each becomes a
 * warning — the same words kube-apiserver uses for built-in kinds.
 *
 * @module
 */
import { fieldWarnings, strictDecodingError } from "../api/field_validation.ts";
import { badRequest } from "../api/status.ts";
import type { ResourceInfo } from "../registry/types.ts";
import { prune } from "./pruning.ts";
import type { JSONSchemaProps } from "./types.ts";

/** The parts of a write request this reads. */
export interface CustomWriteRequest {
  method: string;
  subresource?: string;
  query: URLSearchParams;
  body: unknown;
  headers: Headers;
}

/** A merge patch's `null`s delete fields; a deleted unknown field is no unknown field. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

/**
 * Check a create, update, merge patch or apply body of a custom resource against its schema: throws kube's 400
 * under `Strict`, returns the warnings for `Warn`.
 *
 * @example
 * ```ts
 * warnings.push(...validateCustomFields(info, { method, subresource, query, body, headers: request.headers }));
 * // Strict: 'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.colour"'
 * ```
 */
export function validateCustomFields(info: ResourceInfo, request: CustomWriteRequest): string[] {
  const { method, subresource, query, body } = request;
  if (!info.schema || (method !== "POST" && method !== "PUT" && method !== "PATCH")) return [];
  if (subresource && subresource !== "status") return [];
  const directive = query.get("fieldValidation") ?? "Warn";
  if (directive === "Ignore" || body === null || typeof body !== "object" || Array.isArray(body)) return [];
  const contentType = (request.headers.get("content-type") ?? "").split(";")[0].trim();
  const patch = method === "PATCH";
  if (patch && contentType !== "application/merge-patch+json" && !contentType.startsWith("application/apply-patch")) {
    return [];
  }
  const unknown = prune(withoutNulls(structuredClone(body)), info.schema as JSONSchemaProps);
  if (!unknown.length) return [];
  const findings = { unknown, duplicates: [] };
  if (directive === "Strict") {
    const prefix = patch ? "" : `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: `;
    throw badRequest(prefix + strictDecodingError(findings));
  }
  return fieldWarnings(findings);
}
