/**
 * A node's {@linkcode NodeStreaming} served by its kubelet's HTTPS API (node/server) over a connection the server
 * dials (through the node's tunnel), as kube-apiserver reaches kubelets: logs are a GET of `/containerLogs`, whose
 * error answers become the API's Status; exec, attach and port-forward forward kubectl's upgrade request and then
 * join the two connections, so the kubelet's 101 (or its refusal) reaches kubectl verbatim.
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import type { IncomingMessage } from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import type { Duplex } from "node:stream";
import { text } from "node:stream/consumers";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import type { LogOptions, NodeStreaming, StreamTarget } from "../../core/api/pod_streams.ts";
import { errorResponse } from "../../core/api/router.ts";
import { refuseUpgrade } from "../../core/server/https.ts";
import { backendError, kubeletLogError } from "./kubelet_errors.ts";

/** How the API server proves itself to kubelets and checks them. */
export interface KubeletClientTLS {
  /** The CA of kubelets' serving certificates (K3s: the server CA). */
  ca: string;
  /** The API server's kubelet client certificate and key (`client-kube-apiserver`). */
  cert: string;
  key: string;
  /** The name the kubelet's certificate must carry (default `localhost`, which K3s's serving-kubelet has). */
  serverName?: string;
}

/** The request headers an upgrade needs at the kubelet; kubectl's credentials stay with the API server. */
const FORWARDED_HEADERS = new Set([
  "connection",
  "upgrade",
  "sec-websocket-key",
  "sec-websocket-version",
  "sec-websocket-protocol",
  "sec-websocket-extensions",
  "x-stream-protocol-version",
]);

/** The kubelet's path for a stream of `target`. */
function kubeletPath(kind: "containerLogs" | "exec" | "attach" | "portForward", target: StreamTarget): string {
  const parts = kind === "portForward"
    ? [target.namespace, target.name]
    : [target.namespace, target.name, target.container];
  return `/${kind}/${parts.map(encodeURIComponent).join("/")}`;
}

/** `PodLogOptions` as the query kube-apiserver sends the kubelet (only what is set). */
function logQuery(options: LogOptions): string {
  const query = new URLSearchParams();
  for (const key of ["follow", "previous", "timestamps"] as const) if (options[key]) query.set(key, "true");
  for (const key of ["sinceSeconds", "tailLines", "limitBytes"] as const) {
    if (options[key] !== undefined) query.set(key, String(options[key]));
  }
  if (options.sinceTime !== undefined) query.set("sinceTime", options.sinceTime);
  const encoded = query.toString();
  return encoded ? `?${encoded}` : "";
}

/**
 * The {@linkcode NodeStreaming} of a node whose kubelet `dial` reaches.
 *
 * @example
 * ```ts
 * const streaming = kubeletStreaming(() => tunnels.dial("node-1", "127.0.0.1", 10250), {
 *   ca: pki.serverCA.certPem, cert: pki.kubeAPIServerClient.certPem, key: pki.kubeAPIServerClient.keyPem,
 * });
 * nodes.register("node-1", streaming);
 * ```
 */
export function kubeletStreaming(dial: () => Promise<Duplex>, tls: KubeletClientTLS): NodeStreaming {
  const serverName = tls.serverName ?? "localhost";

  async function connect(): Promise<TLSSocket> {
    const raw = await dial();
    return await new Promise<TLSSocket>((resolve, reject) => {
      const socket = tlsConnect({ socket: raw, ca: tls.ca, cert: tls.cert, key: tls.key, servername: serverName });
      socket.once("secureConnect", () => {
        socket.off("error", reject);
        resolve(socket);
      });
      socket.once("error", (error) => {
        socket.destroy();
        reject(error);
      });
    });
  }

  return {
    async logs(target: StreamTarget, options: LogOptions, signal: AbortSignal) {
      const path = kubeletPath("containerLogs", target) + logQuery(options);
      let socket: TLSSocket;
      try {
        socket = await connect();
      } catch (error) {
        throw backendError(error);
      }
      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        const request = https.request({ method: "GET", host: serverName, path, createConnection: () => socket });
        const abort = () => request.destroy();
        signal.addEventListener("abort", abort, { once: true });
        socket.once("close", () => signal.removeEventListener("abort", abort));
        request.once("response", resolve);
        request.once("error", (error) => {
          socket.destroy();
          reject(backendError(error));
        });
        request.end();
      });
      response.once("close", () => socket.destroy());
      const code = response.statusCode ?? 500;
      if (code < 200 || code > 206) throw kubeletLogError(code, await text(response), target.name);
      return Readable.toWeb(response) as unknown as ReadableStream<Uint8Array>;
    },

    upgrade(kind, target: StreamTarget, request: IncomingMessage, socket: Duplex, head: Buffer) {
      connect().then((backend) => {
        const query = new URL(request.url ?? "/", "https://localhost").search;
        const path = kubeletPath(kind === "portforward" ? "portForward" : kind, target) + query;
        const lines = [`${request.method ?? "GET"} ${path} HTTP/1.1`, `Host: ${serverName}`];
        for (const [name, values] of Object.entries(request.headersDistinct)) {
          if (FORWARDED_HEADERS.has(name)) { for (const value of values ?? []) lines.push(`${name}: ${value}`); }
        }
        backend.write(`${lines.join("\r\n")}\r\n\r\n`);
        if (head.length) backend.write(head);
        backend.pipe(socket);
        socket.pipe(backend);
        backend.once("close", () => socket.destroy());
        socket.once("close", () => backend.destroy());
        backend.on("error", () => socket.destroy());
        socket.on("error", () => backend.destroy());
      }, (error) => refuseUpgrade(socket, errorResponse(backendError(error))));
    },
  };
}
