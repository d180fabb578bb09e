/**
 * Evaluation of a checked CEL expression. `&&` and `||` are commutative over errors as CEL specifies (`false &&
 * error` is false whichever side errs), comprehensions iterate lists and map keys, and failures are
 * {@linkcode CelEvalError}s with cel-go's wording (`no such key: min`).
 *
 * @module
 */
import { type Overload, TYPE_NAMES } from "./library.ts";
import type { Expr, Literal } from "./parser.ts";
import { typeName } from "./types.ts";
import { CelEvalError, CelMap, CelTypeValue, CelUint, type CelValue } from "./values.ts";

/** The overload the checker resolved each call to. */
type Resolved = Map<Expr, Overload>;

/**
 * Evaluate `expr` with `vars` bound, calling the overloads the checker resolved.
 *
 * @example
 * ```ts
 * const { overloads } = check(expr, types);
 * evaluate(expr, new Map([["self", new CelMap([["min", 1n], ["max", 2n]], true)]]), overloads); // true
 * ```
 */
export function evaluate(expr: Expr, vars: Map<string, CelValue>, resolved: Resolved): CelValue {
  switch (expr.k) {
    case "lit":
      return literal(expr.value);
    case "ident": {
      const v = vars.get(expr.name);
      if (v !== undefined) return v;
      const named = TYPE_NAMES[expr.name];
      if (named) return new CelTypeValue(typeName(named).replace(/\(.*$/, ""));
      throw new CelEvalError(`no such attribute: ${expr.name}`);
    }
    case "select": {
      const operand = evaluate(expr.operand, vars, resolved);
      if (!(operand instanceof CelMap)) throw new CelEvalError("no such overload");
      if (expr.test) return operand.has(expr.field);
      const v = operand.get(expr.field);
      if (v === undefined) throw new CelEvalError(`no such key: ${expr.field}`);
      return v;
    }
    case "list":
      return expr.elements.map((e) => evaluate(e, vars, resolved));
    case "map":
      return new CelMap(
        expr.entries.map(({ key, value }) => [evaluate(key, vars, resolved), evaluate(value, vars, resolved)]),
      );
    case "comprehension":
      return comprehension(expr, vars, resolved);
    case "call":
      return call(expr, vars, resolved);
  }
}

function literal(l: Literal): CelValue {
  switch (l.t) {
    case "uint":
      return new CelUint(l.v);
    case "null":
      return null;
    default:
      return l.v;
  }
}

/** The value of `e`, or the error it raised, so logical operators can absorb errors. */
function attempt(e: Expr, vars: Map<string, CelValue>, resolved: Resolved): CelValue | CelEvalError {
  try {
    return evaluate(e, vars, resolved);
  } catch (error) {
    if (error instanceof CelEvalError) return error;
    throw error;
  }
}

function logical(
  e: Extract<Expr, { k: "call" }>,
  vars: Map<string, CelValue>,
  resolved: Resolved,
  decisive: boolean,
): CelValue {
  const left = attempt(e.args[0], vars, resolved);
  if (left === decisive) return decisive;
  const right = attempt(e.args[1], vars, resolved);
  if (right === decisive) return decisive;
  if (left instanceof CelEvalError) throw left;
  if (right instanceof CelEvalError) throw right;
  if (typeof left !== "boolean" || typeof right !== "boolean") throw new CelEvalError("no such overload");
  return !decisive;
}

function call(e: Extract<Expr, { k: "call" }>, vars: Map<string, CelValue>, resolved: Resolved): CelValue {
  if (e.fn === "_&&_") return logical(e, vars, resolved, false);
  if (e.fn === "_||_") return logical(e, vars, resolved, true);
  if (e.fn === "_?_:_") {
    const cond = evaluate(e.args[0], vars, resolved);
    if (typeof cond !== "boolean") throw new CelEvalError("no such overload");
    return evaluate(cond ? e.args[1] : e.args[2], vars, resolved);
  }
  const target = e.target ? evaluate(e.target, vars, resolved) : undefined;
  const args = e.args.map((a) => evaluate(a, vars, resolved));
  const overload = resolved.get(e);
  if (!overload) throw new CelEvalError("no such overload");
  return overload.run(args, target);
}

function comprehension(
  e: Extract<Expr, { k: "comprehension" }>,
  vars: Map<string, CelValue>,
  resolved: Resolved,
): CelValue {
  const range = evaluate(e.range, vars, resolved);
  let items: CelValue[];
  if (Array.isArray(range)) items = range;
  else if (range instanceof CelMap) items = range.keys();
  else throw new CelEvalError("no such overload");
  const scope = new Map(vars);
  const run = (item: CelValue, body: Expr) => {
    scope.set(e.iterVar, item);
    return attempt(body, scope, resolved);
  };
  switch (e.macro) {
    case "all":
    case "exists": {
      const decisive = e.macro === "exists";
      let failure: CelEvalError | undefined;
      for (const item of items) {
        const v = run(item, e.predicate!);
        if (v === decisive) return decisive;
        if (v instanceof CelEvalError) failure ??= v;
        else if (typeof v !== "boolean") failure ??= new CelEvalError("no such overload");
      }
      if (failure) throw failure;
      return !decisive;
    }
    case "exists_one": {
      let count = 0;
      for (const item of items) {
        const v = run(item, e.predicate!);
        if (v instanceof CelEvalError) throw v;
        if (v === true) count++;
      }
      return count === 1;
    }
    case "map": {
      const out: CelValue[] = [];
      for (const item of items) {
        if (e.predicate) {
          const keep = run(item, e.predicate);
          if (keep instanceof CelEvalError) throw keep;
          if (keep !== true) continue;
        }
        const v = run(item, e.transform!);
        if (v instanceof CelEvalError) throw v;
        out.push(v);
      }
      return out;
    }
    case "filter": {
      const out: CelValue[] = [];
      for (const item of items) {
        const keep = run(item, e.predicate!);
        if (keep instanceof CelEvalError) throw keep;
        if (keep === true) out.push(item);
      }
      return out;
    }
  }
}
