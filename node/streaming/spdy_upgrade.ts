/**
 * Opening and accepting SPDY/3.1 connections over HTTP/1.1 upgrades, as Kubernetes' streaming clients and servers do:
 * `Connection: Upgrade`, `Upgrade: SPDY/3.1` and the sub-protocol offered in `X-Stream-Protocol-Version`.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { IncomingMessage } from "node:http";
import { connect } from "node:net";
import type { Duplex } from "node:stream";
import { SpdySession } from "./spdy.ts";

/**
 * Connect to a SPDY streaming URL (containerd's `http://127.0.0.1:<port>/exec/<token>`) offering `protocols`.
 *
 * @example
 * ```ts
 * const { session, protocol } = await spdyClientUpgrade(url, ["v4.channel.k8s.io"]);
 * ```
 */
export function spdyClientUpgrade(
  url: string,
  protocols: string[],
): Promise<{ session: SpdySession; protocol: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.hostname, port: Number(target.port || 80) });
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.write(
        `POST ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n` +
          `Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\n` +
          protocols.map((p) => `X-Stream-Protocol-Version: ${p}\r\n`).join("") +
          `Content-Length: 0\r\n\r\n`,
      );
    });
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      socket.off("data", onData);
      socket.off("error", reject);
      const lines = head.subarray(0, end).toString("latin1").split("\r\n");
      const status = Number(lines[0].split(" ")[1]);
      const rest = head.subarray(end + 4);
      if (status !== 101) {
        socket.destroy();
        reject(new Error(`the streaming server answered ${lines[0]}: ${rest.toString().trim()}`));
        return;
      }
      const protocol = lines.find((l) => /^x-stream-protocol-version:/i.test(l))?.split(":")[1]?.trim() ?? "";
      const session = new SpdySession(socket, "client");
      if (rest.length) socket.unshift(rest);
      resolve({ session, protocol });
    };
    socket.on("data", onData);
  });
}

/**
 * Answer a SPDY upgrade request with 101, choosing the first of `supported` the client offers.
 *
 * @example
 * ```ts
 * const { session, protocol } = acceptSpdyUpgrade(request, socket, head, ["portforward.k8s.io"]);
 * ```
 */
export function acceptSpdyUpgrade(
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  supported: string[],
): { session: SpdySession; protocol: string } {
  const offered = String(request.headers["x-stream-protocol-version"] ?? "").split(",").map((p) => p.trim());
  const protocol = supported.find((p) => offered.includes(p));
  if (!protocol) {
    const message = `unable to upgrade: no common protocol: offered ${offered.join(", ")}, supported ${
      supported.join(", ")
    }`;
    socket.end(
      `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: ${message.length}\r\n\r\n${message}`,
    );
    throw new Error(message);
  }
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n` +
      `X-Stream-Protocol-Version: ${protocol}\r\n\r\n`,
  );
  const session = new SpdySession(socket, "server");
  if (head.length) socket.unshift(head);
  return { session, protocol };
}
