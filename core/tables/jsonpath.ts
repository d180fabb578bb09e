/**
 * The part of Kubernetes JSONPath that CRD printer columns use: field steps (`.spec.replicas`),
 * quoted keys (`['app.kubernetes.io/name']`), indexes and slices (`[0]`, `[-1]`, `[1:3]`), wildcards
 * (`[*]`, `.*`), recursive descent (`..name`) and filters (`[?(@.type=="Ready")]`).
 *
 * @module
 */

type Step =
  | { kind: "field"; name: string }
  | { kind: "recursive"; name: string }
  | { kind: "wildcard" }
  | { kind: "index"; index: number }
  | { kind: "slice"; start?: number; end?: number }
  | { kind: "filter"; left: Step[]; op?: string; right?: Operand };

type Operand = { path: Step[] } | { literal: unknown };

/** A parsed path; evaluate with {@link evaluate}. */
export interface JsonPath {
  steps: Step[];
}

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(message: string): never {
    throw new Error(`invalid JSONPath ${JSON.stringify(this.text)} at ${this.pos}: ${message}`);
  }

  peek(n = 0): string {
    return this.text[this.pos + n] ?? "";
  }

  steps(stop: (c: string) => boolean): Step[] {
    const steps: Step[] = [];
    while (this.pos < this.text.length && !stop(this.peek())) {
      const c = this.peek();
      if (c === "." && this.peek(1) === ".") {
        this.pos += 2;
        steps.push({ kind: "recursive", name: this.name() });
      } else if (c === ".") {
        this.pos++;
        if (this.peek() === "*") {
          this.pos++;
          steps.push({ kind: "wildcard" });
        } else if (this.peek() !== "[" && this.pos < this.text.length) {
          steps.push({ kind: "field", name: this.name() });
        }
      } else if (c === "[") {
        steps.push(this.bracket());
      } else {
        this.fail(`unexpected ${JSON.stringify(c)}`);
      }
    }
    return steps;
  }

  /** A bare field name; `\.` escapes a dot that belongs to the key. */
  name(): string {
    let out = "";
    while (this.pos < this.text.length) {
      const c = this.peek();
      if (c === "\\" && this.pos + 1 < this.text.length) {
        out += this.peek(1);
        this.pos += 2;
        continue;
      }
      if (".[]()=!<> ".includes(c)) break;
      out += c;
      this.pos++;
    }
    if (out === "") this.fail("expected a field name");
    return out;
  }

  bracket(): Step {
    this.pos++; // [
    let step: Step;
    const c = this.peek();
    if (c === "'" || c === '"') {
      step = { kind: "field", name: this.quoted() };
    } else if (c === "*") {
      this.pos++;
      step = { kind: "wildcard" };
    } else if (c === "?") {
      step = this.filter();
    } else {
      const close = this.text.indexOf("]", this.pos);
      if (close < 0) this.fail("unterminated [");
      const inner = this.text.slice(this.pos, close).trim();
      this.pos = close;
      if (inner.includes(":")) {
        const [a, b] = inner.split(":");
        step = {
          kind: "slice",
          start: a.trim() ? this.integer(a) : undefined,
          end: b.trim() ? this.integer(b) : undefined,
        };
      } else {
        step = { kind: "index", index: this.integer(inner) };
      }
    }
    if (this.peek() !== "]") this.fail("expected ]");
    this.pos++;
    return step;
  }

  integer(text: string): number {
    if (!/^\s*-?\d+\s*$/.test(text)) this.fail(`bad index ${JSON.stringify(text)}`);
    return Number(text);
  }

  quoted(): string {
    const quote = this.peek();
    this.pos++;
    let out = "";
    while (this.pos < this.text.length && this.peek() !== quote) {
      if (this.peek() === "\\") this.pos++;
      out += this.peek();
      this.pos++;
    }
    if (this.peek() !== quote) this.fail("unterminated string");
    this.pos++;
    return out;
  }

  filter(): Step {
    this.pos++; // ?
    if (this.peek() !== "(") this.fail("expected ( after ?");
    this.pos++;
    this.spaces();
    const left = this.operandPath();
    this.spaces();
    let op: string | undefined;
    let right: Operand | undefined;
    const two = this.text.slice(this.pos, this.pos + 2);
    if (["==", "!=", "<=", ">="].includes(two)) {
      op = two;
      this.pos += 2;
    } else if (this.peek() === "<" || this.peek() === ">") {
      op = this.peek();
      this.pos++;
    }
    if (op) {
      this.spaces();
      right = this.peek() === "@" ? { path: this.operandPath() } : { literal: this.literal() };
      this.spaces();
    }
    if (this.peek() !== ")") this.fail("expected )");
    this.pos++;
    return { kind: "filter", left, op, right };
  }

  operandPath(): Step[] {
    if (this.peek() !== "@") this.fail("expected @");
    this.pos++;
    return this.steps((c) => c === " " || c === ")" || "=!<>".includes(c));
  }

  literal(): unknown {
    const c = this.peek();
    if (c === "'" || c === '"') return this.quoted();
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.pos));
    if (!m) this.fail("expected a literal");
    this.pos += m[0].length;
    return JSON.parse(m[0]);
  }

  spaces(): void {
    while (this.peek() === " ") this.pos++;
  }
}

