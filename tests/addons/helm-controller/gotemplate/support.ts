// Shared by the gotemplate tests: render one text, or get the message of the error it raises.
import assert from "node:assert/strict";
import {
  TemplateError,
  TemplateSet,
  type TemplateSetOptions,
} from "../../../../addons/helm-controller/gotemplate/mod.ts";

/** Parses `text` as the template "t" and executes it with `data`. */
export function render(text: string, data: unknown = null, options: TemplateSetOptions = {}): string {
  const set = new TemplateSet(options);
  set.parse("t", text);
  return set.execute("t", data);
}

/** The message of the {@link TemplateError} that parsing or executing `text` raises. */
export function renderError(text: string, data: unknown = null, options: TemplateSetOptions = {}): string {
  try {
    render(text, data, options);
  } catch (err) {
    assert.ok(err instanceof TemplateError, `expected a TemplateError, got ${err}`);
    return err.message;
  }
  assert.fail(`expected ${JSON.stringify(text)} to fail`);
}

/** One row of a table: a template, its data, and Go's output or error message. */
export interface Case {
  name: string;
  text: string;
  data?: unknown;
  options?: TemplateSetOptions;
  want?: string;
  error?: string;
}

/** Registers one Deno test per row, named after the behaviour the row pins. */
export function table(prefix: string, cases: Case[]): void {
  for (const c of cases) {
    Deno.test(`${prefix}: ${c.name}`, () => {
      if (c.error !== undefined) assert.equal(renderError(c.text, c.data, c.options), c.error);
      else assert.equal(render(c.text, c.data, c.options), c.want);
    });
  }
}
