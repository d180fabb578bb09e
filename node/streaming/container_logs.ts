/**
 * Reading a container's log file in the CRI format (`<RFC3339Nano> <stdout|stderr> <P|F> <text>`, partial lines joined)
 * the way the kubelet's `ReadLogs` does: `tailLines`, `sinceSeconds`/`sinceTime`, `timestamps`, `limitBytes`, and
 * `follow`, which keeps reading as the container writes until it stops.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { open } from "node:fs/promises";
import type { LogOptions } from "../../core/api/pod_streams.ts";

/** One log line, partials joined. */
interface LogLine {
  time: string;
  text: string;
}

/** How often a followed file is looked at for more. */
const FOLLOW_POLL_MS = 200;

/**
 * Split CRI log text into lines; an unfinished last line (no newline yet) is left in `rest`.
 *
 * @example
 * ```ts
 * parseCriLog("2024-01-01T00:00:00.1Z stdout P hel\n2024-01-01T00:00:00.2Z stdout F lo\n").lines[0].text; // "hello"
 * ```
 */
export function parseCriLog(text: string, pending = ""): { lines: LogLine[]; rest: string; pending: string } {
  const lines: LogLine[] = [];
  let partial = pending;
  const all = text.split("\n");
  const rest = all.pop() ?? "";
  for (const raw of all) {
    const first = raw.indexOf(" ");
    const second = raw.indexOf(" ", first + 1);
    const third = raw.indexOf(" ", second + 1);
    if (first < 0 || second < 0) continue;
    const tag = raw.slice(second + 1, third < 0 ? undefined : third);
    const content = third < 0 ? "" : raw.slice(third + 1);
    if (tag === "P") {
      partial += content;
      continue;
    }
    lines.push({ time: raw.slice(0, first), text: partial + content });
    partial = "";
  }
  return { lines, rest, pending: partial };
}

/**
 * The log at `path` as a stream of text.
 *
 * @example
 * ```ts
 * const body = readContainerLog("/var/log/pods/default_web_u1/web/0.log", { tailLines: 10 }, { stillRunning: async () => false });
 * ```
 */
export function readContainerLog(
  path: string,
  options: LogOptions,
  deps: { stillRunning: () => Promise<boolean>; signal?: AbortSignal },
): ReadableStream<Uint8Array> {
  const since = options.sinceTime
    ? Date.parse(options.sinceTime)
    : options.sinceSeconds !== undefined
    ? Date.now() - options.sinceSeconds * 1000
    : undefined;
  let budget = options.limitBytes ?? Infinity;
  const encoder = new TextEncoder();
  const render = (line: LogLine) => `${options.timestamps ? `${line.time} ` : ""}${line.text}\n`;
  const keep = (line: LogLine) => since === undefined || Date.parse(line.time) >= since;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string): boolean => {
        if (budget <= 0) return false;
        let bytes = encoder.encode(text);
        if (bytes.length > budget) bytes = bytes.subarray(0, budget);
        budget -= bytes.length;
        controller.enqueue(bytes);
        return budget > 0;
      };
      let file;
      try {
        file = await open(path, "r");
      } catch {
        controller.close();
        return;
      }
      try {
        let offset = 0;
        let carry = "";
        let pending = "";
        const readMore = async (): Promise<LogLine[]> => {
          const { size } = await file!.stat();
          if (size < offset) offset = 0; // truncated (rotated): start over
          if (size === offset) return [];
          const buffer = Buffer.alloc(size - offset);
          await file!.read(buffer, 0, buffer.length, offset);
          offset = size;
          const parsed = parseCriLog(carry + buffer.toString("utf8"), pending);
          carry = parsed.rest;
          pending = parsed.pending;
          return parsed.lines.filter(keep);
        };
        let lines = await readMore();
        if (options.tailLines !== undefined) lines = options.tailLines === 0 ? [] : lines.slice(-options.tailLines);
        for (const line of lines) if (!send(render(line))) return controller.close();
        while (options.follow && !deps.signal?.aborted) {
          const running = await deps.stillRunning();
          const more = await readMore();
          for (const line of more) if (!send(render(line))) return controller.close();
          if (!running) break;
          await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
        }
        controller.close();
      } catch (error) {
        controller.error(error);
      } finally {
        await file.close();
      }
    },
  });
}
