/**
 * What each template of a chart tree renders with (Helm's `allTemplates`/`recAllTpls`): its name
 * (`<chart>/templates/<file>`, `<parent>/charts/<sub>/templates/<file>` for subcharts), its text, and its scope —
 * `.Values` narrowed to the subchart's own table, `.Chart` (the metadata plus `IsRoot`), `.Files`, `.Release`,
 * `.Capabilities` and `.Subcharts`.
 *
 * @module
 */

import type { Chart } from "../chart/chart.ts";
import { ChartMetadata } from "../chart/metadata.ts";
import { table, type Values } from "../chart/values.ts";
import { setEntry } from "../sprig/gomap.ts";
import { newFiles } from "./files.ts";

/** `.Chart` in a template: Helm's `struct{ chart.Metadata; IsRoot bool }`. */
export class TemplateChart extends ChartMetadata {
  IsRoot = false;

  override MarshalJSON(): string {
    const fields = super.MarshalJSON();
    return `${fields.slice(0, -1)}${fields === "{}" ? "" : ","}"IsRoot":${this.IsRoot}}`;
  }
}

/** A template to render: its text, its scope, and the `templates` directory of its chart (`.Template.BasePath`). */
export interface Renderable {
  text: string;
  scope: Values;
  basePath: string;
}

/**
 * Every template of `chart` and its subcharts by full name, with the scope it renders in. Library charts
 * contribute only their partials (`_*`).
 *
 * @example
 * ```ts
 * const templates = allTemplates(chart, renderValues);
 * templates.get("greeter/charts/sub/templates/cm.yaml")?.scope.Values; // the subchart's values
 * ```
 */
export function allTemplates(chart: Chart, values: Values): Map<string, Renderable> {
  const templates = new Map<string, Renderable>();
  collect(chart, templates, values);
  return templates;
}

function collect(chart: Chart, templates: Map<string, Renderable>, parent: Values): Values {
  const subcharts: Values = {};
  const chartScope = Object.assign(new TemplateChart(), chart.metadata, { IsRoot: chart.isRoot() });
  const next: Values = {
    Chart: chartScope,
    Files: newFiles(chart.files),
    Release: parent.Release,
    Capabilities: parent.Capabilities,
    Values: {},
    Subcharts: subcharts,
  };
  if (chart.isRoot()) {
    next.Values = parent.Values;
  } else {
    try {
      next.Values = table(parent, `Values.${chart.name()}`);
    } catch {
      // Helm leaves .Values empty when the parent has no table for the subchart.
    }
  }
  for (const child of chart.dependencies()) setEntry(subcharts, child.name(), collect(child, templates, next));
  const base = chart.chartFullPath();
  const library = chart.metadata.Type.toLowerCase() === "library";
  for (const t of chart.templates) {
    if (library && !t.name.slice(t.name.lastIndexOf("/") + 1).startsWith("_")) continue;
    templates.set(joinPath(base, t.name), {
      text: new TextDecoder().decode(t.data),
      scope: next,
      basePath: joinPath(base, "templates"),
    });
  }
  return next;
}

/** Go's `path.Join` for the relative names used here. */
function joinPath(a: string, b: string): string {
  const parts: string[] = [];
  for (const part of `${a}/${b}`.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
    else parts.push(part);
  }
  return parts.join("/");
}
