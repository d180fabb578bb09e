/**
 * The 409 an apply gets when it would change fields other managers own, worded as kube-apiserver words it so kubectl
 * prints its "Apply failed with N conflicts" advice: one `FieldManagerConflict` cause per field, and a message
 * grouped by manager.
 *
 * @module
 */
import { failure, type StatusError } from "../api/status.ts";
import { describeManager, type ManagerEntry } from "./managed_fields.ts";
import { type Path, pathString } from "./path.ts";

/** A field the applier would change, and the manager who owns it. */
export interface Conflict {
  /** The owner's entry identifier (conflicts are grouped and sorted by it). */
  id: string;
  owner: ManagerEntry;
  path: Path;
}

/**
 * The `Status` error for `conflicts` (at least one).
 *
 * @example
 * ```ts
 * conflictError([{ id, owner: { manager: "other", operation: "Apply", apiVersion: "v1", fields }, path: ["f:data", "f:owner"] }]);
 * // 409 Conflict: Apply failed with 1 conflict: conflict with "other": .data.owner
 * ```
 */
export function conflictError(conflicts: Conflict[]): StatusError {
  const sorted = [...conflicts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const causes = sorted.map((c) => ({
    type: "FieldManagerConflict",
    message: `conflict with ${describeManager(c.owner)}`,
    field: pathString(c.path),
  }));
  let message: string;
  if (sorted.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${describeManager(sorted[0].owner)}: ${causes[0].field}`;
  } else {
    const lines: string[] = [];
    let last: string | undefined;
    for (const [i, c] of sorted.entries()) {
      if (c.id !== last) lines.push(`conflicts with ${describeManager(c.owner)}:`);
      last = c.id;
      lines.push(`- ${causes[i].field}`);
    }
    message = `Apply failed with ${sorted.length} conflicts: ${lines.join("\n")}`;
  }
  return failure(409, "Conflict", message, { causes });
}
