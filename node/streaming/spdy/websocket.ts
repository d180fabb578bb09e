/**
 * kubectl port-forward tunnels SPDY/3.1 in WebSocket binary messages (subprotocol `SPDY/3.1+portforward.k8s.io`);
 * this turns such a WebSocket into the byte Duplex a SpdySession runs on.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { Duplex } from "node:stream";
import type { WebSocket } from "ws";

/**
 * Wraps a `ws` WebSocket as a Duplex of its binary messages' bytes (each write is one binary message).
 *
 * @example
 * ```ts
 * const session = new SpdySession(webSocketDuplex(ws), "server");
 * ```
 */
export function webSocketDuplex(ws: WebSocket): Duplex {
  const duplex = new Duplex({
    read() {
      ws.resume?.();
    },
    write(chunk: Buffer, _encoding, callback) {
      if (ws.readyState !== ws.OPEN) return callback(new Error("WebSocket is not open"));
      ws.send(chunk, { binary: true }, (error) => callback(error ?? null));
    },
    final(callback) {
      ws.close(1000);
      callback();
    },
    destroy(error, callback) {
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.terminate();
      callback(error);
    },
  });
  ws.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (!duplex.push(bytes)) ws.pause?.();
  });
  ws.on("close", () => duplex.push(null));
  ws.on("error", (error) => duplex.destroy(error));
  return duplex;
}
