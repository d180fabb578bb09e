/**
 * The builtin functions of Go's `text/template`: `and`, `or`, `not`, `len`, `index`, `slice`, `eq`, `ne`,
 * `lt`, `le`, `gt`, `ge`, `print`, `printf`, `println`, `html`, `js`, `urlquery` and `call`, with Go's
 * signatures and error texts. Arguments typed `reflect.Value` arrive as `undefined` when missing and `null`
 * when a nil held in a map or slice.
 *
 * @module
 */
import { htmlEscape, jsEscape, queryEscape } from "./escape.ts";
import { sprint, sprintf, sprintln } from "./fmt.ts";
import { declare, type ParamType, signatureOf } from "./signature.ts";
import { compareStrings, type GoFunc, goTypeName, isMap, isTrue } from "./value.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const VALUE: ParamType = "reflect.Value";

/** Go's `indirectInterface`: a nil held in an interface is no value at all. */
const indirect = (v: unknown) => v === null ? undefined : v;

/** `args` as text the way the escapers take them: nils print as `<no value>`, like template output. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === "string") return args[0];
  return sprint(...args.map((a) => a === null || a === undefined ? "<no value>" : a));
}

/** An index into a slice, array or string of capacity `cap` (Go's `indexArg`). */
function indexArg(index: unknown, cap: number): number {
  index = indirect(index);
  if (index === undefined) throw new Error("cannot index slice/array with nil");
  if (typeof index !== "bigint") throw new Error(`cannot index slice/array with type ${goTypeName(index)}`);
  if (index < 0n || index > BigInt(cap)) throw new Error(`index out of range: ${index}`);
  return Number(index);
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  item = indirect(item);
  if (item === undefined) throw new Error("index of untyped nil");
  for (const i of indexes) {
    if (item === null) throw new Error("index of nil pointer");
    if (typeof item === "string" || item instanceof Uint8Array) {
      const bytes = typeof item === "string" ? encoder.encode(item) : item;
      const x = indexArg(i, bytes.length);
      if (x === bytes.length) throw new Error("reflect: string index out of range");
      item = BigInt(bytes[x]);
    } else if (Array.isArray(item)) {
      const x = indexArg(i, item.length);
      if (x === item.length) throw new Error("reflect: slice index out of range");
      item = item[x] ?? null;
    } else if (isMap(item)) {
      const key = indirect(i);
      if (key === undefined) throw new Error("value is nil; should be of type string");
      if (typeof key !== "string") throw new Error(`value has type ${goTypeName(key)}; should be string`);
      item = Object.hasOwn(item, key) ? item[key] ?? null : null;
    } else {
      throw new Error(`can't index item of type ${goTypeName(item)}`);
    }
  }
  return item;
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  item = indirect(item);
  if (item === undefined) throw new Error("slice of untyped nil");
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  let length: number;
  if (typeof item === "string") {
    if (indexes.length === 3) throw new Error("cannot 3-index slice a string");
    length = encoder.encode(item).length;
  } else if (Array.isArray(item) || item instanceof Uint8Array) {
    length = item.length;
  } else {
    throw new Error(`can't slice item of type ${goTypeName(item)}`);
  }
  const idx = [0, length, length];
  indexes.forEach((i, n) => idx[n] = indexArg(i, length));
  if (idx[0] > idx[1]) throw new Error(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1] > idx[2]) throw new Error(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (typeof item === "string") return decoder.decode(encoder.encode(item).slice(idx[0], idx[1]));
  return item.slice(idx[0], idx[1]);
}

function length(item: unknown): bigint {
  if (item === null) throw new Error("len of nil pointer");
  if (item === undefined) throw new Error("reflect: call of reflect.Value.Type on zero Value");
  if (typeof item === "string") return BigInt(encoder.encode(item).length);
  if (Array.isArray(item) || item instanceof Uint8Array) return BigInt(item.length);
  if (isMap(item)) return BigInt(Object.keys(item).length);
  throw new Error(`len of type ${goTypeName(item)}`);
}

type Kind = "invalid" | "bool" | "int" | "float" | "string";

/** Go's `basicKind`: what `eq` and `lt` can compare directly. */
function basicKind(v: unknown): Kind {
  switch (typeof v) {
    case "boolean":
      return "bool";
    case "bigint":
      return "int";
    case "number":
      return "float";
    case "string":
      return "string";
  }
  return "invalid";
}

/** The reflect kind of a value that is not basic, for `eq`'s comparability rules. */
function reflectKind(v: unknown): string {
  if (v === undefined) return "invalid";
  if (typeof v === "function") return "func";
  if (Array.isArray(v) || v instanceof Uint8Array) return "slice";
  if (isMap(v)) return "map";
  return "struct";
}

function eq(arg1: unknown, ...arg2: unknown[]): boolean {
  arg1 = indirect(arg1);
  if (arg2.length === 0) throw new Error("missing argument for comparison");
  const k1 = basicKind(arg1);
  for (let arg of arg2) {
    arg = indirect(arg);
    const k2 = basicKind(arg);
    let truth: boolean;
    if (k1 !== k2) {
      if (arg1 !== undefined && arg !== undefined) throw new Error("incompatible types for comparison");
      truth = false;
    } else if (k1 !== "invalid") {
      truth = arg1 === arg;
    } else {
      const [r1, r2] = [reflectKind(arg1), reflectKind(arg)];
      if (r1 !== r2 && r1 !== "invalid" && r2 !== "invalid") {
        throw new Error(
          `non-comparable types ${sprintf("%s", arg1)}: ${goTypeName(arg1)}, ${goTypeName(arg)}: ${sprintf("%v", arg)}`,
        );
      }
      if (arg1 === undefined || arg === undefined) {
        truth = arg1 === arg;
      } else {
        if (r2 !== "struct") throw new Error(`non-comparable type ${sprintf("%s", arg)}: ${goTypeName(arg)}`);
        truth = arg1 === arg;
      }
    }
    if (truth) return true;
  }
  return false;
}

