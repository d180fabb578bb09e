/**
 * Helm's `engine.Render`: every template of a chart and its subcharts parsed into one template set (deepest
 * first, so a parent's `define` wins), each non-partial rendered with its own scope and `.Template`, with
 * Helm's render-bound functions — `include` (with its recursion limit), `tpl` (parsed in a copy of the set, named
 * "gotpl" as Helm names it), `required`, `fail` and `lookup` — and Helm's error wording
 * (`parse error at (…)`, `execution error at (…)`). Missing values render as nothing (`missingkey=zero`, and
 * `<no value>` removed), or fail in strict mode.
 *
 * @module
 */

import { quote, TemplateError, TemplateSet, withSignature } from "../gotemplate/mod.ts";
import type { Chart } from "../chart/chart.ts";
import type { Values } from "../chart/values.ts";
import { sprigFunctions } from "../sprig/mod.ts";
import { helmFunctions } from "./funcs.ts";
import { type LookupFunc, LookupReplay } from "./lookup.ts";
import { allTemplates, type Renderable } from "./scope.ts";

/** Options of {@link render}. */
export interface RenderOptions {
  /** Fail on values that are not there (`helm --strict`, `missingkey=error`). */
  strict?: boolean;
  /** Backs the `lookup` function; without it lookups return an empty map, as in `helm template`. */
  lookup?: LookupFunc;
}

const RECURSION_MAX = 1000;
const WARN_START = "HELM_ERR_START";
const WARN_END = "HELM_ERR_END";
/** How many times a render may be repeated to answer the `lookup`s it makes. */
const MAX_LOOKUP_PASSES = 50;

/**
 * Renders `chart` with the values from `toRenderValues`, returning the output of every non-partial template by
 * name (NOTES.txt included, as Helm returns it).
 *
 * @example
 * ```ts
 * const out = await render(chart, toRenderValues(chart, userValues, releaseOptions));
 * out["greeter/templates/cm.yaml"]; // "apiVersion: v1\nkind: ConfigMap\n…"
 * ```
 */
export async function render(
  chart: Chart,
  values: Values,
  options: RenderOptions = {},
): Promise<Record<string, string>> {
  const templates = allTemplates(chart, values);
  const lookups = new LookupReplay(options.lookup);
  for (let pass = 1;; pass++) {
    let output: Record<string, string> | undefined;
    let failure: unknown;
    try {
      output = renderPass(templates, lookups.templateFunction(), options.strict ?? false);
    } catch (error) {
      failure = error;
    }
    if (!(await lookups.settle()) || pass >= MAX_LOOKUP_PASSES) {
      if (output) return output;
      throw failure;
    }
  }
}

function renderPass(templates: Map<string, Renderable>, lookup: (...args: unknown[]) => unknown, strict: boolean) {
  const set = new TemplateSet({ missingKey: strict ? "error" : "zero", name: "gotpl" });
  const included = new Map<string, number>();
  set.addFuncs({
    ...sprigFunctions(),
    ...helmFunctions(),
    include: includeFunction(set, included),
    tpl: tplFunction(set, included),
    required: withSignature((warn, value) => {
      if (value === null || value === undefined || value === "") throw new Error(WARN_START + warn + WARN_END);
      return value;
    }, ["string", "interface {}"]),
    fail: withSignature((message) => {
      throw new Error(WARN_START + message + WARN_END);
    }, ["string"]),
    lookup,
    getHostByName: withSignature(() => "", ["string"]),
  });
  const names = sortTemplates([...templates.keys()]);
  for (const name of names) {
    try {
      set.parse(name, templates.get(name)!.text);
    } catch (error) {
      throw parseError(name, error);
    }
  }
  const rendered: Record<string, string> = {};
  for (const name of names) {
    if (name.slice(name.lastIndexOf("/") + 1).startsWith("_")) continue;
    const { scope, basePath } = templates.get(name)!;
    scope.Template = { Name: name, BasePath: basePath };
    let out: string;
    try {
      out = set.execute(name, scope);
    } catch (error) {
      throw execError(name, error);
    }
    rendered[name] = out.replaceAll("<no value>", "");
  }
  return rendered;
}

