/**
 * A small, honest CEL: parse, type-check and evaluate the expressions CRD validation rules are written in.
 * What it cannot handle it refuses at compile time with cel-go's message format, never silently.
 *
 * @example
 * ```ts
 * const compiled = compile("self.min <= self.max", new Map([["self", selfType]]));
 * if ("error" in compiled) throw new Error(compiled.error);
 * compiled.program.evaluate(new Map([["self", fromJson(spec, selfType)]])); // true
 * ```
 *
 * @module
 */
import { check } from "./checker.ts";
import { evaluate } from "./interpreter.ts";
import { CelError, type Expr, parse } from "./parser.ts";
import type { CelType } from "./types.ts";
import type { CelValue } from "./values.ts";

export { type CelType, escapeProperty, schemaType, T, typeName } from "./types.ts";
export { CelEvalError, CelMap, type CelValue, fromJson } from "./values.ts";

/** A compiled expression. */
export interface Program {
  /** The expression's static type. */
  type: CelType;
  /** Variables it reads (`oldSelf` makes a rule a transition rule). */
  references: Set<string>;
  /** Run it; throws `CelEvalError` for runtime errors. */
  evaluate(vars: Map<string, CelValue>): CelValue;
}

/**
 * cel-go's rendering of an issue: `ERROR: <input>:1:6: message`, then the source line and a caret.
 *
 * @example
 * ```ts
 * formatIssue("self.foo", 4, "undefined field 'foo'");
 * // "ERROR: <input>:1:5: undefined field 'foo'\n | self.foo\n | ....^"
 * ```
 */
export function formatIssue(source: string, offset: number, message: string): string {
  const before = source.slice(0, offset);
  const line = before.split("\n").length;
  const lineStart = before.lastIndexOf("\n") + 1;
  const column = [...source.slice(lineStart, offset)].length;
  const text = source.split("\n")[line - 1] ?? "";
  return `ERROR: <input>:${line}:${column + 1}: ${message}\n | ${text}\n | ${".".repeat(column)}^`;
}

/**
 * Parse and type-check `source` with `vars` in scope.
 *
 * @example
 * ```ts
 * compile("self > 1", new Map([["self", T.string]]));
 * // { error: "ERROR: <input>:1:6: found no matching overload for '_>_' applied to '(string, int)'\n | self > 1\n | .....^" }
 * ```
 */
export function compile(source: string, vars: Map<string, CelType>): { program: Program } | { error: string } {
  let expr: Expr;
  try {
    expr = parse(source);
    const { type, references, overloads } = check(expr, vars);
    return { program: { type, references, evaluate: (bindings) => evaluate(expr, bindings, overloads) } };
  } catch (error) {
    if (error instanceof CelError) return { error: formatIssue(source, error.pos, error.message) };
    throw error;
  }
}
