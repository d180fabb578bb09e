/**
 * Reading a watch response: newline-delimited JSON events from a (chunked) body, which may split a
 * line anywhere.
 *
 * @module
 */
import type { Status } from "../api/status.ts";
import { ApiError } from "./errors.ts";

/** One watch event. `BOOKMARK` objects carry only `metadata.resourceVersion`. */
export interface WatchEvent<T> {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK";
  object: T;
}

/**
 * The events of a watch body until the server ends it or `signal` aborts (then it simply stops). An
 * `ERROR` event — e.g. 410 Expired for a compacted resourceVersion — is thrown as an `ApiError`.
 *
 * @example
 * ```ts
 * for await (const event of readWatchEvents(response.body!, signal)) console.log(event.type);
 * ```
 */
export async function* readWatchEvents<T>(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<WatchEvent<T>> {
  // Decoding by hand, not through a TextDecoderStream pipe, so cancelling reaches the body at once.
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const stop = () => reader.cancel().catch(() => {});
  signal?.addEventListener("abort", stop, { once: true });
  let buffer = "";
  try {
    while (!signal?.aborted) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        // Our own abort tears the connection down; that is the end, not a failure.
        if (signal?.aborted) return;
        throw error;
      }
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) yield parseEvent<T>(line);
        if (signal?.aborted) return;
      }
    }
    const rest = (buffer + decoder.decode()).trim();
    if (rest && !signal?.aborted) yield parseEvent<T>(rest);
  } finally {
    signal?.removeEventListener("abort", stop);
    // Leaving the loop early (break, return, throw) must close the stream, or the server keeps sending.
    await stop();
  }
}

function parseEvent<T>(line: string): WatchEvent<T> {
  const event = JSON.parse(line) as { type: string; object: unknown };
  if (event.type === "ERROR") throw new ApiError(event.object as Status);
  return event as WatchEvent<T>;
}
