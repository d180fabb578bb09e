/**
 * Waiting for a container runtime to answer CRI calls, as K3s waits after starting containerd: its
 * socket exists early, but only a Version answer says the CRI plugin is serving.
 *
 * @module
 */
import { CriClient } from "../cri/client.ts";
import type { VersionResponse } from "../cri/types.ts";

/** Options of {@linkcode waitForRuntime}. */
export interface WaitOptions {
  /** Give up at this time (ms since the epoch). */
  deadline: number;
  signal?: AbortSignal;
  /** Stop early when this says the runtime's process is gone; its text explains why. */
  gone?: () => string | undefined;
}

const POLL_MS = 100;

/**
 * Resolves with the runtime's version once the socket answers CRI's Version; rejects at the deadline
 * (with the last error), when `gone` reports the process ended, or when `signal` aborts.
 *
 * @example
 * ```ts
 * const version = await waitForRuntime("/run/k3s/containerd/containerd.sock", { deadline: Date.now() + 60_000 });
 * version.runtime_name; // "containerd"
 * ```
 */
export async function waitForRuntime(socket: string, options: WaitOptions): Promise<VersionResponse> {
  const client = new CriClient(socket, { requestTimeoutMs: 1_000 });
  let last: unknown;
  try {
    while (true) {
      options.signal?.throwIfAborted();
      const gone = options.gone?.();
      if (gone) throw new Error(gone);
      try {
        return await client.version();
      } catch (error) {
        last = error;
      }
      if (Date.now() >= options.deadline) {
        throw new Error(`container runtime at ${socket} did not answer in time: ${(last as Error)?.message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    client.close();
  }
}
