/**
 * `lookup` for a synchronous template engine over an asynchronous API: a render pass answers every lookup it has
 * not seen with an empty map and records it; the engine then fetches what was asked for and renders again, until a
 * pass asks for nothing new. Only the last pass's output counts, so templates see the cluster as Helm's would.
 *
 * @module
 */

import { withSignature } from "../gotemplate/mod.ts";
import { setEntry } from "../sprig/gomap.ts";

/**
 * Fetches an object (`name` set) or a list (`name` empty) as unstructured JSON; resolves to `{}` when it does not
 * exist, rejects with the error `lookup` should report otherwise. The helm-controller backs it with the API
 * client; without one (`helm template`), lookups are empty.
 */
export type LookupFunc = (
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
) => Promise<Record<string, unknown>> | Record<string, unknown>;

type Answer = { value: Record<string, unknown> } | { error: Error };

/**
 * The answers fetched so far and the questions of the current pass.
 *
 * @example
 * ```ts
 * const lookups = new LookupReplay(fetch);
 * do { output = renderPass(lookups.templateFunction()); } while (await lookups.settle());
 * ```
 */
export class LookupReplay {
  readonly #answers = new Map<string, Answer>();
  #pending = new Map<string, Promise<Answer>>();

  constructor(readonly fetch: LookupFunc | undefined) {}

  /** The `lookup` template function for one render pass. */
  templateFunction(): (...args: unknown[]) => unknown {
    return withSignature((apiVersion, kind, namespace, name) => {
      if (!this.fetch) return {};
      const args = [apiVersion, kind, namespace, name] as string[];
      const key = JSON.stringify(args);
      const answer = this.#answers.get(key);
      if (answer && "error" in answer) throw answer.error;
      if (answer) return unstructured(answer.value);
      if (!this.#pending.has(key)) {
        const fetch = this.fetch;
        this.#pending.set(
          key,
          Promise.resolve().then(() => fetch(args[0], args[1], args[2], args[3])).then(
            (value) => ({ value }),
            (error) => ({ error: error instanceof Error ? error : new Error(String(error)) }),
          ),
        );
      }
      return {};
    }, ["string", "string", "string", "string"]);
  }

  /** Fetches what the last pass asked for; true when there was something, so another pass is needed. */
  async settle(): Promise<boolean> {
    const pending = this.#pending;
    this.#pending = new Map();
    for (const [key, answer] of pending) this.#answers.set(key, await answer);
    return pending.size > 0;
  }
}

/**
 * An object as client-go's unstructured decoding gives it to templates: integral JSON numbers become int64
 * (bigint), others stay float64.
 */
function unstructured(value: unknown): never {
  if (typeof value === "number") return (Number.isInteger(value) ? BigInt(value) : value) as never;
  if (Array.isArray(value)) return value.map(unstructured) as never;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setEntry(out, k, unstructured(v));
    return out as never;
  }
  return value as never;
}
