/**
 * One tunnel to every server (K3s's `getProxySyncer`): with several servers on one datastore, whichever server a
 * client asks may need this node's kubelet, so the agent keeps a session to each, straight to its address, never
 * through the load balancer. Each tunnel's state is that server's health in the load balancer.
 *
 * @module
 */
import type { HealthCheckResult } from "../loadbalancer/mod.ts";
import { runTunnel, type TunnelOptions } from "./agent.ts";

/** What every tunnel shares: the trust, the node's identity, what the servers may reach, and the log. */
export type TunnelManagerOptions = Omit<TunnelOptions, "server" | "signal" | "onConnectionChange">;

interface Tunnel {
  stop: AbortController;
  done: Promise<void>;
  health: HealthCheckResult;
}

/**
 * The agent's tunnels, keyed by server address (`host:port`).
 *
 * @example
 * ```ts
 * const tunnels = new TunnelManager({ caPem, certPem, keyPem, allow, log: console.log });
 * tunnels.sync(["10.0.0.1:6443", "10.0.0.2:6443"]);
 * lb.setHealthCheck("10.0.0.1:6443", () => tunnels.health("10.0.0.1:6443"));
 * await tunnels.close();
 * ```
 */
export class TunnelManager {
  readonly #tunnels = new Map<string, Tunnel>();
  /** Tunnels told to stop that may still be closing. */
  readonly #stopping = new Set<Promise<void>>();

  constructor(private readonly options: TunnelManagerOptions) {}

  /** The addresses with a tunnel. */
  addresses(): string[] {
    return [...this.#tunnels.keys()];
  }

  /** Open a tunnel to every address that has none, and close those to addresses no longer listed. */
  sync(addresses: string[]): void {
    for (const address of addresses) {
      if (this.#tunnels.has(address)) continue;
      const stop = new AbortController();
      const tunnel: Tunnel = { stop, done: Promise.resolve(), health: "unknown" };
      tunnel.done = runTunnel({
        ...this.options,
        server: `https://${address}`,
        signal: stop.signal,
        onConnectionChange: (connected) => tunnel.health = connected ? "ok" : "failed",
      });
      this.#tunnels.set(address, tunnel);
      this.options.log(`Started tunnel to ${address}`);
    }
    for (const [address, tunnel] of this.#tunnels) {
      if (addresses.includes(address)) continue;
      tunnel.stop.abort();
      this.#tunnels.delete(address);
      this.#stopping.add(tunnel.done);
      tunnel.done.then(() => this.#stopping.delete(tunnel.done));
      this.options.log(`Stopped tunnel to ${address}`);
    }
  }

  /** K3s's tunnel health check: unknown until the first connect, then ok while connected and failed while not. */
  health(address: string): HealthCheckResult {
    return this.#tunnels.get(address)?.health ?? "unknown";
  }

  /** Close every tunnel; resolves once all have stopped. */
  async close(): Promise<void> {
    const done = [...this.#tunnels.values()].map((tunnel) => {
      tunnel.stop.abort();
      return tunnel.done;
    });
    this.#tunnels.clear();
    await Promise.all([...done, ...this.#stopping]);
  }
}