function lt(arg1: unknown, arg2: unknown): boolean {
  arg1 = indirect(arg1);
  arg2 = indirect(arg2);
  const [k1, k2] = [basicKind(arg1), basicKind(arg2)];
  if (k1 === "invalid" || k2 === "invalid") throw new Error("invalid type for comparison");
  if (k1 !== k2) throw new Error("incompatible types for comparison");
  if (k1 === "bool") throw new Error("invalid type for comparison");
  if (k1 === "string") return compareStrings(arg1 as string, arg2 as string) < 0;
  return (arg1 as number | bigint) < (arg2 as number | bigint);
}

const le = (a: unknown, b: unknown) => lt(a, b) || eq(a, b);

/**
 * `call fn args...`: calls a function value, checking its declared signature as Go checks a `func` value's
 * type. `name` is how the template spelled the function, for messages.
 *
 * @example
 * ```ts
 * callFunction(".F", (a) => a, ["x"]); // "x"
 * ```
 */
export function callFunction(name: string, fn: unknown, args: unknown[]): unknown {
  fn = indirect(fn);
  if (fn === undefined) throw new Error("call of nil");
  if (typeof fn !== "function") throw new Error(`non-function ${name} of type ${goTypeName(fn)}`);
  const signature = signatureOf(fn as GoFunc);
  const argv: unknown[] = args.map(indirect);
  if (signature) {
    const numIn = signature.params.length;
    if (signature.variadic !== undefined ? args.length < numIn : args.length !== numIn) {
      const want = signature.variadic !== undefined ? `at least ${numIn}` : String(numIn);
      throw new Error(`wrong number of args for ${name}: got ${args.length} want ${want}`);
    }
    argv.forEach((arg, i) => {
      const type = i < numIn ? signature.params[i] : signature.variadic!;
      argv[i] = prepareArg(arg, type, i);
    });
  }
  return (fn as GoFunc)(...argv.map((a) => a === undefined ? null : a));
}

/** Go's `prepareArg` for `call`: nil only where the type can hold it, otherwise the type must match. */
function prepareArg(value: unknown, type: ParamType, i: number): unknown {
  if (type === "interface {}" || type === "reflect.Value") return value;
  if (value === undefined) {
    if (type === "[]interface {}" || type === "map[string]interface {}") return null;
    throw new Error(`arg ${i}: value is nil; should be of type ${type}`);
  }
  if (!assignable(value, type)) throw new Error(`arg ${i}: value has type ${goTypeName(value)}; should be ${type}`);
  return value;
}

/**
 * Whether a value may be passed as a parameter of `type` (Go's `AssignableTo` for the shared value model).
 *
 * @example
 * ```ts
 * assignable(3n, "int"); // true
 * assignable(3, "int"); // false: a float64
 * ```
 */
export function assignable(value: unknown, type: ParamType): boolean {
  switch (type) {
    case "interface {}":
    case "reflect.Value":
      return true;
    case "string":
      return typeof value === "string";
    case "bool":
      return typeof value === "boolean";
    case "int":
    case "int64":
      return typeof value === "bigint";
    case "float64":
      return typeof value === "number";
    case "[]interface {}":
      return Array.isArray(value);
    case "map[string]interface {}":
      return isMap(value);
  }
}

const unreachable = () => {
  throw new Error("unreachable: evaluated by the executor");
};

/** The builtins by name. `and`, `or` and `call` are evaluated by the executor itself. */
export const BUILTINS: Readonly<Record<string, GoFunc>> = {
  and: declare(unreachable, { params: [VALUE], variadic: VALUE }),
  or: declare(unreachable, { params: [VALUE], variadic: VALUE }),
  call: declare(unreachable, { params: [VALUE], variadic: VALUE }),
  not: declare((arg) => !isTrue(arg), { params: [VALUE] }),
  len: declare(length, { params: [VALUE] }),
  index: declare(index, { params: [VALUE], variadic: VALUE }),
  slice: declare(slice, { params: [VALUE], variadic: VALUE }),
  eq: declare(eq, { params: [VALUE], variadic: VALUE }),
  ne: declare((a, b) => !eq(a, b), { params: [VALUE, VALUE] }),
  lt: declare(lt, { params: [VALUE, VALUE] }),
  le: declare(le, { params: [VALUE, VALUE] }),
  gt: declare((a, b) => !le(a, b), { params: [VALUE, VALUE] }),
  ge: declare((a, b) => !lt(a, b), { params: [VALUE, VALUE] }),
  print: declare(sprint, { params: [], variadic: "interface {}" }),
  printf: declare((format, ...args) => sprintf(format as string, ...args), {
    params: ["string"],
    variadic: "interface {}",
  }),
  println: declare(sprintln, { params: [], variadic: "interface {}" }),
  html: declare((...args) => htmlEscape(evalArgs(args)), { params: [], variadic: "interface {}" }),
  js: declare((...args) => jsEscape(evalArgs(args)), { params: [], variadic: "interface {}" }),
  urlquery: declare((...args) => queryEscape(evalArgs(args)), { params: [], variadic: "interface {}" }),
};
