/**
 * Recording `v1` Events about objects, as client-go's event recorder does: one Event per distinct
 * (object, type, reason, message), and repeats bump its `count` and `lastTimestamp` instead of adding
 * Events, so `kubectl describe` shows "x5 over 2m".
 *
 * @module
 */
import { type Client, isNotFound } from "../client/mod.ts";
import type { KubeObject } from "./source.ts";

/** Records Events; never throws (a lost Event must not fail a reconcile). */
export interface EventRecorder {
  /** Record that `reason` happened to `object`; `message` is what a human reads. */
  event(object: KubeObject, type: "Normal" | "Warning", reason: string, message: string): void;
  /** Resolves when every Event recorded so far has been written (or given up on). */
  flush(): Promise<void>;
}

/** Options of {@linkcode eventRecorder}. */
export interface EventRecorderOptions {
  /** `source.host` / `reportingInstance`: the node or server recording. */
  host?: string;
  /** Where a failed write is reported; defaults to `console.error`. */
  onError?: (error: unknown) => void;
}

/**
 * The text of a failure for an Event's message (an Error's message, anything else as a string).
 *
 * @example
 * ```ts
 * events.event(job, "Warning", "FailedCreate", `Error creating: ${errorMessage(error)}`);
 * ```
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Repeats older than kube's aggregation window start a new Event. */
const AGGREGATION_WINDOW_MS = 10 * 60_000;
/** Remembered series; the oldest are forgotten beyond this (client-go's LRU holds 4096). */
const MAX_SERIES = 4096;

interface Series {
  namespace: string;
  name: string;
  count: number;
  firstTimestamp: string;
  lastSeen: number;
  /** Writes of one series are serialized so counts never go backwards. */
  chain: Promise<void>;
}

/**
 * An {@linkcode EventRecorder} writing through `client` as `component`.
 *
 * @example
 * ```ts
 * const events = eventRecorder(client, "default-scheduler");
 * events.event(pod, "Warning", "FailedScheduling", "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.");
 * ```
 */
export function eventRecorder(client: Client, component: string, options: EventRecorderOptions = {}): EventRecorder {
  const series = new Map<string, Series>();
  const pending = new Set<Promise<void>>();
  const onError = options.onError ?? ((error) => console.error(`${component}: recording an event:`, error));

  async function write(s: Series, event: KubeObject): Promise<void> {
    if (s.count > 1) {
      try {
        await client.patch({ apiVersion: "v1", kind: "Event" }, s.namespace, s.name, "merge", {
          count: s.count,
          lastTimestamp: event.lastTimestamp,
          message: event.message,
        });
        return;
      } catch (error) {
        // The Event aged out (TTL) or was deleted: record the repeat as a new one.
        if (!isNotFound(error)) throw error;
      }
    }
    await client.create(event as KubeObject & { apiVersion: string; kind: string });
  }

  return {
    event(object, type, reason, message) {
      const meta = object.metadata ?? {};
      const now = new Date();
      const namespace = meta.namespace || "default";
      const key = [meta.uid ?? `${namespace}/${meta.name}`, type, reason, message].join("\u0000");
      let s = series.get(key);
      if (!s || now.getTime() - s.lastSeen > AGGREGATION_WINDOW_MS) {
        s = {
          namespace,
          name: `${meta.name}.${(BigInt(now.getTime()) * 1_000_000n + BigInt(series.size)).toString(16)}`,
          count: 0,
          firstTimestamp: now.toISOString(),
          lastSeen: 0,
          chain: Promise.resolve(),
        };
        series.delete(key);
        if (series.size >= MAX_SERIES) series.delete(series.keys().next().value!);
        series.set(key, s);
      }
      s.count++;
      s.lastSeen = now.getTime();
      const event: KubeObject = {
        apiVersion: "v1",
        kind: "Event",
        metadata: { name: s.name, namespace },
        involvedObject: {
          apiVersion: object.apiVersion,
          kind: object.kind,
          namespace: meta.namespace,
          name: meta.name,
          uid: meta.uid,
          resourceVersion: meta.resourceVersion,
        },
        reason,
        message,
        type,
        count: s.count,
        firstTimestamp: s.firstTimestamp,
        lastTimestamp: now.toISOString(),
        source: { component, ...(options.host ? { host: options.host } : {}) },
        reportingComponent: component,
        reportingInstance: options.host ?? "",
      };
      const current = s;
      const done = current.chain.then(() => write(current, event)).catch(onError);
      current.chain = done;
      pending.add(done);
      done.finally(() => pending.delete(done));
    },
    async flush() {
      await Promise.all([...pending]);
    },
  };
}
