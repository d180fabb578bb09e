// Reading watch bodies: events split across chunks, ERROR events, and leaving early.
import assert from "node:assert/strict";
import { ApiError, errorFromResponse, isExpired, isNotFound, readWatchEvents } from "../../../core/client/mod.ts";

function streamOf(chunks: string[], onCancel?: () => void): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(encoder.encode(chunks[i++]));
      else controller.close();
    },
    cancel: onCancel,
  });
}

Deno.test("watch events split anywhere across chunks are reassembled line by line", async () => {
  const body = streamOf(['{"type":"ADDED","obj', 'ect":{"n":1}}\n{"type":"MODI', 'FIED","object":{"n":2}}', "\n"]);
  const seen = [];
  for await (const event of readWatchEvents<{ n: number }>(body)) seen.push(`${event.type} ${event.object.n}`);
  assert.deepEqual(seen, ["ADDED 1", "MODIFIED 2"]);
});

Deno.test("an ERROR watch event is thrown as an ApiError with its Status", async () => {
  const status = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: "too old",
    reason: "Expired",
    code: 410,
  };
  const body = streamOf([`{"type":"ADDED","object":{}}\n{"type":"ERROR","object":${JSON.stringify(status)}}\n`]);
  const types: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const event of readWatchEvents(body)) types.push(event.type);
    })(),
    (e) => e instanceof ApiError && isExpired(e) && e.message === "too old",
  );
  assert.deepEqual(types, ["ADDED"]);
});

Deno.test("leaving a watch loop early cancels the response body", async () => {
  let cancelled = false;
  const body = streamOf(['{"type":"ADDED","object":{}}\n', '{"type":"ADDED","object":{}}\n'], () => cancelled = true);
  for await (const _ of readWatchEvents(body)) break;
  assert.ok(cancelled);
});

Deno.test("a failure without a Status body still gets a reason from its HTTP code", async () => {
  const error = await errorFromResponse(new Response("no such thing", { status: 404 }));
  assert.ok(isNotFound(error));
  assert.equal(error.message, "no such thing");
});
