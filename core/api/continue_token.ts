/**
 * The `continue` token of paged lists: the revision the first page was read at and the key to resume from.
 *
 * @module
 */
import { badRequest } from "./status.ts";

/** Where a paged list resumes: its revision and the first key not yet returned. */
export interface ContinueToken {
  rv: number;
  start: string;
}

/**
 * The opaque `continue` value of a paged list.
 *
 * @example
 * ```ts
 * encodeContinue({ rv: 42, start: "/registry/pods/default/web-1\0" });
 * ```
 */
export function encodeContinue(token: ContinueToken): string {
  return btoa(JSON.stringify(token)).replace(/=+$/, "");
}

/**
 * Read a `continue` value back; a malformed one is kube's 400.
 *
 * @example
 * ```ts
 * const { rv, start } = decodeContinue(options.continue);
 * ```
 */
export function decodeContinue(text: string): ContinueToken {
  try {
    const token = JSON.parse(atob(text)) as ContinueToken;
    if (typeof token.rv !== "number" || typeof token.start !== "string") throw new Error("bad token");
    return token;
  } catch {
    throw badRequest(`continue key is not valid: illegal base64 data or token`);
  }
}
