/**
 * Go parameter types for template functions. A Go function's signature decides how a template call is checked
 * (`wrong number of args for trunc: want 2 got 1`) and how constants and values are converted
 * (`wrong type for value; expected int; got float64`); JavaScript functions declare theirs with
 * {@link withSignature}. A function without one takes any number of `interface {}` arguments.
 *
 * @module
 */
import type { GoFunc } from "./value.ts";

/** The parameter types a template function may declare, in Go's spelling. */
export type GoParam =
  | "interface {}"
  | "string"
  | "bool"
  | "int"
  | "int64"
  | "float64"
  | "[]interface {}"
  | "map[string]interface {}";

/**
 * A parameter type; `reflect.Value` (the builtins' own) sees a missing value as `undefined` and a nil held in a
 * map or slice as `null` instead of turning both into `null`.
 */
export type ParamType = GoParam | "reflect.Value";

/** A function's fixed parameters and, if variadic, the type of its `...` parameter. */
export interface Signature {
  params: readonly ParamType[];
  variadic?: ParamType;
}

const SIGNATURE = Symbol("gotemplate.signature");

type Signed = GoFunc & { [SIGNATURE]?: Signature };

/**
 * Declares `fn`'s Go signature so calls from templates are checked and converted as Go checks them.
 *
 * @example
 * ```ts
 * // func trunc(c int, s string) string
 * const trunc = withSignature((c, s) => String(s).slice(0, Number(c)), ["int", "string"]);
 * // func list(v ...interface{}) []interface{}
 * const list = withSignature((...v) => v, [], "interface {}");
 * ```
 */
export function withSignature(fn: GoFunc, params: readonly GoParam[], variadic?: GoParam): GoFunc {
  return declare(fn, { params, variadic });
}

/**
 * Attaches a signature that may use the builtins' `reflect.Value` parameters.
 *
 * @example
 * ```ts
 * // func len(item reflect.Value) (int, error)
 * declare(length, { params: ["reflect.Value"] });
 * ```
 */
export function declare(fn: GoFunc, signature: Signature): GoFunc {
  (fn as Signed)[SIGNATURE] = signature;
  return fn;
}

/**
 * The signature declared for `fn`, if any.
 *
 * @example
 * ```ts
 * signatureOf(withSignature((s) => s, ["string"]))?.params; // ["string"]
 * ```
 */
export function signatureOf(fn: GoFunc): Signature | undefined {
  return (fn as Signed)[SIGNATURE];
}
