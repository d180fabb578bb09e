/**
 * Who a write is recorded for, and the checks kube-apiserver makes of the `fieldManager` and `force` query parameters
 * before it writes: a manager is the `fieldManager` parameter or, without one, the program name the User-Agent starts
 * with (`kubectl/v1.32.5 (linux/amd64) …` → `kubectl`); apply needs an explicit manager; `force` is only for apply.
 *
 * @module
 */
import { invalid, type StatusCause } from "../api/status.ts";

/** kube-apiserver's limit on a manager name, in bytes. */
const FIELD_MANAGER_MAX_LENGTH = 128;

const encoder = new TextEncoder();

function printable(c: string): boolean {
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(c);
}

/**
 * The manager a write is recorded for: `fieldManager` when given, else the User-Agent's program name (what precedes
 * the first `/`, unprintable characters dropped, cut to 128 bytes).
 *
 * @example
 * ```ts
 * managerOrUserAgent(undefined, "kubectl/v1.32.5 (linux/amd64) kubernetes/9894294"); // "kubectl"
 * managerOrUserAgent("helm", "Helm/3.16"); // "helm"
 * ```
 */
export function managerOrUserAgent(
  fieldManager: string | undefined | null,
  userAgent: string | undefined | null,
): string {
  if (fieldManager) return fieldManager;
  let out = "";
  let bytes = 0;
  for (const c of (userAgent ?? "").split("/")[0]) {
    if (!printable(c)) continue;
    const size = encoder.encode(c).length;
    if (bytes + size > FIELD_MANAGER_MAX_LENGTH) break;
    out += c;
    bytes += size;
  }
  return out;
}

/**
 * Check a write's `fieldManager` and `force` parameters as kube-apiserver validates Create/Update/PatchOptions,
 * throwing its 422 (`PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply
 * patch`).
 *
 * @example
 * ```ts
 * validateWriteOptions("PatchOptions", url.searchParams, true); // throws without ?fieldManager=
 * ```
 */
export function validateWriteOptions(
  kind: "CreateOptions" | "UpdateOptions" | "PatchOptions",
  query: URLSearchParams,
  apply = false,
): void {
  const causes: StatusCause[] = [];
  const fieldManager = query.get("fieldManager") ?? "";
  if (kind === "PatchOptions" && !apply && query.has("force")) {
    causes.push({
      type: "FieldValueForbidden",
      field: "force",
      message: "Forbidden: may not be specified for non-apply patch",
    });
  }
  if (apply && fieldManager === "") {
    causes.push({
      type: "FieldValueRequired",
      field: "fieldManager",
      message: "Required value: is required for apply patch",
    });
  }
  if (encoder.encode(fieldManager).length > FIELD_MANAGER_MAX_LENGTH) {
    causes.push({
      type: "FieldValueTooLong",
      field: "fieldManager",
      message: `Too long: may not be more than ${FIELD_MANAGER_MAX_LENGTH} bytes`,
    });
  }
  [...fieldManager].forEach((c, i) => {
    if (printable(c)) return;
    const code = "U+" + c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    causes.push({
      type: "FieldValueInvalid",
      field: "fieldManager",
      message: `Invalid value: ${JSON.stringify(fieldManager)}: invalid character ${code} (at position ${i})`,
    });
  });
  if (causes.length) throw invalid({ group: "meta.k8s.io", kind }, "", causes);
}
