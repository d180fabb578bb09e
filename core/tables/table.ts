/**
 * Server-side printing: turns objects into the `meta.k8s.io/v1` `Table` that `kubectl get` asks for
 * with `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`, with the columns and cells
 * kube-apiserver 1.32's printers produce. Kinds without a printer get kube's default table (Name,
 * Created At); custom resources go through {@link toCustomTable}.
 *
 * @module
 */

import { printTable, type TableOptions } from "./build.ts";
import { admissionPrinters } from "./admission.ts";
import { clusterPrinters } from "./cluster.ts";
import { configPrinters } from "./config.ts";
import { defaultPrinter } from "./default.ts";
import { type Printer, printerKey, type Printers } from "./format.ts";
import { networkingPrinters } from "./networking.ts";
import { podPrinters } from "./pods.ts";
import { rbacPrinters } from "./rbac.ts";
import { storagePrinters } from "./storage.ts";
import { workloadPrinters } from "./workloads.ts";

export { toCustomTable } from "./custom.ts";
export type { PrinterColumn } from "./custom.ts";
export type { TableOptions } from "./build.ts";
export type { TableColumnDefinition } from "./format.ts";

const PRINTERS: Printers = {
  ...podPrinters,
  ...workloadPrinters,
  ...networkingPrinters,
  ...clusterPrinters,
  ...configPrinters,
  ...storagePrinters,
  ...rbacPrinters,
  ...admissionPrinters,
};

/**
 * The printer kube uses for a kind, or undefined when it falls back to the default table.
 *
 * @example printerFor("Pod", "")?.columns.map((c) => c.name) // ["Name", "Ready", "Status", …]
 */
export function printerFor(kind: string, group: string): Printer | undefined {
  return PRINTERS[printerKey(group, kind)];
}

/**
 * A Table of built-in objects of one kind (all the same kind; a single GET passes one object).
 *
 * @example
 * toTable("Pod", "", pods, { includeObject: "Metadata", listMeta: { resourceVersion: "812" } })
 * // { kind: "Table", apiVersion: "meta.k8s.io/v1", metadata: { resourceVersion: "812" },
 * //   columnDefinitions: [{ name: "Name", … }, …], rows: [{ cells: ["nginx", "1/1", "Running", "0", "5m", …], object: {…} }] }
 */
export function toTable(
  kind: string,
  group: string,
  objects: Record<string, unknown>[],
  options: TableOptions = {},
): Record<string, unknown> {
  return printTable(printerFor(kind, group) ?? defaultPrinter, objects, options);
}
