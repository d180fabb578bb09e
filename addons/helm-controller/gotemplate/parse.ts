/**
 * The template parser, Go's `text/template/parse`: turns one text into trees (the text's own and one per
 * `{{define}}`/`{{block}}`), checking function names and variables as Go does and failing with its messages.
 *
 * @module
 */
import { TemplateError } from "./error.ts";
import { type Item, itemString, type ItemType, lex } from "./lex.ts";
import {
  type BranchNode,
  type CommandNode,
  type ElseNode,
  isEmptyTree,
  type ListNode,
  type Node,
  nodeString,
  type PipeNode,
  type TemplateNode,
  type Tree,
  type VariableNode,
} from "./node.ts";
import { parseNumber } from "./number.ts";
import { quote, unquote } from "./quote.ts";

const MAX_STACK_DEPTH = 1000;

/** What a parse needs to know from its template set. */
export interface ParseOptions {
  leftDelim?: string;
  rightDelim?: string;
  /** Whether a function of that name exists (builtins included); unknown names are parse errors. */
  hasFunction: (name: string) => boolean;
}

/** The token stream that the text's own tree and its definitions read in turn. */
class Tokens {
  index = 0;
  furthest = 0;
  constructor(readonly items: Item[]) {}

  next(): Item {
    const item = this.items[Math.min(this.index, this.items.length - 1)];
    if (this.index < this.items.length) this.index++;
    this.furthest = Math.max(this.furthest, this.index - 1);
    return item;
  }

  /** The token Go's parser last read, whose line its errors report. */
  last(): Item {
    return this.items[this.furthest];
  }
}

/** Parses one tree; definitions inside it get parsers of their own over the same tokens. */
class TreeParser {
  vars = ["$"];
  rangeDepth = 0;
  actionLine = 0;
  stackDepth = 0;
  readonly tree: Tree;

  constructor(
    name: string,
    readonly parseName: string,
    readonly text: string,
    readonly tokens: Tokens,
    readonly treeSet: Map<string, Tree>,
    readonly hasFunction: (name: string) => boolean,
  ) {
    this.tree = { name, parseName, text, root: this.newList(0) };
  }

  errorf(message: string): never {
    throw new TemplateError(`template: ${this.parseName}:${this.tokens.last().line}: ${message}`, this.parseName);
  }

  next(): Item {
    return this.tokens.next();
  }

  backup(count = 1): void {
    this.tokens.index -= count;
  }

  peek(): Item {
    const item = this.next();
    this.backup();
    return item;
  }

  nextNonSpace(): Item {
    for (;;) {
      const item = this.next();
      if (item.typ !== "space") return item;
    }
  }

  peekNonSpace(): Item {
    const item = this.nextNonSpace();
    this.backup();
    return item;
  }

