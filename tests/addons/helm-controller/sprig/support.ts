// Shared by the Sprig tests: call a function of the map by its template name, or get the message of the error
// it throws, and register a table of such calls as one Deno test per row.
import assert from "node:assert/strict";
import { sprigFunctions } from "../../../../addons/helm-controller/sprig/mod.ts";
import { TemplateSet } from "../../../../addons/helm-controller/gotemplate/mod.ts";

const funcs = sprigFunctions();

/** Calls Sprig's function `name` directly, as the template engine would after converting the arguments. */
export function call(name: string, ...args: unknown[]): unknown {
  const fn = funcs[name];
  assert.ok(fn, `no Sprig function ${name}`);
  return fn(...args);
}

/** The message of the error `name` throws for these arguments. */
export function callError(name: string, ...args: unknown[]): string {
  try {
    call(name, ...args);
  } catch (err) {
    return (err as Error).message;
  }
  assert.fail(`expected ${name} to fail`);
}

/** Renders `text` with Sprig's functions, as the template "t" with `data` as dot. */
export function render(text: string, data: unknown = null): string {
  const set = new TemplateSet({ funcs: sprigFunctions(), missingKey: "zero" });
  set.parse("t", text);
  return set.execute("t", data);
}

/** One row: a call and Go's result (ints as bigint, float64s as number) or the error it fails with. */
export interface Case {
  name: string;
  fn: string;
  args: unknown[];
  want?: unknown;
  error?: string;
}

/** Registers one Deno test per row, named after the behaviour the row pins. */
export function table(prefix: string, cases: Case[]): void {
  for (const c of cases) {
    Deno.test(`${prefix}: ${c.name}`, () => {
      if (c.error !== undefined) assert.equal(callError(c.fn, ...c.args), c.error);
      else assert.deepStrictEqual(call(c.fn, ...c.args), c.want);
    });
  }
}
