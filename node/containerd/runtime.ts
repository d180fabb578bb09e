/**
 * The container runtime the agent uses: the containerd it supervises, or — with K3s's
 * `--container-runtime-endpoint` — one that something else runs.
 *
 * @module
 */
import { socketPath } from "../cri/client.ts";
import { waitForRuntime } from "./ready.ts";

/** A CRI runtime the agent can talk to. */
export interface ContainerRuntime {
  /** The CRI socket's path. */
  readonly address: string;
  /** Resolves once the runtime answers (at once while it runs; after a restart when it is down). */
  ready(): Promise<void>;
  /** Stop the runtime if the agent runs it; an external one is left alone. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options of {@linkcode connectContainerRuntime}. */
export interface ConnectOptions {
  /** How long to wait for the runtime to answer (default 60 s). */
  readyTimeoutMs?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/**
 * Use the runtime at `endpoint` (a socket path or `unix://` URL): resolves once it answers CRI, and
 * never stops it.
 *
 * @example
 * ```ts
 * const runtime = await connectContainerRuntime("unix:///run/containerd/containerd.sock");
 * const cri = new CriClient(runtime.address);
 * ```
 */
export async function connectContainerRuntime(
  endpoint: string,
  options: ConnectOptions = {},
): Promise<ContainerRuntime> {
  const address = socketPath(endpoint);
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  const answer = () => waitForRuntime(address, { deadline: Date.now() + timeoutMs, signal: options.signal });
  const version = await answer();
  options.log?.(`Using container runtime ${version.runtime_name} ${version.runtime_version} at ${address}`);
  return {
    address,
    ready: async () => {
      await answer();
    },
    stop: () => Promise.resolve(),
    [Symbol.asyncDispose]: () => Promise.resolve(),
  };
}
