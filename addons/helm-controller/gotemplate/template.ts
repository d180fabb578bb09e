/**
 * A set of associated templates, Go's `*template.Template` as Helm uses it: one namespace of named templates
 * (each parsed text plus its `{{define}}`s), one function map, one `missingkey` option.
 *
 * @module
 */
import { TemplateError } from "./error.ts";
import { execute, type MissingKey } from "./exec.ts";
import { BUILTINS } from "./funcs.ts";
import { isEmptyTree, type Tree } from "./node.ts";
import { parse } from "./parse.ts";
import { quote } from "./quote.ts";
import type { GoFunc } from "./value.ts";

/** Options of a {@link TemplateSet}. */
export interface TemplateSetOptions {
  /** Functions callable from templates, as `Template.Funcs` adds them. */
  funcs?: Record<string, GoFunc>;
  /** What a missing map key yields: `<no value>` (default), nil (`zero`) or an error. */
  missingKey?: MissingKey;
  /** The set's own name, which "no template … associated with template" errors quote (Helm's is "gotpl"). */
  name?: string;
}

const IDENTIFIER = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;

/**
 * Go's `text/template` over the shared value model.
 *
 * @example
 * ```ts
 * const set = new TemplateSet({ funcs: { upper: (s) => String(s).toUpperCase() } });
 * set.parse("cm.yaml", 'name: {{ .name | upper }}{{ define "x" }}X{{ end }}');
 * set.execute("cm.yaml", { name: "web" }); // "name: WEB"
 * set.execute("x", null); // "X"
 * ```
 */
export class TemplateSet {
  readonly #funcs = new Map<string, GoFunc>();
  readonly #trees = new Map<string, Tree>();
  readonly #missingKey: MissingKey;
  readonly #name: string;

  constructor(options: TemplateSetOptions = {}) {
    this.#missingKey = options.missingKey ?? "default";
    this.#name = options.name ?? "";
    if (options.funcs) this.addFuncs(options.funcs);
  }

  /**
   * Adds or replaces functions (Go's `Template.Funcs`). Names used in a text must exist when it is parsed;
   * replacing one later changes what executions call.
   */
  addFuncs(funcs: Record<string, GoFunc>): this {
    for (const [name, fn] of Object.entries(funcs)) {
      if (!IDENTIFIER.test(name)) throw new Error(`function name ${quote(name)} is not a valid identifier`);
      if (typeof fn !== "function") throw new Error(`value for ${name} not a function`);
      this.#funcs.set(name, fn);
    }
    return this;
  }

  /**
   * Parses `text` as the template `name`, adding it and every `{{define}}`/`{{block}}` in it. A later definition
   * of a name replaces the earlier one, unless it is empty (only space and comments). Throws a
   * {@link TemplateError} (`template: name:line: …`) and adds nothing when the text does not parse.
   */
  parse(name: string, text: string, options: { leftDelim?: string; rightDelim?: string } = {}): void {
    const trees = parse(name, text, {
      ...options,
      hasFunction: (fn) => this.#funcs.has(fn) || Object.hasOwn(BUILTINS, fn),
    });
    for (const [treeName, tree] of trees) {
      const existing = this.#trees.get(treeName);
      if (existing !== undefined && isEmptyTree(tree.root)) continue;
      this.#trees.set(treeName, tree);
    }
  }

  /** Runs the template `name` with dot set to `data` and returns its output. */
  execute(name: string, data: unknown): string {
    const tree = this.#trees.get(name);
    if (tree === undefined) {
      throw new TemplateError(
        `template: no template ${quote(name)} associated with template ${quote(this.#name)}`,
        name,
      );
    }
    return execute(
      {
        lookup: (n) => this.#trees.get(n),
        userFunction: (n) => this.#funcs.get(n),
        missingKey: this.#missingKey,
      },
      tree,
      data,
    );
  }

  /** Whether a template of that name exists. */
  has(name: string): boolean {
    return this.#trees.has(name);
  }

  /** The names of all templates, sorted. */
  names(): string[] {
    return [...this.#trees.keys()].sort();
  }

  /**
   * An independent copy with the same templates, functions and options (Go's `Template.Clone`): parsing into
   * the copy, as Helm's `tpl` does, leaves this set unchanged.
   */
  clone(): TemplateSet {
    const copy = new TemplateSet({ missingKey: this.#missingKey, name: this.#name });
    for (const [name, fn] of this.#funcs) copy.#funcs.set(name, fn);
    for (const [name, tree] of this.#trees) copy.#trees.set(name, tree);
    return copy;
  }
}