  expect(expected: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.typ !== expected) this.unexpected(token, context);
    return token;
  }

  expectOneOf(a: ItemType, b: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.typ !== a && token.typ !== b) this.unexpected(token, context);
    return token;
  }

  unexpected(token: Item, context: string): never {
    if (token.typ === "error") {
      let extra = "";
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.parseName}:${this.actionLine}`;
        if (token.val.endsWith(" action")) extra = extra.slice(" in action".length);
      }
      this.errorf(`${itemString(token)}${extra}`);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }

  newList(pos: number): ListNode {
    return { type: "list", pos, tree: this.tree, nodes: [] };
  }

  newVariable(pos: number, ident: string): VariableNode {
    return { type: "variable", pos, tree: this.tree, ident: ident.split(".") };
  }

  /** Adds the finished tree to the set; a second non-empty definition of a name in one text is an error. */
  add(): void {
    const existing = this.treeSet.get(this.tree.name);
    if (existing === undefined || isEmptyTree(existing.root)) {
      this.treeSet.set(this.tree.name, this.tree);
      return;
    }
    if (!isEmptyTree(this.tree.root)) this.errorf(`template: multiple definition of template ${quote(this.tree.name)}`);
  }

  subParser(name: string): TreeParser {
    return new TreeParser(name, this.parseName, this.text, this.tokens, this.treeSet, this.hasFunction);
  }

  /** The whole text: its own body plus the `{{define}}`s, to EOF. */
  parse(): void {
    this.tree.root = this.newList(this.peek().pos);
    while (this.peek().typ !== "EOF") {
      if (this.peek().typ === "leftDelim") {
        const mark = this.tokens.index;
        this.next();
        if (this.nextNonSpace().typ === "define") {
          this.subParser("definition").parseDefinition();
          continue;
        }
        this.tokens.index = mark;
      }
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") this.errorf(`unexpected ${nodeString(n)}`);
      this.tree.root.nodes.push(n);
    }
    this.add();
  }

  parseDefinition(): void {
    const context = "define clause";
    const name = this.expectOneOf("string", "rawString", context);
    this.tree.name = this.unquote(name.val);
    this.expect("rightDelim", context);
    const [list, end] = this.itemList();
    if (end.type !== "end") this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.tree.root = list;
    this.add();
  }

  unquote(literal: string): string {
    try {
      return unquote(literal);
    } catch (err) {
      this.errorf((err as Error).message);
    }
  }

  /** `textOrAction*`, up to an `{{end}}` or `{{else}}`, which is returned separately. */
  itemList(): [ListNode, Node] {
    const list = this.newList(this.peekNonSpace().pos);
    while (this.peekNonSpace().typ !== "EOF") {
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") return [list, n];
      list.nodes.push(n);
    }
    this.errorf("unexpected EOF");
  }

  textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case "text":
        return { type: "text", pos: token.pos, tree: this.tree, text: token.val };
      case "leftDelim": {
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      case "comment":
        return { type: "comment", pos: token.pos, tree: this.tree, text: token.val };
    }
    this.unexpected(token, "input");
  }

  action(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case "block":
        return this.blockControl();
      case "break":
      case "continue":
        return this.loopControl(token);
      case "else":
        return this.elseControl();
      case "end":
        return { type: "end", pos: this.expect("rightDelim", "end").pos, tree: this.tree };
      case "if":
      case "range":
      case "with":
        return this.branchControl(token.typ);
      case "template":
        return this.templateControl();
    }
    this.backup();
    const start = this.peek();
    return {
      type: "action",
      pos: start.pos,
      line: start.line,
      tree: this.tree,
      pipe: this.pipeline("command", "rightDelim"),
    };
  }

  loopControl(keyword: Item): Node {
    const name = keyword.typ as "break" | "continue";
    const token = this.nextNonSpace();
    if (token.typ !== "rightDelim") this.unexpected(token, `{{${name}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${name}}} outside {{range}}`);
    return { type: name, pos: keyword.pos, line: keyword.line, tree: this.tree };
  }

  /** `declarations? command ('|' command)*` up to `end`. */
  pipeline(context: string, end: ItemType): PipeNode {
    const start = this.peekNonSpace();
    const pipe: PipeNode = {
      type: "pipe",
      pos: start.pos,
      line: start.line,
      tree: this.tree,
      isAssign: false,
      decl: [],
      cmds: [],
    };
    decls: for (;;) {
      if (this.peekNonSpace().typ !== "variable") break;
      const mark = this.tokens.index;
      const v = this.next();
      const next = this.peekNonSpace();
      if (next.typ === "assign" || next.typ === "declare") {
        pipe.isAssign = next.typ === "assign";
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
      } else if (next.typ === "char" && next.val === ",") {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
        if (context === "range" && pipe.decl.length < 2) {
          const after = this.peekNonSpace().typ;
          if (after === "variable" || after === "rightDelim" || after === "rightParen") continue decls;
          this.errorf("range can only initialize variables");
        }
        this.errorf(`too many declarations in ${context}`);
      } else {
        this.tokens.index = mark;
      }
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      switch (token.typ) {
        case end:
          this.checkPipeline(pipe, context);
          return pipe;
        case "bool":
        case "charConstant":
        case "complex":
        case "dot":
        case "field":
        case "identifier":
        case "number":
        case "nil":
        case "rawString":
        case "string":
        case "variable":
        case "leftParen":
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((cmd, i) => {
      if (["bool", "dot", "nil", "number", "string"].includes(cmd.args[0].type)) {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  /** `if`, `range` and `with`, with `{{else if …}}`/`{{else with …}}` chains folded into nested branches. */
  branchControl(context: "if" | "range" | "with"): BranchNode {
    const varsLength = this.vars.length;
    try {
      const pipe = this.pipeline(context, "rightDelim");
      if (context === "range") this.rangeDepth++;
      let [list, next] = this.itemList();
      if (context === "range") this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.type === "else") {
        const following = this.peek().typ;
        if ((context === "if" && following === "if") || (context === "with" && following === "with")) {
          this.next();
          elseList = this.newList(next.pos);
          elseList.nodes.push(this.branchControl(context));
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== "end") this.errorf(`expected end; found ${nodeString(next)}`);
        }
      }
      return { type: context, pos: pipe.pos, line: pipe.line, tree: this.tree, pipe, list, elseList };
    } finally {
      this.vars.length = varsLength;
    }
  }

  elseControl(): ElseNode {
    const peek = this.peekNonSpace();
    // "{{else if" and "{{else with" leave the keyword for the branch to chain on.
    if (peek.typ === "if" || peek.typ === "with") {
      return { type: "else", pos: peek.pos, line: peek.line, tree: this.tree };
    }
    const token = this.expect("rightDelim", "else");
    return { type: "else", pos: token.pos, line: token.line, tree: this.tree };
  }

  blockControl(): TemplateNode {
    const context = "block clause";
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, "rightDelim");
    const block = this.subParser(name);
    const [list, end] = block.itemList();
    if (end.type !== "end") this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    block.tree.root = list;
    block.add();
    return { type: "template", pos: token.pos, line: token.line, tree: this.tree, name, pipe };
  }

  templateControl(): TemplateNode {
    const context = "template clause";
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().typ !== "rightDelim") {
      this.backup();
      pipe = this.pipeline(context, "rightDelim");
    }
    return { type: "template", pos: token.pos, line: token.line, tree: this.tree, name, pipe };
  }

  parseTemplateName(token: Item, context: string): string {
    if (token.typ === "string" || token.typ === "rawString") return this.unquote(token.val);
    this.unexpected(token, context);
  }

  /** `operand (space operand)*`, up to a pipe, a right delimiter or a right paren. */
  command(): CommandNode {
    const cmd: CommandNode = { type: "command", pos: this.peekNonSpace().pos, tree: this.tree, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== null) cmd.args.push(operand);
      const token = this.next();
      if (token.typ === "space") continue;
      if (token.typ === "rightDelim" || token.typ === "rightParen") this.backup();
      else if (token.typ !== "pipe") this.unexpected(token, "operand");
      break;
    }
    if (cmd.args.length === 0) this.errorf("empty command");
    return cmd;
  }

  /** A term possibly followed by `.Field`s. */
  operand(): Node | null {
    const node = this.term();
    if (node === null) return null;
    if (this.peek().typ !== "field") return node;
    const chainPos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().typ === "field") fields.push(this.next().val.slice(1));
    switch (node.type) {
      case "field":
        return { type: "field", pos: chainPos, tree: this.tree, ident: [...node.ident, ...fields] };
      case "variable":
        return { type: "variable", pos: chainPos, tree: this.tree, ident: [...node.ident, ...fields] };
      case "bool":
      case "string":
      case "number":
      case "nil":
      case "dot":
        this.errorf(`unexpected . after term ${quote(nodeString(node))}`);
    }
    return { type: "chain", pos: chainPos, tree: this.tree, node, field: fields };
  }

  /** A literal, function name, `.`, `.Field`, `$x`, or a parenthesized pipeline; `null` if none is next. */
  term(): Node | null {
    const token = this.nextNonSpace();
    const base = { pos: token.pos, tree: this.tree };
    switch (token.typ) {
      case "identifier":
        if (!this.hasFunction(token.val)) this.errorf(`function ${quote(token.val)} not defined`);
        return { type: "identifier", ...base, ident: token.val };
      case "dot":
        return { type: "dot", ...base };
      case "nil":
        return { type: "nil", ...base };
      case "variable":
        return this.useVar(token.pos, token.val);
      case "field":
        return { type: "field", ...base, ident: token.val.slice(1).split(".") };
      case "bool":
        return { type: "bool", ...base, value: token.val === "true" };
      case "charConstant":
      case "complex":
      case "number":
        return this.newNumber(token);
      case "leftParen": {
        if (this.stackDepth >= MAX_STACK_DEPTH) this.errorf("max expression depth exceeded");
        this.stackDepth++;
        try {
          return this.pipeline("parenthesized pipeline", "rightParen");
        } finally {
          this.stackDepth--;
        }
      }
      case "string":
      case "rawString":
        return { type: "string", ...base, quoted: token.val, text: this.unquote(token.val) };
    }
    this.backup();
    return null;
  }

  newNumber(token: Item): Node {
    try {
      const value = parseNumber(token.val, token.typ === "charConstant");
      return { type: "number", pos: token.pos, tree: this.tree, ...value, text: token.val };
    } catch (err) {
      this.errorf((err as Error).message);
    }
  }

  useVar(pos: number, name: string): VariableNode {
    const v = this.newVariable(pos, name);
    if (!this.vars.includes(v.ident[0])) this.errorf(`undefined variable ${quote(v.ident[0])}`);
    return v;
  }
}

/**
 * Parses `text` (named `name`) into its trees: the text's own body under `name` and one per `{{define}}` or
 * `{{block}}`. Throws a {@link TemplateError} with Go's message on the first syntax error.
 *
 * @example
 * ```ts
 * const trees = parse("cm.yaml", '{{define "x"}}X{{end}}{{template "x"}}', { hasFunction: () => false });
 * [...trees.keys()]; // ["x", "cm.yaml"]
 * ```
 */
export function parse(name: string, text: string, options: ParseOptions): Map<string, Tree> {
  const items = lex(text, options.leftDelim ?? "", options.rightDelim ?? "", {
    breakOK: !options.hasFunction("break"),
    continueOK: !options.hasFunction("continue"),
  });
  const treeSet = new Map<string, Tree>();
  new TreeParser(name, name, text, new Tokens(items), treeSet, options.hasFunction).parse();
  return treeSet;
}
