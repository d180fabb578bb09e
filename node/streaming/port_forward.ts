/**
 * `kubectl port-forward` on the node: the client's SPDY session — tunnelled in WebSocket binary messages (sub-protocol
 * `SPDY/3.1+portforward.k8s.io`, kubectl 1.32's first choice) or over a raw `Upgrade: SPDY/3.1` — is relayed to the
 * runtime's streaming server (CRI `PortForward`), which dials the port inside the pod's network namespace, so ports
 * a pod serves on its localhost are reachable too. Each forwarded connection is a pair of streams, `error` and
 * `data`, sharing a `requestID`.
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
// @ts-types="@types/ws"
import { WebSocketServer } from "ws";
import type { CriClient } from "../cri/mod.ts";
import { acceptSpdyUpgrade, spdyClientUpgrade, SpdySession, type SpdyStream, webSocketDuplex } from "./spdy/mod.ts";

/** The WebSocket sub-protocol of SPDY tunnelled port-forwarding. */
export const TUNNEL_PROTOCOL = "SPDY/3.1+portforward.k8s.io";
/** `ws` accepts only RFC 7230 tokens as sub-protocols, which the tunnel's name is not: it stands in until answered. */
const STAND_IN = "spdy-portforward-tunnel";
const PORT_FORWARD_PROTOCOL = "portforward.k8s.io";

const tunnels = new WebSocketServer({
  noServer: true,
  handleProtocols: (offered: Set<string>) => offered.has(STAND_IN) ? STAND_IN : false,
});
tunnels.on("headers", (headers: string[]) => {
  for (let i = 0; i < headers.length; i++) {
    if (headers[i].toLowerCase() === `sec-websocket-protocol: ${STAND_IN}`) {
      headers[i] = `Sec-WebSocket-Protocol: ${TUNNEL_PROTOCOL}`;
    }
  }
});

/**
 * Serve a port-forward upgrade on `socket` for the pod sandbox `sandboxId`.
 *
 * @example
 * ```ts
 * servePortForward(sandboxId, runtime, request, socket, head);
 * ```
 */
export function servePortForward(
  sandboxId: string,
  runtime: CriClient,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  const offered = String(request.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim());
  if (String(request.headers.upgrade ?? "").toLowerCase() === "websocket") {
    if (!offered.includes(TUNNEL_PROTOCOL)) {
      socket.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    }
    request.headers["sec-websocket-protocol"] = STAND_IN;
    tunnels.handleUpgrade(request, socket, head, (ws) => {
      relay(new SpdySession(webSocketDuplex(ws), "server"), sandboxId, runtime);
    });
    return;
  }
  const accepted = acceptSpdyUpgrade(request, socket, head, [PORT_FORWARD_PROTOCOL]);
  if (accepted) relay(accepted.session, sandboxId, runtime);
}

/** Relay each forwarded connection of `client` through one runtime session. */
function relay(client: SpdySession, sandboxId: string, runtime: CriClient): void {
  let upstream: Promise<SpdySession> | undefined;
  const runtimeSession = () =>
    upstream ??= runtime.portForward({ pod_sandbox_id: sandboxId, port: [] })
      .then((url) => spdyClientUpgrade(url, { protocols: [PORT_FORWARD_PROTOCOL] }))
      .then(({ session }) => {
        session.on("close", () => client.close());
        return session;
      });
  const pairs = new Map<string, { error?: SpdyStream; data?: SpdyStream }>();
  client.on("stream", async (stream: SpdyStream) => {
    const { streamtype, port, requestid } = stream.headers;
    const pair = pairs.get(requestid) ?? {};
    pairs.set(requestid, pair);
    if (streamtype === "error") pair.error = stream;
    else if (streamtype === "data") pair.data = stream;
    else return stream.reset();
    if (!pair.error || !pair.data) return;
    pairs.delete(requestid);
    const { error, data } = pair;
    try {
      const session = await runtimeSession();
      const headers = { port, requestid };
      const theirError = await session.openStream({ ...headers, streamtype: "error" });
      const theirData = await session.openStream({ ...headers, streamtype: "data" });
      theirError.end();
      theirError.pipe(error);
      data.pipe(theirData);
      theirData.pipe(data);
      data.on("close", () => theirData.destroy());
    } catch (failure) {
      error.end(`error forwarding port ${port}: ${(failure as Error).message}`);
      data.end();
    }
  });
  client.on("close", () => upstream?.then((s) => s.close(), () => {}));
}
