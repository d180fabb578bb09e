/**
 * The tunnel's wire: one SPDY/3.1 session per agent over an HTTP/1.1 upgrade of `/v1-k3s/connect`. K3s carries
 * remotedialer messages over a WebSocket instead; only the roles are the same: the server asks for a connection
 * (here: opens a stream whose `address` header names `host:port`), the agent dials it and answers first with one
 * reply byte — connected, or refused followed by the reason and FIN — then the stream carries the bytes both ways.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { SpdyStream } from "../streaming/spdy/mod.ts";

/** The supervisor path agents upgrade to (K3s's `/v1-k3s/connect`), as the server routes it. */
export { TUNNEL_PATH as CONNECT_PATH } from "../../core/server/supervisor/handler.ts";

/** The SPDY sub-protocol both ends offer in `X-Stream-Protocol-Version`. */
export const TUNNEL_PROTOCOL = "k3s-tunnel.v1";

/** The stream header naming the `host:port` the agent is to dial. */
export const ADDRESS_HEADER = "address";

const CONNECTED = 0;
const REFUSED = 1;

/**
 * `host:port`, with an IPv6 host in brackets.
 *
 * @example
 * ```ts
 * joinHostPort("::1", 10250); // "[::1]:10250"
 * ```
 */
export function joinHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The host and port of a `host:port` address, or undefined when it is not one.
 *
 * @example
 * ```ts
 * splitHostPort("[::1]:10250"); // { host: "::1", port: 10250 }
 * ```
 */
export function splitHostPort(address: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(address);
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65535) return undefined;
  return { host: match[1] ?? match[2], port };
}

/**
 * The agent's answer to a stream: the dial worked, the bytes that follow are the connection's.
 *
 * @example
 * ```ts
 * socket.once("connect", () => { acceptConnect(stream); socket.pipe(stream).pipe(socket); });
 * ```
 */
export function acceptConnect(stream: SpdyStream): void {
  stream.write(Buffer.from([CONNECTED]));
}

/**
 * The agent's answer to a stream it will not or cannot connect: the reason, then FIN.
 *
 * @example
 * ```ts
 * refuseConnect(stream, "connect ECONNREFUSED 127.0.0.1:10250");
 * ```
 */
export function refuseConnect(stream: SpdyStream, reason: string): void {
  stream.end(Buffer.concat([Buffer.from([REFUSED]), Buffer.from(reason)]));
}

/**
 * Waits for the agent's answer on a stream the server opened: resolves once connected (the stream then carries the
 * connection), rejects with the agent's reason when it refused, or when the stream goes before any answer.
 *
 * @example
 * ```ts
 * const stream = await session.openStream({ [ADDRESS_HEADER]: "127.0.0.1:10250" });
 * await connectReply(stream);
 * ```
 */
export function connectReply(stream: SpdyStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const refusal: Buffer[] = [];
    const done = () => {
      stream.off("readable", onReadable);
      stream.off("end", onEnd);
      stream.off("close", onClose);
    };
    const onReadable = () => {
      let chunk: Buffer | null;
      while ((chunk = stream.read()) !== null) {
        if (!refusal.length && chunk[0] === CONNECTED) {
          done();
          if (chunk.length > 1) stream.unshift(chunk.subarray(1));
          return resolve();
        }
        refusal.push(chunk);
      }
    };
    const onEnd = () => {
      done();
      const answer = Buffer.concat(refusal);
      reject(
        new Error(answer[0] === REFUSED ? answer.subarray(1).toString() : "the agent closed the connection unanswered"),
      );
    };
    const onClose = () => {
      done();
      reject(new Error("the tunnel session closed before the agent answered"));
    };
    stream.on("readable", onReadable);
    stream.once("end", onEnd);
    stream.once("close", onClose);
  });
}
