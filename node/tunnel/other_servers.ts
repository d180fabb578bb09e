/**
 * The server list of a server's own agent: every server of the cluster but its own. That agent talks to its own
 * server in-process and its server reaches the node's kubelet in-process too, so it needs neither a load balancer nor
 * a tunnel home — only a tunnel to each other server, so that whichever server a client asks reaches this node.
 *
 * @module
 */
import type { ServerList } from "./apiserver_addresses.ts";

/**
 * The addresses it was last given, without `self`.
 *
 * @example
 * ```ts
 * const servers = new OtherServers("10.0.0.1:6443");
 * await servers.update(["10.0.0.1:6443", "10.0.0.2:6443"]);
 * servers.serverAddresses(); // ["10.0.0.2:6443"]
 * ```
 */
export class OtherServers implements ServerList {
  #addresses: string[] = [];

  /** `self` is this server's own entry in the `kubernetes` endpoints (`host:port`, IPv6 hosts in brackets). */
  constructor(private readonly self: string) {}

  update(addresses: string[]): Promise<void> {
    this.#addresses = addresses.filter((address) => address !== this.self);
    return Promise.resolve();
  }

  serverAddresses(): string[] {
    return [...this.#addresses];
  }
}
