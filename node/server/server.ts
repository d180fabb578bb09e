/**
 * The kubelet's HTTPS API on the node (upstream pkg/kubelet/server/server.go): `/healthz`, `/stats/summary`,
 * `/containerLogs`, and the `/exec`, `/attach` and `/portForward` upgrades the API server proxies kubectl's requests
 * to. Callers prove who they are with a client certificate from the cluster's client CA and are authorized per
 * request, as the kubelet's webhook authorizer does; the streaming itself is the node's {@linkcode nodeStreaming}.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { Duplex } from "node:stream";
import type { TLSSocket } from "node:tls";
import { logOptions, type StreamTarget } from "../../core/api/pod_streams.ts";
import type { CriClient } from "../cri/mod.ts";
import type { Summary } from "../stats/mod.ts";
import { POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from "../kubelet/mod.ts";
import { nodeStreaming } from "../streaming/mod.ts";
import {
  certificateUser,
  forbiddenMessage,
  type KubeletRequestAttributes,
  type KubeletUser,
  requestAttributes,
} from "./authorization.ts";

/** What `startKubeletServer` needs. */
export interface KubeletServerOptions {
  runtime: CriClient;
  nodeName: string;
  bindAddress: string;
  /** K3s's kubelet port is 10250; 0 picks a free one. */
  port: number;
  /** The serving-kubelet certificate and key, and the CA whose client certificates are accepted. */
  tls: { cert: string; key: string; clientCA: string };
  /** Whether `user` may do `attributes` (a SubjectAccessReview, as upstream's webhook authorizer). */
  authorize: (user: KubeletUser, attributes: KubeletRequestAttributes) => Promise<boolean>;
  /** Where pod logs live (`/var/log/pods`); the runtime's `log_path`s already point into it. */
  podLogsDir: string;
  /** The stats Summary (`/stats/summary`, what metrics-server scrapes); without it the path is 404. */
  summary?: () => Promise<Summary>;
  signal: AbortSignal;
  log: (line: string) => void;
}

/** The running server. */
export interface KubeletServer {
  port: number;
  close(): Promise<void>;
}

/** A failure the kubelet answers with a status code and a plain-text message. */
class HttpError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/** The status code of any failure: ours, a `StatusError` from the streaming layer, or 500. */
function errorCode(error: unknown): number {
  if (error instanceof HttpError) return error.code;
  return (error as { status?: { code?: number } }).status?.code ?? 500;
}

/** The route a path names: its handler kind and the pod (and container) it is for. */
interface Route {
  kind: "healthz" | "containerLogs" | "exec" | "attach" | "portforward";
  namespace: string;
  pod: string;
  container: string;
}

const POD_ROUTES: Record<string, { kind: Route["kind"]; segments: number }> = {
  containerLogs: { kind: "containerLogs", segments: 3 },
  exec: { kind: "exec", segments: 3 },
  attach: { kind: "attach", segments: 3 },
  portForward: { kind: "portforward", segments: 2 },
};

/** The route of `path`, or null for 404. Exec and attach also accept upstream's `/{ns}/{pod}/{uid}/{container}`. */
function route(path: string): Route | null {
  if (path === "/healthz") return { kind: "healthz", namespace: "", pod: "", container: "" };
  const [, head, ...rest] = path.split("/").map(decodeURIComponent);
  const known = POD_ROUTES[head];
  if (!known || rest.some((s) => s === "")) return null;
  if (rest.length === known.segments || (known.kind !== "containerLogs" && rest.length === known.segments + 1)) {
    return { kind: known.kind, namespace: rest[0], pod: rest[1], container: rest.at(-1)! };
  }
  return null;
}

/**
 * Start the kubelet's HTTPS API; it stops when `signal` aborts or `close()` is called.
 *
 * @example
 * ```ts
 * const server = await startKubeletServer({
 *   runtime: cri, nodeName: "node-1", bindAddress: "0.0.0.0", port: 10250,
 *   tls: { cert, key, clientCA }, authorize: subjectAccessReview, podLogsDir: "/var/log/pods",
 *   signal, log: console.log,
 * });
 * ```
 */
