/**
 * The one seam between the typed client and how bytes reach the API: a function from a web `Request`
 * to a `Response`, so in-process and HTTPS callers share every line above it. An in-process transport
 * can also skip the bytes: the client then hands over values and takes the router's answers as they are.
 *
 * @module
 */
import type { Reply } from "../api/router.ts";

/**
 * Sends one request. Only the request's path and query matter to a transport that has its own server
 * address; `signal` ends the exchange, including a watch stream being read. `inProcess`, when there,
 * sends the same request with its body as a value (which the server may change: a copy) and answers
 * unencoded (the API router's `call`).
 */
export type Transport = ((request: Request, signal?: AbortSignal) => Promise<Response>) & {
  readonly inProcess?: (request: Request, body: unknown, signal?: AbortSignal) => Promise<Reply>;
};

/**
 * The origin the client puts on requests it builds; transports that talk to a real server replace it.
 * `.invalid` can never resolve, so a request that escapes unrewritten fails loudly.
 */
export const PLACEHOLDER_ORIGIN = "https://kubernetes.invalid";
