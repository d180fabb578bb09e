import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCriLog, readContainerLog } from "../../../node/streaming/mod.ts";

const LOG = [
  "2026-01-01T00:00:01.000000001Z stdout F first",
  "2026-01-01T00:00:02.000000001Z stderr P par",
  "2026-01-01T00:00:02.500000001Z stderr F tial",
  "2026-01-01T00:00:03.000000001Z stdout F third",
  "",
].join("\n");

function withLog(text: string, fn: (path: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "k3s-logs-"));
  const path = join(dir, "0.log");
  writeFileSync(path, text);
  return fn(path).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const notRunning = { stillRunning: () => Promise.resolve(false) };

Deno.test("CRI log lines: partial lines are joined, the unfinished tail is kept", () => {
  const { lines, rest } = parseCriLog(LOG + "2026-01-01T00:00:04Z stdout F unfin");
  assert.deepEqual(lines.map((l) => l.text), ["first", "partial", "third"]);
  assert.equal(rest, "2026-01-01T00:00:04Z stdout F unfin");
});

Deno.test("container log: whole file, with timestamps on request", async () => {
  await withLog(LOG, async (path) => {
    assert.equal(await new Response(readContainerLog(path, {}, notRunning)).text(), "first\npartial\nthird\n");
    const stamped = await new Response(readContainerLog(path, { timestamps: true }, notRunning)).text();
    assert.equal(stamped.split("\n")[0], "2026-01-01T00:00:01.000000001Z first");
  });
});

Deno.test("container log: tailLines, sinceTime and limitBytes", async () => {
  await withLog(LOG, async (path) => {
    assert.equal(await new Response(readContainerLog(path, { tailLines: 1 }, notRunning)).text(), "third\n");
    const since = readContainerLog(path, { sinceTime: "2026-01-01T00:00:02.4Z" }, notRunning);
    assert.equal(await new Response(since).text(), "partial\nthird\n");
    assert.equal(await new Response(readContainerLog(path, { limitBytes: 3 }, notRunning)).text(), "fir");
  });
});

Deno.test("container log: follow streams what is written until the container stops", async () => {
  await withLog(LOG, async (path) => {
    let running = true;
    const body = readContainerLog(path, { follow: true, tailLines: 1 }, {
      stillRunning: () => Promise.resolve(running),
    });
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    assert.equal((await reader.read()).value, "third\n");
    appendFileSync(path, "2026-01-01T00:00:05Z stdout F later\n");
    assert.equal((await reader.read()).value, "later\n");
    running = false;
    assert.equal((await reader.read()).done, true);
  });
});