export async function startKubeletServer(options: KubeletServerOptions): Promise<KubeletServer> {
  const { runtime, nodeName, log } = options;
  const streaming = nodeStreaming(runtime, log);

  /** The pod's identity from its newest sandbox: the kubelet's streaming layer works by UID. */
  async function target(r: Route): Promise<StreamTarget> {
    const sandboxes = await runtime.listPodSandbox({
      label_selector: { [POD_NAMESPACE_LABEL]: r.namespace, [POD_NAME_LABEL]: r.pod },
    });
    const newest = sandboxes.sort((a, b) => b.created_at - a.created_at)[0];
    if (!newest) throw new HttpError(404, `pod "${r.pod}" does not exist`);
    const uid = newest.labels[POD_UID_LABEL] ?? newest.metadata?.uid ?? "";
    return { namespace: r.namespace, name: r.pod, uid, container: r.kind === "portforward" ? "" : r.container };
  }

  /** Authenticate and authorize; throws the 401/403 the kubelet answers with. */
  async function admit(request: IncomingMessage, path: string): Promise<void> {
    const user = certificateUser(request.socket as TLSSocket);
    if (!user) throw new HttpError(401, "Unauthorized");
    const attributes = requestAttributes(request.method ?? "GET", path, nodeName);
    let allowed = false;
    try {
      allowed = await options.authorize(user, attributes);
    } catch (error) {
      log(`kubelet authorization for ${user.name}: ${(error as Error).message}`);
      throw new HttpError(
        500,
        `Authorization error (user=${user.name}, verb=${attributes.verb}, ` +
          `resource=${attributes.resource}, subresource=${attributes.subresource})`,
      );
    }
    if (!allowed) throw new HttpError(403, forbiddenMessage(user, attributes));
  }

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "https://kubelet");
    await admit(request, url.pathname);
    if (url.pathname === "/stats/summary" && options.summary) {
      if (request.method !== "GET") throw new HttpError(405, "Method Not Allowed");
      response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(await options.summary()));
      return;
    }
    const r = route(url.pathname);
    if (!r) throw new HttpError(404, "404 page not found");
    if (r.kind === "healthz") {
      response.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" }).end("ok");
      return;
    }
    if (r.kind !== "containerLogs") {
      throw new HttpError(400, `${url.pathname.split("/")[1]} needs a WebSocket or SPDY/3.1 upgrade`);
    }
    if (request.method !== "GET" && request.method !== "HEAD") throw new HttpError(405, "Method Not Allowed");
    const aborted = new AbortController();
    response.once("close", () => aborted.abort());
    const text = await streaming.logs(await target(r), logOptions(url.searchParams), aborted.signal);
    response.writeHead(200, { "Content-Type": "text/plain" });
    Readable.fromWeb(text as import("node:stream/web").ReadableStream<Uint8Array>).pipe(response);
  }

  async function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? "/", "https://kubelet");
    await admit(request, url.pathname);
    const r = route(url.pathname);
    if (!r) throw new HttpError(404, "404 page not found");
    if (r.kind !== "exec" && r.kind !== "attach" && r.kind !== "portforward") {
      throw new HttpError(400, `${url.pathname} does not upgrade`);
    }
    streaming.upgrade(r.kind, await target(r), request, socket, head);
  }

  const server = https.createServer({
    cert: options.tls.cert,
    key: options.tls.key,
    ca: options.tls.clientCA,
    requestCert: true,
    // Unauthenticated clients get the kubelet's 401 rather than a TLS alert.
    rejectUnauthorized: false,
  });
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    serve(request, response).catch((error) => {
      const code = errorCode(error);
      if (code === 500) log(`kubelet ${request.method} ${request.url}: ${(error as Error).message}`);
      if (response.headersSent) return response.destroy();
      response.writeHead(code, { "Content-Type": "text/plain; charset=utf-8" }).end((error as Error).message);
    });
  });
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgrade(request, socket, head).catch((error) => {
      const body = (error as Error).message;
      socket.end(
        `HTTP/1.1 ${errorCode(error)} Error\r\nContent-Type: text/plain; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.bindAddress, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  options.signal.addEventListener("abort", () => close(), { once: true });
  return { port: (server.address() as AddressInfo).port, close };
}
