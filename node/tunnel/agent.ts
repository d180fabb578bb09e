/**
 * The agent's end of the tunnel (K3s's `pkg/agent/tunnel`): one session to the server, authenticated with the node's
 * client-kubelet certificate and kept up for as long as the agent runs, over which the server asks for connections
 * that the agent dials locally — only to what its authorizer allows (K3s: the kubelet and stream ports on loopback,
 * and the node's own pods).
 *
 * @module
 */
import net from "node:net";
import { spdyClientUpgrade, type SpdySession, type SpdyStream } from "../streaming/spdy/mod.ts";
import { keepAlive, type KeepAliveOptions } from "./keepalive.ts";
import { acceptConnect, ADDRESS_HEADER, CONNECT_PATH, refuseConnect, splitHostPort, TUNNEL_PROTOCOL } from "./wire.ts";

/** The wait before reconnecting, as K3s's agent waits. */
const RECONNECT_DELAY = 1_000;
/** How long a dial may take (remotedialer's connect deadline). */
const DIAL_TIMEOUT = 15_000;

/** What {@linkcode runTunnel} needs. */
export interface TunnelOptions {
  /** The server's URL, e.g. `https://10.0.0.1:6443`. */
  server: string;
  /** The server CA (PEM). */
  caPem: string;
  /** The node's client-kubelet certificate and key (PEM): the server keys the session by its node name. */
  certPem: string;
  keyPem: string;
  /** Whether the server may reach `host:port` from this node. */
  allow: (host: string, port: number) => boolean;
  signal: AbortSignal;
  log: (line: string) => void;
  keepAlive?: KeepAliveOptions;
  /** Told `true` once the session is up and `false` when it drops or a connect fails (K3s's tunnel health). */
  onConnectionChange?: (connected: boolean) => void;
}

/**
 * Keeps the tunnel session up until `signal` aborts, reconnecting 1 s after it drops or a connect fails (logged once
 * per outage); resolves once stopped.
 *
 * @example
 * ```ts
 * const tunnel = runTunnel({
 *   server: "https://10.0.0.1:6443", caPem, certPem, keyPem, signal, log: console.log,
 *   allow: (host, port) => host === "127.0.0.1" && (port === 10250 || port === 10010),
 * });
 * ```
 */
export async function runTunnel(options: TunnelOptions): Promise<void> {
  const { signal, log } = options;
  const url = new URL(CONNECT_PATH, options.server).toString();
  let outage = false;
  while (!signal.aborted) {
    try {
      const { session } = await spdyClientUpgrade(url, {
        protocols: [TUNNEL_PROTOCOL],
        tls: { ca: options.caPem, cert: options.certPem, key: options.keyPem },
      });
      log(`${outage ? "Reconnected" : "Connected"} the tunnel to ${options.server}`);
      outage = false;
      options.onConnectionChange?.(true);
      await serveSession(session, options);
      options.onConnectionChange?.(false);
      if (!signal.aborted) log(`Tunnel to ${options.server} lost; reconnecting every ${RECONNECT_DELAY / 1000}s`);
    } catch (error) {
      options.onConnectionChange?.(false);
      if (!outage) {
        log(
          `Cannot connect the tunnel to ${options.server}: ${(error as Error).message}; ` +
            `retrying every ${RECONNECT_DELAY / 1000}s`,
        );
      }
    }
    outage = true;
    if (!signal.aborted) await sleep(RECONNECT_DELAY, signal);
  }
}

/** Serves the server's connection requests until the session closes or `signal` aborts (then closes it). */
async function serveSession(session: SpdySession, options: TunnelOptions): Promise<void> {
  const stop = () => session.close();
  if (options.signal.aborted) stop();
  options.signal.addEventListener("abort", stop, { once: true });
  session.on("stream", (stream: SpdyStream) => connect(stream, options));
  keepAlive(session, options.keepAlive);
  await session.closed;
  options.signal.removeEventListener("abort", stop);
}

/** Dials what the stream names, if allowed, and joins the two; either side's end or reset reaches the other. */
function connect(stream: SpdyStream, options: TunnelOptions): void {
  const address = stream.headers[ADDRESS_HEADER] ?? "";
  const target = splitHostPort(address);
  if (!target) return refuseConnect(stream, `invalid address "${address}"`);
  if (!options.allow(target.host, target.port)) return refuseConnect(stream, `connect not allowed: ${address}`);
  const socket = net.connect({ host: target.host, port: target.port, allowHalfOpen: true });
  socket.setTimeout(DIAL_TIMEOUT, () => socket.destroy(new Error(`dial tcp ${address}: i/o timeout`)));
  let connected = false;
  socket.once("connect", () => {
    connected = true;
    socket.setTimeout(0);
    acceptConnect(stream);
    socket.pipe(stream);
    stream.pipe(socket);
  });
  socket.on("error", (error) => {
    if (connected) stream.reset();
    else refuseConnect(stream, error.message);
  });
  // A stream gone before its FIN arrived (reset, session lost) takes the connection with it; after a clean FIN the
  // socket still has to flush what it was sent, and closes by itself.
  stream.once("close", () => {
    if (!socket.writableEnded) socket.destroy();
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
