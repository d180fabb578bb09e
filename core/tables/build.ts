/**
 * Assembles the `meta.k8s.io/v1` `Table` envelope shared by built-in and custom resources: list
 * metadata, column definitions, and each row's embedded object per `includeObject`.
 *
 * @module
 */

import type { Obj, Printer, TableColumnDefinition, TableRowCondition } from "./format.ts";

/** What a caller passes to the table functions (from the request's `includeObject` and the list). */
export interface TableOptions {
  /** `Metadata` (kubectl's default) embeds PartialObjectMetadata, `Object` the object, `None` nothing. */
  includeObject?: "None" | "Metadata" | "Object";
  /** The clock for Age cells; defaults to the current time. */
  now?: Date;
  /** The list's metadata, copied onto the table's. */
  listMeta?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  /** Omit `columnDefinitions`, as kube does for every watch event after the first. */
  noHeaders?: boolean;
}

/** One `TableRow`. */
export interface TableRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
  object?: Obj;
}

/**
 * What a row embeds: PartialObjectMetadata (the default), the object, or nothing.
 *
 * @example rowObject(pod, "Metadata") // { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: {…} }
 */
export function rowObject(obj: Obj, includeObject: TableOptions["includeObject"]): Obj | undefined {
  if (includeObject === "None") return undefined;
  if (includeObject === "Object") return obj;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata ?? {} };
}

/**
 * A complete Table from column definitions and rows.
 *
 * @example assembleTable(printer.columns, rows, { listMeta: { resourceVersion: "42" } })
 */
export function assembleTable(
  columns: TableColumnDefinition[],
  rows: TableRow[],
  options: TableOptions,
): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  const listMeta = options.listMeta ?? {};
  // ListMeta fields are all omitempty in Go.
  if (listMeta.resourceVersion) metadata.resourceVersion = listMeta.resourceVersion;
  if (listMeta.continue) metadata.continue = listMeta.continue;
  if (listMeta.remainingItemCount !== undefined && listMeta.remainingItemCount !== null) {
    metadata.remainingItemCount = listMeta.remainingItemCount;
  }
  const table: Record<string, unknown> = { kind: "Table", apiVersion: "meta.k8s.io/v1", metadata };
  if (!options.noHeaders) table.columnDefinitions = columns.map((c) => ({ ...c }));
  table.rows = rows;
  return table;
}

/**
 * Prints objects with a printer into a Table.
 *
 * @example printTable(podPrinter, pods, { now: new Date() })
 */
export function printTable(printer: Printer, objects: Obj[], options: TableOptions): Record<string, unknown> {
  const now = options.now ?? new Date();
  const ordered = printer.order ? printer.order(objects) : objects;
  const rows = ordered.map((obj) => {
    const row: TableRow = { cells: printer.cells(obj, now) };
    const conditions = printer.conditions?.(obj);
    if (conditions) row.conditions = conditions;
    const embedded = rowObject(obj, options.includeObject);
    if (embedded) row.object = embedded;
    return row;
  });
  return assembleTable(printer.columns, rows, options);
}
