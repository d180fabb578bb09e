/**
 * Naming ControllerRevisions, after kube's `history.HashControllerRevision` and `ControllerRevisionName`: the
 * name is the parent's name and a hash of the revision's data, salted by the parent's `collisionCount` so a
 * name taken by different data can be stepped around.
 *
 * @module
 */
import { podTemplateHash } from "../deployment/hash.ts";

/** Kube leaves room for "-" and a 10-character hash within a 253-character name. */
const MAX_PREFIX = 223;

/**
 * The hash of a revision's `data` under `collisionCount`: up to 10 characters of `[b-z2-9]`.
 *
 * @example
 * ```ts
 * controllerRevisionHash({ spec: { template: { $patch: "replace" } } }, 0); // e.g. "7c8d5f9b6"
 * controllerRevisionHash(data, 1) !== controllerRevisionHash(data, 0); // true
 * ```
 */
export function controllerRevisionHash(data: unknown, collisionCount = 0): string {
  // An unsalted hash for collisionCount 0 keeps names stable for sets that never collided.
  return podTemplateHash(collisionCount > 0 ? { data, collisionCount } : data);
}

/**
 * Kube's `ControllerRevisionName`: `<prefix>-<hash>`, the prefix cut to fit a name.
 *
 * @example
 * ```ts
 * controllerRevisionName("web", "7c8d5f9b6"); // "web-7c8d5f9b6"
 * ```
 */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.slice(0, MAX_PREFIX)}-${hash}`;
}
