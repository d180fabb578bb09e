/**
 * Opening and accepting SPDY/3.1 connections over an HTTP/1.1 upgrade, as Kubernetes' streaming clients and
 * servers do: `Connection: Upgrade`, `Upgrade: SPDY/3.1`, sub-protocols offered in `X-Stream-Protocol-Version`.
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import http from "node:http";
import https from "node:https";
import type { Duplex } from "node:stream";
import type { SecureContextOptions } from "node:tls";
import { SpdySession } from "./session.ts";

/** Options of `spdyClientUpgrade`. */
export interface SpdyClientOptions {
  /** Extra request headers (e.g. Authorization). */
  headers?: Record<string, string>;
  /** Offered sub-protocols, most preferred first, one `X-Stream-Protocol-Version` header each. */
  protocols: string[];
  /** TLS settings for https URLs. */
  tls?: SecureContextOptions & { rejectUnauthorized?: boolean; servername?: string };
}

/**
 * POSTs an upgrade to a SPDY streaming URL (e.g. containerd's `http://127.0.0.1:<port>/exec/<token>`) and returns
 * the client session and the protocol the server chose; rejects unless the answer is 101.
 *
 * @example
 * ```ts
 * const { session, protocol } = await spdyClientUpgrade(url, { protocols: ["v4.channel.k8s.io"] });
 * ```
 */
export function spdyClientUpgrade(
  url: string,
  options: SpdyClientOptions,
): Promise<{ session: SpdySession; protocol: string }> {
  const target = new URL(url);
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(target, {
      method: "POST",
      ...options.tls,
      headers: {
        ...options.headers,
        "Connection": "Upgrade",
        "Upgrade": "SPDY/3.1",
        "X-Stream-Protocol-Version": options.protocols,
      },
    });
    request.on("upgrade", (response, socket: Duplex, head: Buffer) => {
      const protocol = String(response.headers["x-stream-protocol-version"] ?? "");
      if (options.protocols.length && !options.protocols.includes(protocol)) {
        socket.destroy();
        return reject(new Error(`SPDY upgrade: server chose unoffered protocol "${protocol}"`));
      }
      const session = new SpdySession(socket, "client");
      if (head.length) socket.unshift(head);
      resolve({ session, protocol });
    });
    request.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => body += chunk);
      response.on("end", () => reject(new Error(`SPDY upgrade refused: ${response.statusCode} ${body.trim()}`)));
    });
    request.on("error", reject);
    request.end();
  });
}

/**
 * Answers a node:http `upgrade` event for `Upgrade: SPDY/3.1`: picks the first of the client's
 * `X-Stream-Protocol-Version` offers that `protocols` supports, writes the 101, and returns the server session.
 * Without a common protocol it writes 403 and returns undefined.
 *
 * @example
 * ```ts
 * server.on("upgrade", (req, socket, head) => {
 *   const accepted = acceptSpdyUpgrade(req, socket, head, ["portforward.k8s.io"]);
 * });
 * ```
 */
export function acceptSpdyUpgrade(
  request: http.IncomingMessage,
  socket: Duplex,
  head: Buffer,
  protocols: string[],
): { session: SpdySession; protocol: string } | undefined {
  const offered =
    request.headersDistinct["x-stream-protocol-version"]?.flatMap((value) =>
      value.split(",").map((part) => part.trim())
    ) ?? [];
  const protocol = offered.find((candidate) => protocols.includes(candidate));
  if (!protocol) {
    socket.end(
      "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n" +
        `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(" ")}], server supports [${
          protocols.join(" ")
        }]`,
    );
    return undefined;
  }
  socket.write(
    "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n" +
      `X-Stream-Protocol-Version: ${protocol}\r\n\r\n`,
  );
  const session = new SpdySession(socket, "server");
  if (head.length) socket.unshift(head);
  return { session, protocol };
}
