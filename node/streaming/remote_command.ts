/**
 * `kubectl exec` and `attach` on the node: the client's WebSocket (`v5.channel.k8s.io`, `v4.channel.k8s.io`) or SPDY
 * connection is bridged to the runtime's streaming server, which runs the command (CRI `Exec`/`Attach` hand out a URL
 * on containerd's SPDY streaming server, spoken with the remotecommand v4 protocol). Channels: 0 stdin, 1 stdout,
 * 2 stderr, 3 the final Status (with the exit code), 4 terminal resize; in v5, `[255, channel]` closes a channel, so
 * stdin's end reaches the command.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
// @ts-types="@types/ws"
import { type WebSocket, WebSocketServer } from "ws";
import type { CriClient } from "../cri/mod.ts";
import { acceptSpdyUpgrade, spdyClientUpgrade, type SpdySession, type SpdyStream } from "./spdy/mod.ts";

/** The WebSocket sub-protocols offered to kubectl, preferred first. */
const WEBSOCKET_PROTOCOLS = ["v5.channel.k8s.io", "v4.channel.k8s.io"];
/** The SPDY sub-protocols (kubectl's fallback). */
const SPDY_PROTOCOLS = ["v5.channel.k8s.io", "v4.channel.k8s.io"];
const CHANNELS = ["stdin", "stdout", "stderr", "error", "resize"] as const;
const CLOSE = 255;

const websockets = new WebSocketServer({
  noServer: true,
  handleProtocols: (offered: Set<string>) => WEBSOCKET_PROTOCOLS.find((p) => offered.has(p)) ?? false,
});

/** What the client asked for (the query of the exec/attach request). */
export interface RemoteCommand {
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/**
 * The command and streams of an exec/attach request's query.
 *
 * @example
 * ```ts
 * remoteCommand(new URLSearchParams("command=ls&stdout=true")).stdout; // true
 * ```
 */
export function remoteCommand(query: URLSearchParams): RemoteCommand {
  const bool = (key: string) => ["true", "1"].includes(query.get(key) ?? "");
  const tty = bool("tty");
  return {
    command: query.getAll("command"),
    stdin: bool("stdin"),
    stdout: bool("stdout"),
    stderr: bool("stderr") && !tty,
    tty,
  };
}

/** The streams of one side of a session, by channel. */
type Streams = Partial<Record<(typeof CHANNELS)[number], SpdyStream>>;

/** Open the runtime's side: the remotecommand v4 streams on containerd's streaming server. */
async function runtimeStreams(url: string, wanted: RemoteCommand): Promise<{ session: SpdySession; streams: Streams }> {
  const { session } = await spdyClientUpgrade(url, { protocols: ["v4.channel.k8s.io"] });
  const streams: Streams = {};
  streams.error = await session.openStream({ streamtype: "error" });
  if (wanted.stdin) streams.stdin = await session.openStream({ streamtype: "stdin" });
  if (wanted.stdout) streams.stdout = await session.openStream({ streamtype: "stdout" });
  if (wanted.stderr) streams.stderr = await session.openStream({ streamtype: "stderr" });
  if (wanted.tty) streams.resize = await session.openStream({ streamtype: "resize" });
  return { session, streams };
}

/**
 * Serve an exec or attach upgrade on `socket` against container `containerId`.
 *
 * @example
 * ```ts
 * await serveRemoteCommand("exec", containerId, runtime, request, socket, head);
 * ```
 */
export async function serveRemoteCommand(
  kind: "exec" | "attach",
  containerId: string,
  runtime: CriClient,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  const wanted = remoteCommand(new URL(request.url ?? "/", "http://node").searchParams);
  const url = kind === "exec"
    ? await runtime.exec({ container_id: containerId, cmd: wanted.command, ...flags(wanted) })
    : await runtime.attach({ container_id: containerId, ...flags(wanted) });
  const runtimeSide = await runtimeStreams(url, wanted);
  if (String(request.headers.upgrade ?? "").toLowerCase() === "websocket") {
    websockets.handleUpgrade(
      request,
      socket,
      head,
      (ws) => bridgeWebSocket(ws, runtimeSide.session, runtimeSide.streams),
    );
    return;
  }
  const accepted = acceptSpdyUpgrade(request, socket, head, SPDY_PROTOCOLS);
  if (!accepted) return runtimeSide.session.close();
  bridgeSpdy(accepted.session, wanted, runtimeSide.session, runtimeSide.streams);
}

function flags(wanted: RemoteCommand) {
  return { tty: wanted.tty, stdin: wanted.stdin, stdout: wanted.stdout, stderr: wanted.stderr };
}

/** kubectl's WebSocket ↔ the runtime's SPDY streams. */
function bridgeWebSocket(ws: WebSocket, runtime: SpdySession, streams: Streams): void {
  const v5 = ws.protocol === "v5.channel.k8s.io";
  const send = (channel: number, data: Buffer) => {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), data]));
  };
  const outputs: Promise<void>[] = [];
  for (const [channel, name] of [[1, "stdout"], [2, "stderr"], [3, "error"]] as const) {
    const stream = streams[name];
    if (!stream) continue;
    stream.on("data", (chunk: Buffer) => send(channel, chunk));
    outputs.push(
      new Promise((resolve) => {
        stream.once("end", resolve);
        stream.once("close", resolve);
      }),
    );
  }
  ws.on("message", (raw: Buffer | ArrayBuffer | Buffer[]) => {
    const data = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw as ArrayBuffer);
    if (data.length === 0) return;
    const channel = data[0];
    const payload = data.subarray(1);
    if (channel === 0) streams.stdin?.write(payload);
    else if (channel === 4) streams.resize?.write(payload);
    else if (channel === CLOSE && v5 && payload[0] === 0) streams.stdin?.end();
  });
  ws.on("close", () => runtime.close());
  Promise.all(outputs).then(() => {
    runtime.close();
    ws.close(1000);
  });
}

/** kubectl's SPDY streams ↔ the runtime's. */
function bridgeSpdy(client: SpdySession, wanted: RemoteCommand, runtime: SpdySession, streams: Streams): void {
  const expected = 1 + Number(wanted.stdin) + Number(wanted.stdout) + Number(wanted.stderr) + Number(wanted.tty);
  const theirs: Streams = {};
  let seen = 0;
  client.on("stream", (stream: SpdyStream) => {
    const type = stream.headers.streamtype as (typeof CHANNELS)[number];
    if (!CHANNELS.includes(type)) return stream.reset();
    theirs[type] = stream;
    if (++seen < expected) return;
    if (theirs.stdin && streams.stdin) theirs.stdin.pipe(streams.stdin);
    if (theirs.resize && streams.resize) theirs.resize.pipe(streams.resize);
    const outputs = (["stdout", "stderr", "error"] as const).map((name) => {
      const from = streams[name];
      const to = theirs[name];
      if (!from || !to) return Promise.resolve();
      from.pipe(to);
      return new Promise<void>((resolve) => {
        to.once("finish", resolve);
        from.once("close", resolve);
      });
    });
    Promise.all(outputs).then(() => {
      runtime.close();
      client.close();
    });
  });
  client.on("close", () => runtime.close());
}
