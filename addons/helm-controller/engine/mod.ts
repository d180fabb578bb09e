/**
 * Helm 3's template engine (`engine.Render`) over Go's text/template and Sprig: every template of a chart tree
 * rendered with its scope, Helm's functions (`include`, `tpl`, `required`, `fail`, `lookup`, `toYaml`, …) and
 * `.Files`.
 *
 * @example
 * ```ts
 * import { render } from "./mod.ts";
 * const out = await render(chart, renderValues, { lookup: (apiVersion, kind, ns, name) => fetchObject(apiVersion, kind, ns, name) });
 * ```
 *
 * @module
 */
export { type Files, newFiles } from "./files.ts";
export { helmFunctions, toYaml } from "./funcs.ts";
export type { LookupFunc } from "./lookup.ts";
export { render, type RenderOptions, sortTemplates } from "./render.ts";
export { TemplateChart } from "./scope.ts";
