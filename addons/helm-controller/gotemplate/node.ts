/**
 * Parse-tree nodes, Go's `text/template/parse` node types, and their `String()` forms, which execution errors
 * quote (`executing "x" at <.Values.a.b>`).
 *
 * @module
 */
import { quote } from "./quote.ts";

/** One parsed template: its name, the name of the text it came from (for errors), that text and its body. */
export interface Tree {
  name: string;
  parseName: string;
  text: string;
  root: ListNode;
}

interface Base {
  pos: number;
  tree: Tree;
}

export interface ListNode extends Base {
  type: "list";
  nodes: Node[];
}
export interface TextNode extends Base {
  type: "text";
  text: string;
}
export interface CommentNode extends Base {
  type: "comment";
  text: string;
}
/** A pipeline, with the variables it declares (`:=`) or assigns (`=`). */
export interface PipeNode extends Base {
  type: "pipe";
  line: number;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
export interface ActionNode extends Base {
  type: "action";
  line: number;
  pipe: PipeNode;
}
export interface CommandNode extends Base {
  type: "command";
  args: Node[];
}
/** A function name. */
export interface IdentifierNode extends Base {
  type: "identifier";
  ident: string;
}
/** `$x.Field1.Field2`: the variable name (with `$`) then the fields. */
export interface VariableNode extends Base {
  type: "variable";
  ident: string[];
}
export interface DotNode extends Base {
  type: "dot";
}
export interface NilNode extends Base {
  type: "nil";
}
/** `.Field1.Field2`, without the dots. */
export interface FieldNode extends Base {
  type: "field";
  ident: string[];
}
/** A term followed by fields: `(pipeline).Field1.Field2`. */
export interface ChainNode extends Base {
  type: "chain";
  node: Node;
  field: string[];
}
export interface BoolNode extends Base {
  type: "bool";
  value: boolean;
}
/** A number constant under every Go type that can hold it, as Go's ideal constants. */
export interface NumberNode extends Base {
  type: "number";
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  int64: bigint;
  uint64: bigint;
  float64: number;
  text: string;
}
export interface StringNode extends Base {
  type: "string";
  quoted: string;
  text: string;
}
export interface EndNode extends Base {
  type: "end";
}
export interface ElseNode extends Base {
  type: "else";
  line: number;
}
/** `if`, `range` and `with`: the pipeline, the list to run, and the `else` list if any. */
export interface BranchNode extends Base {
  type: "if" | "range" | "with";
  line: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | null;
}
export interface TemplateNode extends Base {
  type: "template";
  line: number;
  name: string;
  pipe: PipeNode | null;
}
export interface BreakNode extends Base {
  type: "break";
  line: number;
}
export interface ContinueNode extends Base {
  type: "continue";
  line: number;
}

export type Node =
  | ListNode
  | TextNode
  | CommentNode
  | PipeNode
  | ActionNode
  | CommandNode
  | IdentifierNode
  | VariableNode
  | DotNode
  | NilNode
  | FieldNode
  | ChainNode
  | BoolNode
  | NumberNode
  | StringNode
  | EndNode
  | ElseNode
  | BranchNode
  | TemplateNode
  | BreakNode
  | ContinueNode;

/**
 * A node's text as Go's `Node.String()` renders it.
 *
 * @example
 * ```ts
 * nodeString(fieldNode); // ".Values.image.tag"
 * ```
 */
export function nodeString(node: Node): string {
  switch (node.type) {
    case "list":
      return node.nodes.map(nodeString).join("");
    case "text":
      return node.text;
    case "comment":
      return `{{${node.text}}}`;
    case "pipe": {
      const decl = node.decl.length > 0 ? node.decl.map(nodeString).join(", ") + " := " : "";
      return decl + node.cmds.map(nodeString).join(" | ");
    }
    case "action":
      return `{{${nodeString(node.pipe)}}}`;
    case "command":
      return node.args.map((arg) => arg.type === "pipe" ? `(${nodeString(arg)})` : nodeString(arg)).join(" ");
    case "identifier":
      return node.ident;
    case "variable":
      return node.ident.join(".");
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "field":
      return node.ident.map((id) => "." + id).join("");
    case "chain": {
      const head = node.node.type === "pipe" ? `(${nodeString(node.node)})` : nodeString(node.node);
      return head + node.field.map((f) => "." + f).join("");
    }
    case "bool":
      return node.value ? "true" : "false";
    case "number":
      return node.text;
    case "string":
      return node.quoted;
    case "end":
      return "{{end}}";
    case "else":
      return "{{else}}";
    case "if":
    case "range":
    case "with": {
      const elseText = node.elseList ? "{{else}}" + nodeString(node.elseList) : "";
      return `{{${node.type} ${nodeString(node.pipe)}}}${nodeString(node.list)}${elseText}{{end}}`;
    }
    case "template":
      return `{{template ${quote(node.name)}${node.pipe ? " " + nodeString(node.pipe) : ""}}}`;
    case "break":
      return "{{break}}";
    case "continue":
      return "{{continue}}";
  }
}

/**
 * Whether a tree holds nothing but space and comments (Go's `IsEmptyTree`): such a definition never replaces
 * an existing template of the same name.
 *
 * @example
 * ```ts
 * isEmptyTree(tree.root); // true for "  {{/* only a comment *\/}}\n"
 * ```
 */
export function isEmptyTree(node: Node | null): boolean {
  if (node === null) return true;
  switch (node.type) {
    case "comment":
      return true;
    case "list":
      return node.nodes.every(isEmptyTree);
    case "text":
      return node.text.trim() === "";
  }
  return false;
}
