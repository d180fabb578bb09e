/**
 * Recognising "the database is not there" (as opposed to a bad statement), so the Store can report
 * `UnavailableError` and callers retry.
 *
 * @module
 */

const SOCKET_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH"]);

/**
 * Whether `error` (or any error inside an AggregateError, as Node's happy-eyeballs connect throws)
 * carries a socket error code or one of the driver's own `codes`, or a message matching `messages`.
 *
 * @example
 * ```ts
 * isNetworkError(new Error("boom"), new Set(["57P01"])); // false
 * ```
 */
export function isNetworkError(error: unknown, codes: ReadonlySet<string> = new Set(), messages?: RegExp): boolean {
  if (error instanceof AggregateError) return error.errors.some((e) => isNetworkError(e, codes, messages));
  const e = error as { code?: string; message?: string } | undefined;
  if (typeof e?.code === "string" && (SOCKET_ERRORS.has(e.code) || codes.has(e.code))) return true;
  return messages !== undefined && messages.test(e?.message ?? "");
}
