/**
 * The one seam between the typed client and how bytes reach the API: a function from a web `Request`
 * to a `Response`, so in-process and HTTPS callers share every line above it.
 *
 * @module
 */

/**
 * Sends one request. Only the request's path and query matter to a transport that has its own server
 * address; `signal` ends the exchange, including a watch stream being read.
 */
export type Transport = (request: Request, signal?: AbortSignal) => Promise<Response>;

/**
 * The origin the client puts on requests it builds; transports that talk to a real server replace it.
 * `.invalid` can never resolve, so a request that escapes unrewritten fails loudly.
 */
export const PLACEHOLDER_ORIGIN = "https://kubernetes.invalid";
