/**
 * The server's end of the agents' tunnels (K3s's `pkg/daemons/control/tunnel.go` with remotedialer's server): each
 * node's agent keeps one session open, keyed by the node name of its client-kubelet certificate, and the server dials
 * through it whatever it must reach on that node (its kubelet on loopback), so agents need no inbound port.
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { UserInfo } from "../../core/api/router.ts";
import { forbidden, pathNotFound } from "../../core/api/status.ts";
import { acceptSpdyUpgrade, type SpdySession, type SpdyStream } from "../streaming/spdy/mod.ts";
import { keepAlive, type KeepAliveOptions } from "./keepalive.ts";
import { ADDRESS_HEADER, CONNECT_PATH, connectReply, joinHostPort, TUNNEL_PROTOCOL } from "./wire.ts";

const NODE_USER_PREFIX = "system:node:";
const NODES_GROUP = "system:nodes";

/** Told when `node`'s session becomes its current one (`true`), and when the node has none left (`false`). */
export type SessionListener = (node: string, connected: boolean) => void;

/** Options of {@linkcode TunnelServer}. */
export interface TunnelServerOptions {
  log?: (line: string) => void;
  keepAlive?: KeepAliveOptions;
}

/**
 * The node name of a user allowed to open a tunnel: `system:node:<name>` in group `system:nodes`, as K3s's tunnel
 * authorizer keys sessions; undefined for anyone else.
 *
 * @example
 * ```ts
 * tunnelNodeName({ username: "system:node:node-1", groups: ["system:nodes"] }); // "node-1"
 * ```
 */
export function tunnelNodeName(user: UserInfo): string | undefined {
  if (!user.username.startsWith(NODE_USER_PREFIX) || !user.groups.includes(NODES_GROUP)) return undefined;
  return user.username.slice(NODE_USER_PREFIX.length) || undefined;
}

/**
 * The agents' sessions, by node name.
 *
 * @example
 * ```ts
 * const tunnels = new TunnelServer({ log });
 * tunnels.onSession((node, connected) => log(`${node}: ${connected ? "up" : "down"}`));
 * // in the HTTPS layer's upgrade hook, for CONNECT_PATH:
 * await tunnels.upgrade(request, socket, head, user);
 * const kubelet = await tunnels.dial("node-1", "127.0.0.1", 10250);
 * ```
 */
export class TunnelServer {
  readonly #sessions = new Map<string, SpdySession>();
  readonly #listeners = new Set<SessionListener>();
  readonly #log: (line: string) => void;
  readonly #keepAlive?: KeepAliveOptions;

  constructor(options: TunnelServerOptions = {}) {
    this.#log = options.log ?? (() => {});
    this.#keepAlive = options.keepAlive;
  }

  /**
   * Takes over an authenticated upgrade of {@linkcode CONNECT_PATH}. Throws a 404 Status for another path and a 403
   * for a user that is not a node, which the HTTPS layer answers; a newer session of a node replaces its older one.
   */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, user: UserInfo): Promise<void> {
    return Promise.resolve().then(() => this.#accept(request, socket, head, user));
  }

  /**
   * A connection to `host:port` as seen from `node`, through its session; rejects when the node has no session or
   * its agent refuses (not allowed, or the dial failed).
   *
   * @example
   * ```ts
   * const socket = await tunnels.dial("node-1", "127.0.0.1", 10250);
   * ```
   */
  async dial(node: string, host: string, port: number): Promise<Duplex> {
    const session = this.#sessions.get(node);
    const address = joinHostPort(host, port);
    if (!session) throw new Error(`dial ${address}: no tunnel session for node "${node}"`);
    const stream = await session.openStream({ [ADDRESS_HEADER]: address });
    try {
      await connectReply(stream);
    } catch (error) {
      stream.destroy();
      throw new Error(`dial ${address} through the tunnel of node "${node}": ${(error as Error).message}`);
    }
    return stream;
  }

  #accept(request: IncomingMessage, socket: Duplex, head: Buffer, user: UserInfo): void {
    if (new URL(request.url ?? "/", "https://localhost").pathname !== CONNECT_PATH) throw pathNotFound();
    const node = tunnelNodeName(user);
    if (!node) {
      throw forbidden(
        `User "${user.username}" cannot connect a node tunnel: only nodes (user ${NODE_USER_PREFIX}<name> in group ` +
          `${NODES_GROUP}) may`,
      );
    }
    const accepted = acceptSpdyUpgrade(request, socket, head, [TUNNEL_PROTOCOL]);
    if (!accepted) return;
    const { session } = accepted;
    // Only the server asks for connections; whatever an agent opens is refused.
    session.on("stream", (stream: SpdyStream) => stream.reset());
    keepAlive(session, this.#keepAlive);
    const previous = this.#sessions.get(node);
    this.#sessions.set(node, session);
    previous?.close();
    this.#log(`Tunnel session of node ${node} connected${previous ? ", replacing its previous one" : ""}`);
    this.#emit(node, true);
    session.closed.then(() => {
      if (this.#sessions.get(node) !== session) return;
      this.#sessions.delete(node);
      this.#log(`Tunnel session of node ${node} disconnected`);
      this.#emit(node, false);
    });
  }

  /** Whether `node` has a session now. */
  connected(node: string): boolean {
    return this.#sessions.has(node);
  }

  /**
   * Calls `listener` as nodes' sessions come and go (not for the ones open already); returns the unsubscribe.
   *
   * @example
   * ```ts
   * const stop = tunnels.onSession((node, connected) => connected ? register(node) : unregister(node));
   * ```
   */
  onSession(listener: SessionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Closes every session (the server is stopping).
   *
   * @example
   * ```ts
   * await tunnels.close();
   * ```
   */
  async close(): Promise<void> {
    const sessions = [...this.#sessions.values()];
    for (const session of sessions) session.close();
    await Promise.all(sessions.map((session) => session.closed));
  }

  #emit(node: string, connected: boolean): void {
    for (const listener of this.#listeners) {
      try {
        listener(node, connected);
      } catch (error) {
        this.#log(`Tunnel session listener for node ${node}: ${(error as Error).message}`);
      }
    }
  }
}