/** `include`: runs a named template into a string, refusing to nest one name more than 1000 deep. */
function includeFunction(set: TemplateSet, included: Map<string, number>) {
  return withSignature((name, data) => {
    const n = name as string;
    const count = included.get(n);
    if (count !== undefined && count > RECURSION_MAX) {
      throw new Error(`rendering template has a nested reference name: ${n}: unable to execute template`);
    }
    included.set(n, (count ?? 0) + 1);
    try {
      return set.execute(n, data);
    } catch (error) {
      // The engine's own nesting limit can come before Helm's count of 1000 includes; it is the same runaway
      // recursion, so it is reported as Helm reports it.
      if (
        error instanceof TemplateError && error.message.startsWith(`template: ${n}: exceeded maximum template depth`)
      ) {
        throw new Error(`rendering template has a nested reference name: ${n}: unable to execute template`);
      }
      throw error;
    } finally {
      included.set(n, included.get(n)! - 1);
    }
  }, ["string", "interface {}"]);
}

/**
 * `tpl`: renders a string as a template in a copy of the set (so its `define`s see the chart's and vanish
 * afterwards), with `include` and `tpl` bound to that copy.
 */
function tplFunction(parent: TemplateSet, included: Map<string, number>) {
  return withSignature((text, data) => {
    const t = parent.clone();
    t.addFuncs({ include: includeFunction(t, included), tpl: tplFunction(t, included) });
    try {
      t.parse("gotpl", text as string);
    } catch (error) {
      throw new Error(`cannot parse template ${quote(text as string)}: ${(error as Error).message}`);
    }
    let out: string;
    try {
      out = t.execute("gotpl", data);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      throw new Error(`error during tpl function execution for ${quote(text as string)}: ${error.message}`);
    }
    return out.replaceAll("<no value>", "");
  }, ["string", "interface {}"]);
}

/**
 * Helm's parse order: deeper paths first (subcharts before their parents), reverse lexical within a depth.
 *
 * @example
 * ```ts
 * sortTemplates(["a/templates/x", "a/charts/b/templates/y"]); // ["a/charts/b/templates/y", "a/templates/x"]
 * ```
 */
export function sortTemplates(names: string[]): string[] {
  const depth = (s: string) => s.split("/").length;
  return [...names].sort((a, b) => depth(b) - depth(a) || (a < b ? 1 : a > b ? -1 : 0));
}

/** Helm's `cleanupParseError`: `parse error at (<file>:<line>): <last part of Go's message>`. */
function parseError(name: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const tokens = message.split(": ");
  if (tokens.length === 1) return new Error(`parse error in (${name}): ${message}`);
  return new Error(`parse error at (${tokens[1]}): ${tokens[tokens.length - 1]}`);
}

/**
 * Helm's `cleanupExecError`: a `required`/`fail` message becomes `execution error at (<file>:<line>:<col>): <msg>`;
 * other template errors are kept as Go wrote them; anything else is a failed render, as Helm's recover reports it.
 */
function execError(name: string, error: unknown): Error {
  if (!(error instanceof TemplateError)) {
    return new Error(`rendering template failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const message = error.message;
  if (message.startsWith("template: no template ")) return error;
  const first = message.indexOf(": ");
  const second = first < 0 ? -1 : message.indexOf(": ", first + 2);
  if (second < 0) return new Error(`execution error in (${name}): ${message}`);
  const location = message.slice(first + 2, second);
  const warning = new RegExp(`${WARN_START}([\\s\\S]*)${WARN_END}`).exec(message.slice(second + 2));
  return warning ? new Error(`execution error at (${location}): ${warning[1]}`) : error;
}
