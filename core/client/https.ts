/**
 * The HTTPS transport: `node:https` with a keep-alive agent and a client certificate (agents on other
 * machines, tests), answering with web `Response`s whose bodies stream, so watches read as they arrive.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { IncomingMessage } from "node:http";
import https from "node:https";
import type { Transport } from "./transport.ts";

/** Where the API is and how to prove who we are. */
export interface HttpsTransportOptions {
  /** The API's base URL, e.g. `https://127.0.0.1:6443`. */
  server: string;
  /** The CA that signed the server's certificate (PEM). */
  caPem: string;
  /** Client certificate and key (PEM); omit both for token-only or anonymous access. */
  certPem?: string;
  keyPem?: string;
  /** A bearer token sent as `Authorization`. */
  token?: string;
}

/** A transport over HTTPS; `close()` drops its idle keep-alive connections. */
export type HttpsTransport = Transport & { close(): void };

/**
 * A transport to `options.server`, reusing connections across requests.
 *
 * @example
 * ```ts
 * const transport = httpsTransport({ server: "https://127.0.0.1:6443", caPem, certPem, keyPem });
 * const client = new ApiClient(transport, new Registry());
 * transport.close();
 * ```
 */
export function httpsTransport(options: HttpsTransportOptions): HttpsTransport {
  const base = new URL(options.server);
  const agent = new https.Agent({
    keepAlive: true,
    ca: options.caPem,
    cert: options.certPem,
    key: options.keyPem,
  });
  const send: Transport = async (request, signal = request.signal) => {
    signal?.throwIfAborted();
    const url = new URL(request.url);
    // The client's path may carry a prefix (a server behind a proxy path); keep the base's.
    const path = base.pathname.replace(/\/$/, "") + url.pathname + url.search;
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const headers: Record<string, string> = Object.fromEntries(request.headers);
    if (options.token) headers["authorization"] = `Bearer ${options.token}`;
    if (body) headers["content-length"] = String(body.length);
    return await new Promise<Response>((resolve, reject) => {
      const outgoing = https.request({
        agent,
        protocol: base.protocol,
        hostname: base.hostname.replace(/^\[|\]$/g, ""),
        port: base.port || 443,
        method: request.method,
        path,
        headers,
      });
      const abort = () => outgoing.destroy(signal?.reason ?? new DOMException("aborted", "AbortError"));
      signal?.addEventListener("abort", abort, { once: true });
      outgoing.once("error", (error) => {
        signal?.removeEventListener("abort", abort);
        reject(error);
      });
      outgoing.once("response", (incoming) => {
        incoming.once("close", () => signal?.removeEventListener("abort", abort));
        resolve(toResponse(incoming, () => outgoing.destroy()));
      });
      outgoing.end(body);
    });
  };
  return Object.assign(send, { close: () => agent.destroy() });
}

/** A web `Response` over a node response, pulling chunks only as fast as the reader takes them. */
function toResponse(incoming: IncomingMessage, destroy: () => void): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const status = incoming.statusCode ?? 500;
  let finished = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      incoming.on("data", (chunk: Buffer) => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 1) <= 0) incoming.pause();
      });
      incoming.once("end", () => {
        if (finished) return;
        finished = true;
        controller.close();
      });
      // A connection cut mid-body (server stopped, or our own abort) ends the stream with that error.
      incoming.once("error", (error) => {
        if (finished) return;
        finished = true;
        controller.error(error);
      });
      incoming.once("aborted", () => {
        if (finished) return;
        finished = true;
        controller.error(new Error("the API server closed the connection mid-response"));
      });
    },
    pull() {
      incoming.resume();
    },
    cancel() {
      finished = true;
      destroy();
    },
  });
  // 204/304 and HEAD answers have no body; Response refuses one for null-body statuses.
  const nullBody = status === 204 || status === 304 || status === 101;
  return new Response(nullBody ? null : body, { status, statusText: incoming.statusMessage, headers });
}
