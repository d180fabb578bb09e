/**
 * Field validation of one write request: which body is checked how, and the Status a refusal is.
 *
 * @module
 */
import type { ResourceInfo } from "../registry/types.ts";
import { checkFields, type FieldValidation, fieldWarnings, strictDecodingError } from "./field_validation.ts";
import { badRequest } from "./status.ts";

const DIRECTIVES: readonly string[] = ["Strict", "Warn", "Ignore"];

/** The parts of a request field validation reads. */
export interface WriteRequest {
  method: string;
  subresource?: string;
  query: URLSearchParams;
  raw?: Uint8Array;
  body: unknown;
  headers: Headers;
}

/**
 * Check a create, update or (merge/strategic) patch body of a built-in kind: throws the 400 kube-apiserver
 * answers for a mistyped value or, with `fieldValidation=Strict`, unknown or duplicate fields; returns the
 * warnings to send for `Warn` (the default). Unknown fields are removed from `body` in every case.
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
  if (
    patch && contentType !== "application/merge-patch+json" && contentType !== "application/strategic-merge-patch+json"
  ) {
    return [];
  }
  const text = raw && contentType.endsWith("json") && directive !== "Ignore"
    ? new TextDecoder().decode(raw)
    : undefined;
  const findings = checkFields(info.group, info.version, info.kind, body, text, patch);
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
