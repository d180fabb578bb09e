/**
 * Helm's `chartutil.ProcessDependencies`: applies a chart's declared dependencies to its loaded subcharts —
 * aliases (a renamed copy of the subchart), `tags` and `condition` values that disable subcharts, recursively —
 * and then `import-values`, which lift values out of a child (`exports.<name>` or `{child, parent}` paths) into
 * its parent's defaults.
 *
 * @module
 */

import { sprint } from "../gotemplate/mod.ts";
import type { Chart } from "./chart.ts";
import { coalesceTables, coalesceValues, mergeTables, mergeValues, type Warn } from "./coalesce.ts";
import type { ChartDependency } from "./metadata.ts";
import { deepCopy, isTable, pathValue, table, type Values } from "./values.ts";
import { isCompatibleRange } from "./version.ts";

/**
 * `ProcessDependencies` (or, with `merge`, `ProcessDependenciesWithMerge`, which Helm's install and upgrade use
 * and which keeps nulls while importing values). Changes `chart` in place.
 *
 * @example
 * ```ts
 * processDependencies(chart, { db: { enabled: false } }); // the "db" subchart (condition db.enabled) is dropped
 * ```
 */
export function processDependencies(
  chart: Chart,
  values: Values,
  options: { merge?: boolean; warn?: Warn } = {},
): void {
  const warn = options.warn ?? (() => {});
  processDependencyEnabled(chart, values, "", warn);
  processDependencyImportValues(chart, options.merge ?? false, warn);
}

function processDependencyConditions(reqs: ChartDependency[], values: Values, path: string, warn: Warn): void {
  for (const r of reqs) {
    for (const condition of r.Condition.trim().split(",")) {
      if (condition.length === 0) continue;
      let value: unknown;
      try {
        value = pathValue(values, path + condition);
      } catch {
        continue;
      }
      if (typeof value === "boolean") {
        r.Enabled = value;
        break;
      }
      warn(`Warning: Condition path '${condition}' for chart ${r.Name} returned non-bool value`);
    }
  }
}

function processDependencyTags(reqs: ChartDependency[], values: Values, warn: Warn): void {
  let tags: Values;
  try {
    tags = table(values, "tags");
  } catch {
    return;
  }
  for (const r of reqs) {
    let hasTrue = false;
    let hasFalse = false;
    for (const k of r.Tags ?? []) {
      if (!Object.hasOwn(tags, k)) continue;
      const b = tags[k];
      if (typeof b === "boolean") {
        if (b) hasTrue = true;
        else hasFalse = true;
      } else {
        warn(`Warning: Tag '${k}' for chart ${r.Name} returned non-bool value`);
      }
    }
    if (!hasTrue && hasFalse) r.Enabled = false;
    else r.Enabled = true;
  }
}

/** The loaded subchart a dependency refers to (by name and version range), copied and renamed by its alias. */
function aliasDependency(charts: Chart[], dep: ChartDependency): Chart | undefined {
  for (const c of charts) {
    if (c.name() !== dep.Name || !isCompatibleRange(dep.Version, c.metadata.Version)) continue;
    const out = c.copy();
    if (dep.Alias !== "") out.metadata.Name = dep.Alias;
    return out;
  }
  return undefined;
}

function processDependencyEnabled(chart: Chart, values: Values, path: string, warn: Warn): void {
  const md = chart.metadata;
  if (md.Dependencies === null) return;
  const declared = md.Dependencies.filter((d): d is ChartDependency => d !== null);
  const kept = chart.dependencies().filter((existing) =>
    !declared.some((req) => existing.name() === req.Name && isCompatibleRange(req.Version, existing.metadata.Version))
  );
  const loaded = chart.dependencies();
  for (const req of declared) {
    const dependency = aliasDependency(loaded, req);
    if (dependency) kept.push(dependency);
    if (req.Alias !== "") req.Name = req.Alias;
  }
  chart.setDependencies(...kept);
  for (const req of declared) req.Enabled = true;
  const cvals = coalesceValues(chart, values, warn);
  processDependencyTags(declared, cvals, warn);
  processDependencyConditions(declared, cvals, path, warn);
  const removed = new Set(declared.filter((r) => !r.Enabled).map((r) => r.Name));
  const enabled = chart.dependencies().filter((c) => !removed.has(c.metadata.Name));
  for (const sub of enabled) processDependencyEnabled(sub, cvals, `${path}${sub.metadata.Name}.`, warn);
  md.Dependencies = md.Dependencies.filter((d) => d === null || !removed.has(d.Name));
  chart.setDependencies(...enabled);
}

/** A nested map holding `data` at the dotted `path` (`.` is the root). */
function pathToMap(path: string, data: Values): Values {
  if (path === ".") return data;
  let current = data;
  for (const part of path.split(".").reverse()) current = { [part]: current };
  return current;
}

function processImportValues(chart: Chart, merge: boolean, warn: Warn): void {
  const md = chart.metadata;
  if (md.Dependencies === null) return;
  let cvals = merge ? mergeValues(chart, null, warn) : coalesceValues(chart, null, warn);
  let imported: Values | null = {};
  const combine = (src: Values) => {
    imported = merge ? mergeTables(imported, src, warn) : coalesceTables(imported, src, warn);
  };
  for (const r of md.Dependencies) {
    if (r === null) continue;
    const out: unknown[] = [];
    for (const riv of r.ImportValues ?? []) {
      if (isTable(riv)) {
        const child = sprint(riv.child ?? null);
        const parent = sprint(riv.parent ?? null);
        out.push({ child, parent });
        try {
          combine(pathToMap(parent, table(cvals, `${r.Name}.${child}`)));
        } catch (error) {
          warn(`Warning: ImportValues missing table from chart ${r.Name}: ${(error as Error).message}`);
        }
      } else if (typeof riv === "string") {
        const child = `exports.${riv}`;
        out.push({ child, parent: "." });
        try {
          combine(table(cvals, `${r.Name}.${child}`));
        } catch (error) {
          warn(`Warning: ImportValues missing table: ${(error as Error).message}`);
        }
      }
    }
    r.ImportValues = out;
  }
  if (merge) {
    cvals = deepCopy(cvals);
    chart.values = mergeTables(cvals, imported, warn);
  } else {
    chart.values = coalesceTables(trimNilValues(cvals), imported, warn);
  }
}

function trimNilValues(values: Values): Values {
  const out = deepCopy(values);
  for (const [key, val] of Object.entries(out)) {
    if (val === null || val === undefined) delete out[key];
    else if (isTable(val)) out[key] = trimNilValues(val);
  }
  return out;
}

function processDependencyImportValues(chart: Chart, merge: boolean, warn: Warn): void {
  for (const sub of chart.dependencies()) processDependencyImportValues(sub, merge, warn);
  processImportValues(chart, merge, warn);
}
