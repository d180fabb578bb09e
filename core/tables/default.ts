/**
 * kube-apiserver's default table convertor, used for every kind without a printer (Role,
 * ClusterRole, CustomResourceDefinition, LimitRange, …): `Name` and `Created At`, the latter an
 * RFC3339 date rather than an age.
 *
 * @module
 */

import { AGE_DESCRIPTION, column, meta, nameColumn, type Printer, str } from "./format.ts";

/**
 * Go's `Time.UTC().Format(time.RFC3339)` of a timestamp: seconds precision, `Z`; the zero time when unset.
 *
 * @example rfc3339("2024-05-01T10:00:00.123456Z") // "2024-05-01T10:00:00Z"
 */
export function rfc3339(value: unknown): string {
  const ms = typeof value === "string" ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) return "0001-01-01T00:00:00Z";
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/**
 * The printer for kinds kube has no printer for.
 *
 * @example defaultPrinter.cells(role, now) // ["pod-reader", "2024-05-01T10:00:00Z"]
 */
export const defaultPrinter: Printer = {
  columns: [nameColumn(), column("Created At", AGE_DESCRIPTION, { type: "date" })],
  cells: (obj) => [str(meta(obj).name), rfc3339(meta(obj).creationTimestamp)],
};
