/**
 * Keepalive PINGs on a tunnel session, so a peer that vanished without closing (a pulled cable, a frozen host) is
 * noticed and its session dropped: remotedialer pings every 5 s and gives up on a silent peer after a minute.
 *
 * @module
 */
import type { SpdySession } from "../streaming/spdy/mod.ts";

/** How often to ping and how long a silent peer is tolerated, in milliseconds. */
export interface KeepAliveOptions {
  /** Default 5000. */
  interval?: number;
  /** Default 60000. */
  timeout?: number;
}

/**
 * Pings `session` every `interval`; closes it once no answer came for `timeout`. Stops by itself when the session
 * closes.
 *
 * @example
 * ```ts
 * keepAlive(session, { interval: 5_000, timeout: 60_000 });
 * ```
 */
export function keepAlive(session: SpdySession, options: KeepAliveOptions = {}): void {
  const interval = options.interval ?? 5_000;
  const timeout = options.timeout ?? 60_000;
  let lastAnswer = performance.now();
  const timer = setInterval(() => {
    if (performance.now() - lastAnswer > timeout) return session.close();
    session.ping().then(() => lastAnswer = performance.now(), () => {});
  }, interval);
  session.closed.then(() => clearInterval(timer));
}
