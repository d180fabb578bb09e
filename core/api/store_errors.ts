/**
 * Datastore errors as the `Status` errors kube-apiserver answers for them: a lost compare-and-swap is a 409,
 * a compacted revision a 410 (worded for a paged list or a watch), a future one a 504, an unreachable
 * datastore a 503.
 *
 * @module
 */
import {
  CompactedError,
  ConflictError,
  FutureRevisionError,
  KeyNotFoundError,
  UnavailableError,
} from "../../datastore/mod.ts";
import type { ResourceInfo } from "../registry/types.ts";
import { conflict, expired, internalError, notFound, serviceUnavailable, StatusError, timeout } from "./status.ts";

/** What a failed store call was about: one object, or a paged list. */
export type StoreErrorSubject = { r: ResourceInfo; name: string } | "list";

/**
 * The `Status` error for a store call's failure about `subject` (errors that already are Statuses pass through).
 *
 * @example
 * ```ts
 * try { await store.update(key, value, rev); } catch (error) { throw statusFromStoreError(error, { r, name }); }
 * ```
 */
export function statusFromStoreError(error: unknown, subject?: StoreErrorSubject): Error {
  const reads = subject === "list";
  const about = subject && subject !== "list" ? subject : undefined;
  if (error instanceof StatusError) return error;
  if (error instanceof ConflictError) {
    return conflict(about?.r ?? { group: "", resource: "" }, about?.name ?? error.key);
  }
  if (error instanceof CompactedError) {
    return expired(
      reads
        ? `The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.`
        : `too old resource version: ${error.requestedRevision} (${error.compactRevision})`,
    );
  }
  if (error instanceof FutureRevisionError) {
    return timeout(`Too large resource version: ${error.requestedRevision}, current: ${error.currentRevision}`);
  }
  if (error instanceof KeyNotFoundError) {
    return notFound(about?.r ?? { group: "", resource: "" }, about?.name ?? error.key);
  }
  if (error instanceof UnavailableError) return serviceUnavailable(`the datastore is unavailable: ${error.message}`);
  if (error instanceof SyntaxError) return internalError(`stored object is not valid JSON: ${error.message}`);
  return error instanceof Error ? error : new Error(String(error));
}
