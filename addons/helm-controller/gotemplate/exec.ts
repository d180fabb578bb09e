/**
 * The template executor, Go's `text/template` `exec.go`: walks a parse tree with dot and variables, evaluates
 * pipelines, fields, methods and function calls with Go's conversions, and fails with Go's error text and
 * location (`template: cm.yaml:5:12: executing "cm.yaml" at <.Values.x.y>: …`).
 *
 * Values follow the shared model; inside the executor `undefined` is Go's invalid `reflect.Value` (a missing
 * map key, no value) while `null` is a nil held in an interface (a `null` in a map or slice).
 *
 * @module
 */
import { TemplateError } from "./error.ts";
import { formatValue } from "./fmt.ts";
import { assignable, BUILTINS, callFunction } from "./funcs.ts";
import {
  type BranchNode,
  type ChainNode,
  type CommandNode,
  type FieldNode,
  type IdentifierNode,
  type Node,
  nodeString,
  type NumberNode,
  type PipeNode,
  type TemplateNode,
  type Tree,
  type VariableNode,
} from "./node.ts";
import { quote } from "./quote.ts";
import { type ParamType, signatureOf } from "./signature.ts";
import { type GoFunc, goTypeName, isMap, isStruct, isTrue, sortedKeys, stringerText } from "./value.ts";

/**
 * How deep templates may call templates (`{{template}}` and functions that execute templates, such as Helm's
 * `include`). Go allows 100000 but only 1000 on wasm, whose stacks are small like JavaScript's.
 */
export const MAX_EXEC_DEPTH = 1000;

/** What `missingkey` says a missing map key yields: no value, the zero value (nil), or an error. */
export type MissingKey = "default" | "zero" | "error";

/** What execution needs from its template set. */
export interface ExecContext {
  lookup(name: string): Tree | undefined;
  /** A user function by name; builtins are found after these, so user functions may replace them. */
  userFunction(name: string): GoFunc | undefined;
  missingKey: MissingKey;
}

/** Dot, and whether its static type is `interface {}` (an element of a map or slice), which errors name. */
interface Dot {
  value: unknown;
  boxed: boolean;
}

interface Variable {
  name: string;
  value: unknown;
  boxed: boolean;
}

const MISSING = Symbol("missing");
type Final = unknown | typeof MISSING;

/** Thrown by {{break}} and {{continue}} to the range that runs them, as Go panics with sentinels. */
const BREAK = Symbol("break");
const CONTINUE = Symbol("continue");

/** Templates currently executing, across nested executions started from functions. */
let depth = 0;

const encoder = new TextEncoder();

/**
 * Whether JavaScript ran out of stack: deep template recursion can exhaust it before {@link MAX_EXEC_DEPTH}, and
 * is then reported as Go reports too deep a recursion.
 */
function isStackOverflow(err: unknown): boolean {
  return (err instanceof RangeError || err instanceof SyntaxError) && /call stack|stack overflow/i.test(err.message);
}

/** Where a node is, as Go's `ErrorContext` reports it: "name:line:byteColumn", and the node's text. */
function errorContext(node: Node): [string, string] {
  const before = node.tree.text.slice(0, node.pos);
  const lineStart = before.lastIndexOf("\n") + 1;
  const line = before.split("\n").length;
  const column = encoder.encode(before.slice(lineStart)).length;
  return [`${node.tree.parseName}:${line}:${column}`, nodeString(node)];
}

/** The member `name` of a map, slice or struct: own properties only, except a class's (a struct's) members. */
function member(receiver: object, name: string): { found: boolean; value?: unknown } {
  if (isMap(receiver) || Array.isArray(receiver) || receiver instanceof Uint8Array) {
    return Object.hasOwn(receiver, name) ? { found: true, value: (receiver as Record<string, unknown>)[name] } : {
      found: false,
    };
  }
  for (let o: object | null = receiver; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    if (Object.hasOwn(o, name)) return { found: true, value: (receiver as Record<string, unknown>)[name] };
  }
  return { found: false };
}

class State {
  node: Node | undefined;

  constructor(
    readonly ctx: ExecContext,
    readonly name: string,
    readonly out: string[],
    public vars: Variable[],
  ) {}

  errorf(message: string): never {
    if (this.node === undefined) throw new TemplateError(`template: ${this.name}: ${message}`, this.name);
    const [location, context] = errorContext(this.node);
    throw new TemplateError(
      `template: ${location}: executing ${quote(this.name)} at <${context}>: ${message}`,
      this.name,
    );
  }

  at(node: Node): void {
    this.node = node;
  }

