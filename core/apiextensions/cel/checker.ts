/**
 * Static type checking of a parsed CEL expression against the variables' types, with cel-go's messages
 * (`undefined field 'foo'`, `found no matching overload for '_<=_' applied to '(int, string)'`,
 * `undeclared reference to 'x' (in container '')`), so a CRD with a rule that cannot work is refused when it is
 * written rather than failing every object later.
 *
 * @module
 */
import { FUNCTIONS, type Overload, TYPE_NAMES } from "./library.ts";
import { CelError, type Expr } from "./parser.ts";
import { type CelType, listOf, mapOf, T, typeName, unify } from "./types.ts";

/** The result of checking: the expression's type, the variables it reads, and the overload each call resolved to. */
export interface Checked {
  type: CelType;
  references: Set<string>;
  overloads: Map<Expr, Overload>;
}

/**
 * Type-check `expr` with `vars` in scope; throws a {@linkcode CelError} at the first problem.
 *
 * @example
 * ```ts
 * check(parse("self.size() > 1"), new Map([["self", listOf(T.int)]])).type; // bool
 * ```
 */
export function check(expr: Expr, vars: Map<string, CelType>): Checked {
  const checker = new Checker();
  const type = checker.check(expr, vars);
  return { type, references: checker.references, overloads: checker.overloads };
}

function signature(args: CelType[], target?: CelType): string {
  const list = `(${args.map(typeName).join(", ")})`;
  return target ? `${typeName(target)}.${list}` : list;
}

class Checker {
  readonly references = new Set<string>();
  readonly overloads = new Map<Expr, Overload>();

  check(e: Expr, vars: Map<string, CelType>): CelType {
    switch (e.k) {
      case "lit":
        return literalType(e.value.t);
      case "ident": {
        const t = vars.get(e.name);
        if (t) {
          this.references.add(e.name);
          return t;
        }
        const named = TYPE_NAMES[e.name];
        if (named) return { k: "type", of: named };
        throw new CelError(e.pos, `undeclared reference to '${e.name}' (in container '')`);
      }
      case "select":
        return this.#select(e, vars);
      case "list": {
        let elem: CelType | undefined;
        for (const item of e.elements) {
          const t = this.check(item, vars);
          elem = elem === undefined ? t : unify(elem, t) ?? T.dyn;
        }
        return listOf(elem ?? T.dyn);
      }
      case "map": {
        let key: CelType | undefined, value: CelType | undefined;
        for (const entry of e.entries) {
          const k = this.check(entry.key, vars), v = this.check(entry.value, vars);
          if (!["string", "int", "uint", "bool", "dyn"].includes(k.k)) {
            throw new CelError(entry.key.pos, `unsupported map key type: ${typeName(k)}`);
          }
          key = key === undefined ? k : unify(key, k) ?? T.dyn;
          value = value === undefined ? v : unify(value, v) ?? T.dyn;
        }
        return mapOf(key ?? T.dyn, value ?? T.dyn);
      }
      case "comprehension":
        return this.#comprehension(e, vars);
      case "call":
        return this.#call(e, vars);
    }
  }

  #select(e: Extract<Expr, { k: "select" }>, vars: Map<string, CelType>): CelType {
    const operand = this.check(e.operand, vars);
    let t: CelType;
    if (operand.k === "object") {
      const field = operand.fields.get(e.field);
      if (!field) throw new CelError(e.pos, `undefined field '${e.field}'`);
      t = field;
    } else if (operand.k === "map") {
      if (operand.key.k !== "string" && operand.key.k !== "dyn") {
        throw new CelError(e.pos, `type '${typeName(operand)}' does not support field selection`);
      }
      t = operand.value;
    } else if (operand.k === "dyn" || operand.k === "error") {
      t = T.dyn;
    } else {
      throw new CelError(e.pos, `type '${typeName(operand)}' does not support field selection`);
    }
    return e.test ? T.bool : t;
  }

  #comprehension(e: Extract<Expr, { k: "comprehension" }>, vars: Map<string, CelType>): CelType {
    const range = this.check(e.range, vars);
    let elem: CelType;
    if (range.k === "list") elem = range.elem;
    else if (range.k === "map") elem = range.key;
    else if (range.k === "dyn") elem = T.dyn;
    else {
      throw new CelError(
        e.range.pos,
        `expression of type '${typeName(range)}' cannot be range of a comprehension (must be list, map, or dynamic)`,
      );
    }
    const scope = new Map(vars);
    scope.set(e.iterVar, elem);
    if (e.predicate) {
      const p = this.check(e.predicate, scope);
      if (p.k !== "bool" && p.k !== "dyn") {
        throw new CelError(
          e.predicate.pos,
          `found no matching overload for '_&&_' applied to '(bool, ${typeName(p)})'`,
        );
      }
    }
    switch (e.macro) {
      case "map":
        return listOf(this.check(e.transform!, scope));
      case "filter":
        return listOf(elem);
      default:
        return T.bool;
    }
  }

  #call(e: Extract<Expr, { k: "call" }>, vars: Map<string, CelType>): CelType {
    if (e.fn === "_&&_" || e.fn === "_||_") {
      const args = e.args.map((a) => this.check(a, vars));
      if (!args.every((a) => a.k === "bool" || a.k === "dyn")) {
        throw new CelError(e.pos, `found no matching overload for '${e.fn}' applied to '${signature(args)}'`);
      }
      return T.bool;
    }
    if (e.fn === "_?_:_") {
      const args = e.args.map((a) => this.check(a, vars));
      const branches = unify(args[1], args[2]);
      if ((args[0].k !== "bool" && args[0].k !== "dyn") || !branches) {
        throw new CelError(e.pos, `found no matching overload for '_?_:_' applied to '${signature(args)}'`);
      }
      return branches;
    }
    const target = e.target ? this.check(e.target, vars) : undefined;
    const args = e.args.map((a) => this.check(a, vars));
    const overloads = FUNCTIONS[e.fn];
    if (!overloads) throw new CelError(e.pos, `undeclared reference to '${e.fn}' (in container '')`);
    for (const overload of overloads) {
      const t = overload.check(args, target);
      if (t) {
        this.overloads.set(e, overload);
        return t;
      }
    }
    throw new CelError(e.pos, `found no matching overload for '${e.fn}' applied to '${signature(args, target)}'`);
  }
}

function literalType(t: string): CelType {
  switch (t) {
    case "int":
      return T.int;
    case "uint":
      return T.uint;
    case "double":
      return T.double;
    case "string":
      return T.string;
    case "bytes":
      return T.bytes;
    case "bool":
      return T.bool;
    default:
      return T.null;
  }
}
