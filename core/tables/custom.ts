/**
 * Tables for custom resources, as apiextensions-apiserver builds them from a CRD version's
 * `additionalPrinterColumns`: Name first, then each column's JSONPath value typed by the column's
 * `type`. A version without printer columns gets a single `Age` column.
 *
 * @module
 */

import { assembleTable, rowObject, type TableOptions, type TableRow } from "./build.ts";
import {
  AGE_DESCRIPTION,
  compare,
  meta,
  nameColumn,
  type Obj,
  since,
  str,
  type TableColumnDefinition,
} from "./format.ts";
import { evaluate, type JsonPath, parseJsonPath } from "./jsonpath.ts";

/** One `additionalPrinterColumns` entry (apiextensions v1 `jsonPath`; v1beta1 spelled it `JSONPath`). */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath?: string;
  JSONPath?: string;
}

const DEFAULT_COLUMNS: PrinterColumn[] = [
  { name: "Age", type: "date", description: AGE_DESCRIPTION, jsonPath: ".metadata.creationTimestamp" },
];

/** Go's strict `time.Parse(time.RFC3339, …)`. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Go's `%v` of a float64: shortest digits, exponent form below 1e-4 and from 1e21 up. */
function goFloat(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value);
  const [mantissa, exponent] = value.toExponential().split("e");
  const exp = Number(exponent);
  if (exp < -4 || exp >= 21) return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return String(value);
}

/** Go's `%v` of a decoded JSON value, which is how string columns render non-strings. */
function goValue(value: unknown, nested = false): string {
  if (value === null || value === undefined) return nested ? "<nil>" : "<no value>";
  if (typeof value === "string") return value;
  if (typeof value === "number") return goFloat(value);
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => goValue(v, true)).join(" ")}]`;
  const entries = Object.entries(value as Obj).sort(([a], [b]) => compare(a, b));
  return `map[${entries.map(([k, v]) => `${k}:${goValue(v, true)}`).join(" ")}]`;
}

/**
 * A cell for a JSON value under a column type; null when the value does not fit the type.
 *
 * @example typedCell("integer", 2.7, now) // 2
 * @example typedCell("date", "2024-01-01T00:00:00Z", now) // "5m"
 */
export function typedCell(type: string, value: unknown, now: Date): unknown {
  if (value === null || value === undefined) return type === "string" ? goValue(value) : null;
  switch (type) {
    case "string":
      return goValue(value);
    case "integer":
      return typeof value === "number" ? Math.trunc(value) : null;
    case "number":
      return typeof value === "number" ? value : null;
    case "boolean":
      return typeof value === "boolean" ? value : null;
    case "date":
      if (typeof value !== "string") return null;
      if (value === "" || value === "null") return "<unknown>";
      if (!RFC3339.test(value)) return "<invalid>";
      return since(value, now);
  }
  return null;
}

interface CompiledColumn {
  definition: TableColumnDefinition;
  path: JsonPath;
}

function compile(columns: PrinterColumn[]): CompiledColumn[] {
  const compiled: CompiledColumn[] = [];
  for (const col of columns) {
    const jsonPath = col.jsonPath ?? col.JSONPath ?? "";
    let path: JsonPath;
    try {
      path = parseJsonPath(jsonPath);
    } catch {
      // kube keeps the columns parsed before the first bad one and logs the rest away.
      break;
    }
    compiled.push({
      path,
      definition: {
        name: col.name,
        type: col.type,
        format: col.format ?? "",
        description: col.description || `Custom resource definition column (in JSONPath format): ${jsonPath}`,
        priority: col.priority ?? 0,
      },
    });
  }
  return compiled;
}

/**
 * A Table for custom resources from their CRD version's `additionalPrinterColumns`.
 *
 * @example
 * toCustomTable([{ name: "Replicas", type: "integer", jsonPath: ".spec.replicas" }], widgets, { includeObject: "Metadata" })
 * // columns Name, Replicas; rows ["w1", 3]
 */
export function toCustomTable(
  additionalPrinterColumns: PrinterColumn[] | undefined,
  objects: Obj[],
  options: TableOptions = {},
): Record<string, unknown> {
  const now = options.now ?? new Date();
  const columns = compile(additionalPrinterColumns?.length ? additionalPrinterColumns : DEFAULT_COLUMNS);
  const rows: TableRow[] = objects.map((obj) => {
    const cells: unknown[] = [str(meta(obj).name)];
    for (const col of columns) {
      const results = evaluate(col.path, obj);
      // Only simple paths are allowed, so the first result stands for the column.
      cells.push(results.length === 0 ? null : typedCell(col.definition.type, results[0], now));
    }
    const row: TableRow = { cells };
    const embedded = rowObject(obj, options.includeObject);
    if (embedded) row.object = embedded;
    return row;
  });
  return assembleTable([nameColumn(), ...columns.map((c) => c.definition)], rows, options);
}