/**
 * Parses a path, with or without kubectl's surrounding braces and leading `$`. Throws when invalid.
 *
 * @example parseJsonPath(".status.conditions[?(@.type==\"Ready\")].status")
 */
export function parseJsonPath(text: string): JsonPath {
  let body = text.trim();
  if (body.startsWith("{") && body.endsWith("}")) body = body.slice(1, -1).trim();
  if (body.startsWith("$")) body = body.slice(1);
  const parser = new Parser(body);
  const steps = parser.steps(() => false);
  return { steps };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function descendants(value: unknown): unknown[] {
  const out: unknown[] = [value];
  const children = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
  for (const child of children) out.push(...descendants(child));
  return out;
}

function compareValues(left: unknown, op: string, right: unknown): boolean {
  switch (op) {
    case "==":
      return left === right;
    case "!=":
      return left !== right;
  }
  if (typeof left === "number" && typeof right === "number") {
    return op === "<" ? left < right : op === ">" ? left > right : op === "<=" ? left <= right : left >= right;
  }
  if (typeof left === "string" && typeof right === "string") {
    return op === "<" ? left < right : op === ">" ? left > right : op === "<=" ? left <= right : left >= right;
  }
  return false;
}

function apply(step: Step, values: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const value of values) {
    switch (step.kind) {
      case "field":
        // Missing keys yield nothing (kube evaluates printer columns with AllowMissingKeys).
        if (isObject(value) && step.name in value) out.push(value[step.name]);
        break;
      case "recursive":
        for (const node of descendants(value)) {
          if (isObject(node) && step.name in node) out.push(node[step.name]);
        }
        break;
      case "wildcard":
        if (Array.isArray(value)) out.push(...value);
        else if (isObject(value)) out.push(...Object.keys(value).sort().map((k) => value[k]));
        break;
      case "index":
        if (Array.isArray(value)) {
          const i = step.index < 0 ? value.length + step.index : step.index;
          if (i >= 0 && i < value.length) out.push(value[i]);
        }
        break;
      case "slice":
        if (Array.isArray(value)) out.push(...value.slice(step.start, step.end));
        break;
      case "filter":
        if (!Array.isArray(value)) break;
        for (const item of value) {
          const lefts = evaluateSteps(step.left, item);
          if (!step.op) {
            if (lefts.length > 0) out.push(item);
            continue;
          }
          const right = step.right && "path" in step.right
            ? evaluateSteps(step.right.path, item)[0]
            : step.right?.literal;
          if (lefts.length > 0 && compareValues(lefts[0], step.op, right)) out.push(item);
        }
        break;
    }
  }
  return out;
}

function evaluateSteps(steps: Step[], root: unknown): unknown[] {
  let values = [root];
  for (const step of steps) values = apply(step, values);
  return values;
}

/**
 * Every value the path selects in a document, in document order; empty when nothing matches.
 *
 * @example evaluate(parseJsonPath(".spec.replicas"), { spec: { replicas: 3 } }) // [3]
 */
export function evaluate(path: JsonPath, document: unknown): unknown[] {
  return evaluateSteps(path.steps, document);
}
