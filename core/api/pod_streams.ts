/**
 * The pod subresources the API server hands to the pod's node: `pods/log` (a text stream), `pods/exec`, `pods/attach`
 * and `pods/portforward` (upgraded connections). kube-apiserver proxies them to the kubelet; here each node agent
 * registers its {@linkcode NodeStreaming} under its node name, and the server validates the request the way
 * kube-apiserver's pod REST storage does (container defaulting, scheduled pod) before handing it over.
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { badRequest } from "./status.ts";
import type { KubeObject } from "./storage.ts";

/** `PodLogOptions`, as the kubelet takes them. */
export interface LogOptions {
  follow?: boolean;
  previous?: boolean;
  sinceSeconds?: number;
  sinceTime?: string;
  tailLines?: number;
  timestamps?: boolean;
  limitBytes?: number;
}

/** The pod and container a stream is for. */
export interface StreamTarget {
  namespace: string;
  name: string;
  uid: string;
  /** Empty for port-forward. */
  container: string;
}

/** What a node agent serves for its pods (the kubelet's streaming API). */
export interface NodeStreaming {
  /** The container's log as text; ends at once unless `follow`, then when the container stops or `signal` aborts. */
  logs(target: StreamTarget, options: LogOptions, signal: AbortSignal): Promise<ReadableStream<Uint8Array>>;
  /**
   * Take over an upgrade request (WebSocket or SPDY) for exec, attach or port-forward: the node answers it (101 or an
   * error) on `socket` and serves the session.
   */
  upgrade(
    kind: "exec" | "attach" | "portforward",
    target: StreamTarget,
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): void;
}

/**
 * The node agents this server reaches, by node name.
 *
 * @example
 * ```ts
 * const nodes = new NodeStreams();
 * const unregister = nodes.register("node1", agentStreaming);
 * ```
 */
export class NodeStreams {
  readonly #nodes = new Map<string, NodeStreaming>();

  /** Serve `node`'s pods through `streaming`; the returned function undoes it. */
  register(node: string, streaming: NodeStreaming): () => void {
    this.#nodes.set(node, streaming);
    return () => {
      if (this.#nodes.get(node) === streaming) this.#nodes.delete(node);
    };
  }

  /** The agent of `node`, or a 400 saying it cannot be reached (as kube-apiserver words a dead kubelet). */
  of(node: string): NodeStreaming {
    const streaming = this.#nodes.get(node);
    if (!streaming) {
      throw badRequest(`the node agent of node "${node}" is not connected to this server, so it cannot be reached`);
    }
    return streaming;
  }
}

interface PodShape {
  metadata?: { name?: string; namespace?: string; uid?: string; annotations?: Record<string, string> };
  spec?: {
    nodeName?: string;
    containers?: { name: string }[];
    initContainers?: { name: string }[];
    ephemeralContainers?: { name: string }[];
  };
}

/**
 * The container a request is for: the one named, else the `kubectl.kubernetes.io/default-container` annotation's, else
 * the only one; errors as kube-apiserver's `pod.LogLocation` words them.
 *
 * @example
 * ```ts
 * podContainer(pod, ""); // "web" for a pod with one container
 * ```
 */
export function podContainer(object: KubeObject, requested: string): string {
  const pod = object as PodShape;
  const name = pod.metadata?.name ?? "";
  const containers = (pod.spec?.containers ?? []).map((c) => c.name);
  const init = (pod.spec?.initContainers ?? []).map((c) => c.name);
  const ephemeral = (pod.spec?.ephemeralContainers ?? []).map((c) => c.name);
  if (requested) {
    if (![...containers, ...init, ...ephemeral].includes(requested)) {
      throw badRequest(`container ${requested} is not valid for pod ${name}`);
    }
    return requested;
  }
  const annotated = pod.metadata?.annotations?.["kubectl.kubernetes.io/default-container"];
  if (annotated && containers.includes(annotated)) return annotated;
  if (containers.length === 1) return containers[0];
  let message = `a container name must be specified for pod ${name}, choose one of: [${containers.join(" ")}]`;
  if (init.length) message += ` or one of the init containers: [${init.join(" ")}]`;
  throw badRequest(message);
}

/**
 * The target of a pod stream, once the pod is scheduled.
 *
 * @example
 * ```ts
 * const { node, target } = streamTarget(pod, url.searchParams.get("container") ?? "", true);
 * ```
 */
export function streamTarget(
  object: KubeObject,
  requested: string,
  needsContainer: boolean,
): { node: string; target: StreamTarget } {
  const pod = object as PodShape;
  const name = pod.metadata?.name ?? "";
  const container = needsContainer ? podContainer(object, requested) : "";
  const node = pod.spec?.nodeName;
  if (!node) throw badRequest(`pod ${name} does not have a host assigned`);
  return {
    node,
    target: { namespace: pod.metadata?.namespace ?? "", name, uid: pod.metadata?.uid ?? "", container },
  };
}

/**
 * `PodLogOptions` from a request's query; a malformed number is a 400.
 *
 * @example
 * ```ts
 * logOptions(new URLSearchParams("follow=true&tailLines=10")); // { follow: true, tailLines: 10 }
 * ```
 */
export function logOptions(query: URLSearchParams): LogOptions {
  const bool = (key: string) => ["true", "1"].includes(query.get(key) ?? "");
  const int = (key: string) => {
    const text = query.get(key);
    if (text === null) return undefined;
    if (!/^-?\d+$/.test(text)) throw badRequest(`${key}: invalid value "${text}": must be an integer`);
    const value = Number(text);
    if (value < (key === "tailLines" ? 0 : 1)) {
      throw badRequest(`PodLogOptions is invalid: ${key}: Invalid value: ${value}: must be greater than 0`);
    }
    return value;
  };
  const options: LogOptions = {
    follow: bool("follow"),
    previous: bool("previous"),
    timestamps: bool("timestamps"),
    sinceSeconds: int("sinceSeconds"),
    tailLines: int("tailLines"),
    limitBytes: int("limitBytes"),
    sinceTime: query.get("sinceTime") ?? undefined,
  };
  if (options.sinceSeconds !== undefined && options.sinceTime !== undefined) {
    throw badRequest("PodLogOptions is invalid: at most one of `sinceTime` or `sinceSeconds` may be specified");
  }
  return options;
}