  setVar(name: string, value: unknown, boxed = false): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i] = { name, value, boxed };
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  varValue(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) return this.vars[i];
    }
    this.errorf(`undefined variable: ${name}`);
  }

  walk(dot: Dot, node: Node): void {
    this.at(node);
    switch (node.type) {
      case "action": {
        // Variables an action declares live until the enclosing {{end}}, so nothing is popped here.
        const value = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, value);
        return;
      }
      case "break":
        throw BREAK;
      case "continue":
        throw CONTINUE;
      case "comment":
        return;
      case "if":
      case "with":
        return this.walkIfOrWith(dot, node);
      case "list":
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case "range":
        return this.walkRange(dot, node);
      case "template":
        return this.walkTemplate(dot, node);
      case "text":
        this.out.push(node.text);
        return;
    }
    this.errorf(`unknown node: ${nodeString(node)}`);
  }

  walkIfOrWith(dot: Dot, node: BranchNode): void {
    const mark = this.vars.length;
    try {
      const value = this.evalPipeline(dot, node.pipe);
      if (isTrue(value)) this.walk(node.type === "with" ? { value, boxed: false } : dot, node.list);
      else if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.vars.length = mark;
    }
  }

  walkRange(dot: Dot, r: BranchNode): void {
    this.at(r);
    const outer = this.vars.length;
    try {
      const value = this.evalPipeline(dot, r.pipe);
      const mark = this.vars.length;
      const decl = r.pipe.decl;
      const oneIteration = (index: unknown, elem: unknown, boxed: boolean) => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) {
            if (decl.length > 1) this.setVar(decl[0].ident[0], index);
            else this.setVar(decl[0].ident[0], elem, boxed);
          } else {
            this.vars[this.vars.length - 1] = { ...this.vars[this.vars.length - 1], value: elem, boxed };
          }
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1].ident[0], elem, boxed);
          else this.vars[this.vars.length - 2] = { ...this.vars[this.vars.length - 2], value: index, boxed: false };
        }
        try {
          this.walk({ value: elem, boxed }, r.list);
        } catch (signal) {
          if (signal !== CONTINUE) throw signal;
        } finally {
          this.vars.length = mark;
        }
      };
      let ran = false;
      if (typeof value === "bigint") {
        if (decl.length > 1) this.errorf(`can't use ${formatValue(value)} to iterate over more than one variable`);
        for (let i = 0n; i < value; i++) {
          ran = true;
          oneIteration(undefined, i, false);
        }
      } else if (Array.isArray(value) || value instanceof Uint8Array) {
        const items: unknown[] = Array.isArray(value) ? value : [...value].map(BigInt);
        items.forEach((item, i) => {
          ran = true;
          oneIteration(BigInt(i), item ?? null, true);
        });
      } else if (isMap(value)) {
        for (const key of sortedKeys(value)) {
          ran = true;
          oneIteration(key, value[key] ?? null, true);
        }
      } else if (value !== undefined && value !== null) {
        this.errorf(`range can't iterate over ${formatValue(value)}`);
      }
      if (!ran && r.elseList) this.walk(dot, r.elseList);
    } catch (signal) {
      if (signal !== BREAK) throw signal;
    } finally {
      this.vars.length = outer;
    }
  }

  walkTemplate(dot: Dot, t: TemplateNode): void {
    this.at(t);
    const tree = this.ctx.lookup(t.name);
    if (tree === undefined) this.errorf(`template ${quote(t.name)} not defined`);
    if (depth >= MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    // Variables the pipeline declares persist in the caller; the callee sees only its own $.
    const value = this.evalPipeline(dot, t.pipe);
    depth++;
    try {
      new State(this.ctx, tree.name, this.out, [{ name: "$", value, boxed: false }]).walk(
        { value, boxed: false },
        tree.root,
      );
    } catch (err) {
      if (!isStackOverflow(err)) throw err;
      this.at(t);
      this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    } finally {
      depth--;
    }
  }

  evalPipeline(dot: Dot, pipe: PipeNode | null): unknown {
    if (pipe === null) return undefined;
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // An interface{} result is unwrapped: a nil one becomes no value at all.
      if (value === null) value = undefined;
    }
    for (const variable of pipe.decl) {
      if (pipe.isAssign) this.setVar(variable.ident[0], value);
      else this.vars.push({ name: variable.ident[0], value, boxed: false });
    }
    return value;
  }

  notAFunction(args: Node[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0])}`);
  }

  evalCommand(dot: Dot, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0];
    switch (first.type) {
      case "field":
        return this.evalFieldNode(dot, first, cmd.args, final);
      case "chain":
        return this.evalChainNode(dot, first, cmd.args, final);
      case "identifier":
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case "pipe":
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case "variable":
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case "bool":
        return first.value;
      case "dot":
        return dot.value;
      case "nil":
        return this.errorf("nil is not a command");
      case "number":
        return this.idealConstant(first);
      case "string":
        return first.text;
    }
    this.errorf(`can't evaluate command ${quote(nodeString(first))}`);
  }

  /** A number constant with no type to fit: its syntax decides between int and float64, as in Go. */
  idealConstant(constant: NumberNode): unknown {
    this.at(constant);
    const text = constant.text;
    const hexInt = text.length > 2 && text[0] === "0" && "xX".includes(text[1]) && !/[pP]/.test(text);
    if (constant.isFloat && !hexInt && !text.startsWith("'") && /[.eEpP]/.test(text)) return constant.float64;
    if (constant.isInt) return constant.int64;
    if (constant.isUint) this.errorf(`${text} overflows int`);
    return undefined;
  }

  evalFieldNode(dot: Dot, field: FieldNode, args: Node[] | null, final: Final): unknown {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  evalChainNode(dot: Dot, chain: ChainNode, args: Node[] | null, final: Final): unknown {
    this.at(chain);
    if (chain.node.type === "nil") this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const head = this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(dot, { value: head, boxed: false }, chain, chain.field, args, final);
  }

  evalVariableNode(dot: Dot, variable: VariableNode, args: Node[] | null, final: Final): unknown {
    this.at(variable);
    const v = this.varValue(variable.ident[0]);
    if (variable.ident.length === 1) {
      this.notAFunction(args ?? [], final);
      return v.value;
    }
    return this.evalFieldChain(dot, v, variable, variable.ident.slice(1), args, final);
  }

  /** `.X.Y.Z`, the last one possibly a method called with arguments. */
  evalFieldChain(
    dot: Dot,
    receiver: Dot,
    node: Node,
    ident: string[],
    args: Node[] | null,
    final: Final,
  ): unknown {
    for (let i = 0; i < ident.length - 1; i++) receiver = this.evalField(dot, ident[i], node, null, MISSING, receiver);
    return this.evalField(dot, ident[ident.length - 1], node, args, final, receiver).value;
  }

  evalField(dot: Dot, fieldName: string, node: Node, args: Node[] | null, final: Final, receiver: Dot): Dot {
    const value = receiver.value;
    if (value === undefined) {
      if (this.ctx.missingKey === "error") this.errorf(`nil data; no entry for key ${quote(fieldName)}`);
      return { value: undefined, boxed: false };
    }
    if (value === null) this.errorf(`nil pointer evaluating interface {}.${fieldName}`);
    const typeName = receiver.boxed ? "interface {}" : goTypeName(value);
    if (typeof value === "object" && !(value instanceof Date)) {
      const m = member(value, fieldName);
      if (m.found && typeof m.value === "function") {
        const method = m.value as GoFunc;
        const bound: GoFunc = (...a) => method.apply(value, a);
        return { value: this.evalCall(dot, bound, method, false, node, fieldName, args, final), boxed: false };
      }
      const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
      if (isMap(value)) {
        if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
        if (m.found) return { value: m.value ?? null, boxed: true };
        switch (this.ctx.missingKey) {
          case "zero":
            return { value: null, boxed: true };
          case "error":
            this.errorf(`map has no entry for key ${quote(fieldName)}`);
        }
        return { value: undefined, boxed: false };
      }
      if (isStruct(value) && m.found) {
        if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
        return { value: m.value ?? null, boxed: false };
      }
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typeName}`);
  }

  evalFunction(dot: Dot, node: IdentifierNode, cmd: Node, args: Node[] | null, final: Final): unknown {
    this.at(node);
    const name = node.ident;
    const user = this.ctx.userFunction(name);
    const fn = user ?? BUILTINS[name];
    if (fn === undefined) this.errorf(`${quote(name)} is not a defined function`);
    return this.evalCall(dot, fn, fn, user === undefined, cmd, name, args, final);
  }

  /**
   * Calls a function or method: checks the argument count against its signature, evaluates the arguments to
   * the parameter types, and wraps what it throws as `error calling <name>: <message>`.
   */
  evalCall(
    dot: Dot,
    fn: GoFunc,
    declared: GoFunc,
    isBuiltin: boolean,
    node: Node,
    name: string,
    argNodes: Node[] | null,
    final: Final,
  ): unknown {
    const args = argNodes === null ? [] : argNodes.slice(1);
    const signature = signatureOf(declared) ?? { params: [], variadic: "interface {}" as ParamType };
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    const numFixed = signature.params.length;
    if (signature.variadic !== undefined) {
      if (numIn < numFixed) {
        this.errorf(`wrong number of args for ${name}: want at least ${numFixed} got ${args.length}`);
      }
    } else if (numIn !== numFixed) {
      this.errorf(`wrong number of args for ${name}: want ${numFixed} got ${numIn}`);
    }
    const paramType = (i: number) => i < numFixed ? signature.params[i] : signature.variadic!;

    if (isBuiltin && (name === "and" || name === "or")) {
      let v: unknown;
      for (const arg of args) {
        v = this.evalArg(dot, "reflect.Value", arg);
        if (isTrue(v) === (name === "or")) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }

    const argv = args.map((arg, i) => this.evalArg(dot, paramType(i), arg));
    if (final !== MISSING) argv.push(this.validateType(final, paramType(numIn - 1)));

    try {
      let result: unknown;
      if (isBuiltin && name === "call") {
        const callee = args.length === 0 ? formatValue(final) : nodeString(args[0]);
        result = callFunction(callee, argv[0], argv.slice(1));
      } else {
        result = fn(...argv);
      }
      return result === undefined ? null : result;
    } catch (err) {
      if (isStackOverflow(err)) throw err;
      this.at(node);
      this.errorf(`error calling ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Go's `validateType`: a value made fit for a parameter, or Go's complaint. */
  validateType(value: unknown, type: ParamType | undefined): unknown {
    if (type === undefined || type === "reflect.Value") return value;
    if (value === undefined) {
      if (type === "interface {}" || type === "[]interface {}" || type === "map[string]interface {}") return null;
      this.errorf(`invalid value; expected ${type}`);
    }
    if (assignable(value, type)) return value;
    this.errorf(`wrong type for value; expected ${type}; got ${value === null ? "interface {}" : goTypeName(value)}`);
  }

  evalArg(dot: Dot, type: ParamType | undefined, n: Node): unknown {
    this.at(n);
    switch (n.type) {
      case "dot":
        return this.validateType(dot.value, type);
      case "nil":
        if (type === "reflect.Value") return undefined;
        if (type === "interface {}" || type === "[]interface {}" || type === "map[string]interface {}") return null;
        return this.errorf(`cannot assign nil to ${type}`);
      case "field":
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), type);
      case "variable":
        return this.validateType(this.evalVariableNode(dot, n, null, MISSING), type);
      case "pipe":
        return this.validateType(this.evalPipeline(dot, n), type);
      case "identifier":
        return this.validateType(this.evalFunction(dot, n, n, null, MISSING), type);
      case "chain":
        return this.validateType(this.evalChainNode(dot, n, null, MISSING), type);
    }
    switch (type) {
      case "bool":
        if (n.type === "bool") return n.value;
        return this.errorf(`expected bool; found ${nodeString(n)}`);
      case "float64":
        if (n.type === "number" && n.isFloat) return n.float64;
        return this.errorf(`expected float; found ${nodeString(n)}`);
      case "int":
      case "int64":
        if (n.type === "number" && n.isInt) return n.int64;
        return this.errorf(`expected integer; found ${nodeString(n)}`);
      case "string":
        if (n.type === "string") return n.text;
        return this.errorf(`expected string; found ${nodeString(n)}`);
      case "interface {}":
      case "reflect.Value":
        return this.evalEmptyInterface(n);
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${type}`);
  }

  evalEmptyInterface(n: Node): unknown {
    this.at(n);
    switch (n.type) {
      case "bool":
        return n.value;
      case "number":
        return this.idealConstant(n);
      case "string":
        return n.text;
    }
    this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }

  printValue(node: Node, value: unknown): void {
    this.at(node);
    if (value === undefined || value === null) {
      this.out.push("<no value>");
      return;
    }
    if (typeof value === "function" && stringerText(value) === undefined) {
      this.errorf(`can't print ${nodeString(node)} of type ${goTypeName(value)}`);
    }
    this.out.push(formatValue(value));
  }
}

/**
 * Runs `tree` with dot (and `$`) set to `data`, returning the output. Throws a {@link TemplateError} with Go's
 * message when execution fails.
 *
 * @example
 * ```ts
 * execute({ lookup, userFunction: () => undefined, missingKey: "default" }, tree, { name: "web" });
 * ```
 */
export function execute(ctx: ExecContext, tree: Tree, data: unknown): string {
  const out: string[] = [];
  const value = data === null ? undefined : data;
  if (depth >= MAX_EXEC_DEPTH) {
    throw new TemplateError(`template: ${tree.name}: exceeded maximum template depth (${MAX_EXEC_DEPTH})`, tree.name);
  }
  depth++;
  try {
    new State(ctx, tree.name, out, [{ name: "$", value, boxed: false }]).walk({ value, boxed: false }, tree.root);
  } catch (err) {
    if (isStackOverflow(err)) {
      throw new TemplateError(`template: ${tree.name}: exceeded maximum template depth (${MAX_EXEC_DEPTH})`, tree.name);
    }
    throw err;
  } finally {
    depth--;
  }
  return out.join("");
}
