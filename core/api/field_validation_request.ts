/**
 * Field validation of one write request: which body is checked how, and the Status a refusal is. Built-in
 * kinds are checked against their Go types, custom resources against their CRD schema (what pruning drops).
 *
 * @module
 */
import { prune } from "../apiextensions/pruning.ts";
import type { JSONSchemaProps } from "../apiextensions/types.ts";
import type { ResourceInfo } from "../registry/types.ts";
import {
  checkFields,
  duplicateFields,
  type FieldFindings,
  type FieldValidation,
  fieldWarnings,
  strictDecodingError,
} from "./field_validation.ts";
import { badRequest } from "./status.ts";

const DIRECTIVES: readonly string[] = ["Strict", "Warn", "Ignore"];
const MERGE_PATCH = "application/merge-patch+json";
/** Patch bodies shaped like the object: strategic merge for built-ins, apply configurations for custom resources. */
const BUILTIN_PATCHES = new Set([MERGE_PATCH, "application/strategic-merge-patch+json"]);
const CUSTOM_PATCHES = new Set([MERGE_PATCH, "application/apply-patch+yaml"]);

/** The parts of a request field validation reads. */
export interface WriteRequest {
  method: string;
  subresource?: string;
  query: URLSearchParams;
  raw?: Uint8Array;
  body: unknown;
  headers: Headers;
}

/** A merge patch's `null`s delete fields; a deleted unknown field is no unknown field. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

/** Unknown fields of a custom resource body: what its schema would prune (the body itself is left as sent). */
function customFindings(info: ResourceInfo, body: unknown, duplicates: string[]): FieldFindings {
  const isObject = body !== null && typeof body === "object" && !Array.isArray(body);
  const unknown = isObject ? prune(withoutNulls(structuredClone(body)), info.schema as JSONSchemaProps) : [];
  return { unknown, duplicates };
}

/**
 * Check a create, update or patch body shaped like the object: throws the 400 kube-apiserver answers for a
 * mistyped value or, with `fieldValidation=Strict`, unknown or duplicate fields; returns the warnings to send
 * for `Warn` (the default). Unknown fields of built-in kinds are removed from `body` in every case.
 *
 * @example
 * ```ts
 * warnings.push(...validateFields(info, { method, subresource, query, raw, body, headers: request.headers }));
 * ```
 */
export function validateFields(info: ResourceInfo, request: WriteRequest): string[] {
  const { method, subresource, query, raw, body } = request;
  if (method !== "POST" && method !== "PUT" && method !== "PATCH") return [];
  const directive = query.get("fieldValidation") ?? "Warn";
  if (!DIRECTIVES.includes(directive)) {
    throw badRequest(`fieldValidation must be one of "Ignore", "Warn" or "Strict", got "${directive}"`);
  }
  // Subresources other than status carry other kinds (Binding, Eviction, Scale).
  if (subresource && subresource !== "status") return [];
  const contentType = (request.headers.get("content-type") ?? "application/json").split(";")[0].trim();
  const patch = method === "PATCH";
  if (patch && !(info.schema ? CUSTOM_PATCHES : BUILTIN_PATCHES).has(contentType)) return [];
  if (info.schema && directive === "Ignore") return [];
  const text = raw && contentType.endsWith("json") && directive !== "Ignore"
    ? new TextDecoder().decode(raw)
    : undefined;
  const findings = info.schema
    ? customFindings(info, body, text ? duplicateFields(text) : [])
    : checkFields(info.group, info.version, info.kind, body, text, patch);
  const prefix = patch ? "" : `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: `;
  if (findings.typeError) throw badRequest(prefix + findings.typeError);
  if (findings.unknown.length === 0 && findings.duplicates.length === 0) return [];
  switch (directive as FieldValidation) {
    case "Strict":
      throw badRequest(prefix + strictDecodingError(findings));
    case "Warn":
      return fieldWarnings(findings);
    default:
      return [];
  }
}
