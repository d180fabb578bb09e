/**
 * The request being served, for code deep in the write path that must know who asks — the admission checks that run
 * when the final object is known (escalation prevention, NodeRestriction) — as kube passes it in Go's request
 * `context`. The router sets it around each request; writes made by the server itself have none.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Attributes } from "./attributes.ts";

const current = new AsyncLocalStorage<Attributes>();

/**
 * Run `fn` as the request described by `attributes`.
 *
 * @example
 * ```ts
 * return await withRequest(attributes, () => this.#handle(request));
 * ```
 */
export function withRequest<T>(attributes: Attributes, fn: () => T): T {
  return current.run(attributes, fn);
}

/**
 * The attributes of the request being served, or undefined outside one.
 *
 * @example
 * ```ts
 * const request = currentRequest();
 * if (request) await escalation.admit(request, role);
 * ```
 */
export function currentRequest(): Attributes | undefined {
  return current.getStore();
}
