/**
 * The agent's client load balancer (K3s's `pkg/agent/loadbalancer`): a TCP listener on 127.0.0.1:`--lb-server-port`
 * that forwards each connection, TLS and all, to one server of the cluster — the `--server` address at first, then
 * every server the cluster lists. The agent's API clients and `kubelet.kubeconfig` point at it, so they keep working
 * while any one server is down; the server certificates carry 127.0.0.1 for that reason.
 *
 * @module
 */
import net from "node:net";
import { configPath, readConfig, writeConfig } from "./config.ts";
import { type HealthCheck, ServerList, type ServerStatus } from "./servers.ts";

/** K3s's name for the agent's supervisor (and, on the same port, API server) balancer. */
export const SUPERVISOR_SERVICE_NAME = "k3s-agent-load-balancer";

/** How often every server's health check is polled (K3s's period). */
const HEALTH_CHECK_INTERVAL_MS = 1_000;

/** What a load balancer starts from. */
export interface LoadBalancerOptions {
  /** `<data-dir>/agent`: the server list is kept in `etc/<service>.json` there. */
  agentDir: string;
  /** `--server`, e.g. `https://10.0.0.1:6443`: its address is the default server. */
  serverURL: string;
  /** `--lb-server-port` (K3s's default 6444; 0 picks a free port). */
  port: number;
  /** Names the balancer in logs and its state file (default {@linkcode SUPERVISOR_SERVICE_NAME}). */
  serviceName?: string;
  /** Which server is used and every change, naming the addresses. */
  log: (line: string) => void;
  /** Each failed dial (K3s logs them at debug level; default: nowhere). */
  debug?: (line: string) => void;
}

/** A running load balancer. */
export interface LoadBalancer {
  /** `https://127.0.0.1:<port>`: where clients connect instead of the server. */
  readonly localURL: string;
  /** The balancer's server list becomes `addresses` (`host:port`); an empty list is ignored. Saved to disk. */
  update(addresses: string[]): Promise<void>;
  /** The listed servers' addresses (the default server only while the cluster lists it). */
  serverAddresses(): string[];
  /** Poll `check` every second for `address`'s health (a listed server). */
  setHealthCheck(address: string, check: HealthCheck): void;
  /** Every server with its state, most preferred first. */
  status(): ServerStatus[];
  /** Stop listening and close every forwarded connection. */
  close(): Promise<void>;
}

/**
 * Listen on 127.0.0.1:`port` and forward to the servers, restoring the list saved for the same `--server`.
 *
 * @example
 * ```ts
 * const lb = await startLoadBalancer({ agentDir: "/var/lib/rancher/k3s/agent", serverURL: "https://10.0.0.1:6443",
 *   port: 6444, log: console.log });
 * await lb.update(["10.0.0.1:6443", "10.0.0.2:6443"]);
 * // clients now use lb.localURL, https://127.0.0.1:6444
 * ```
 */
export async function startLoadBalancer(options: LoadBalancerOptions): Promise<LoadBalancer> {
  const serviceName = options.serviceName ?? SUPERVISOR_SERVICE_NAME;
  const { log } = options;
  const debug = options.debug ?? (() => {});
  const server = new URL(options.serverURL);
  const defaultAddress = `${server.hostname}:${server.port || (server.protocol === "http:" ? 80 : 443)}`;
  const listener = net.createServer({ allowHalfOpen: true });
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => reject(new Error(`Error starting load balancer ${serviceName}: ${error.message}`));
    listener.once("error", fail);
    listener.listen(options.port, "127.0.0.1", () => {
      listener.off("error", fail);
      resolve();
    });
  });
  listener.on("error", (error) => log(`Load balancer ${serviceName} listener error: ${error.message}`));
  const localAddress = `127.0.0.1:${(listener.address() as net.AddressInfo).port}`;
  const servers = new ServerList(serviceName, defaultAddress, { log, debug });
  const file = configPath(options.agentDir, serviceName);
  const clients = new Set<net.Socket>();
  let closed = false;
  const format = () => `[${servers.addresses().join(" ")}] [default: ${servers.defaultAddress()}]`;
  const save = () =>
    writeConfig(file, { ServerURL: `${server.protocol}//${defaultAddress}`, ServerAddresses: servers.addresses() })
      .catch((error) => log(`Error updating load balancer ${serviceName} config: ${(error as Error).message}`));

  const forward = async (client: net.Socket) => {
    clients.add(client);
    client.once("close", () => clients.delete(client));
    client.on("error", () => client.destroy());
    let upstream: net.Socket;
    try {
      upstream = await servers.dial();
    } catch (error) {
      debug(
        `Incoming conn ${client.remoteAddress}:${client.remotePort}, error dialing load balancer servers: ${
          (error as Error).message
        }`,
      );
      client.destroy();
      return;
    }
    if (closed || client.destroyed) {
      upstream.destroy();
      client.destroy();
      return;
    }
    join(client, upstream);
  };
  listener.on("connection", (client: net.Socket) => void forward(client));
  const healthChecks = setInterval(() => servers.checkHealth(), HEALTH_CHECK_INTERVAL_MS);

  const lb: LoadBalancer = {
    localURL: `${server.protocol}//${localAddress}`,
    async update(addresses) {
      if (addresses.length === 0 || !servers.setAddresses(addresses)) return;
      log(`Updated load balancer ${serviceName} server addresses -> ${format()}`);
      await save();
    },
    serverAddresses: () => servers.addresses(),
    setHealthCheck: (address, check) => servers.setHealthCheck(address, check),
    status: () => servers.status(),
    async close() {
      closed = true;
      clearInterval(healthChecks);
      const stopped = new Promise((resolve) => listener.close(resolve));
      servers.closeConnections();
      for (const client of clients) client.destroy();
      await stopped;
    },
  };
  // The saved list applies only to the same default server; anything else starts over from `--server`.
  const saved = await readConfig(file);
  if (saved?.ServerURL === `${server.protocol}//${defaultAddress}`) await lb.update(saved.ServerAddresses);
  else await save();
  log(`Running load balancer ${serviceName} ${localAddress} -> ${format()}`);
  return lb;
}

/**
 * Carries bytes both ways; an end on one side half-closes the other, as tcpproxy does. A side that goes away without
 * its end (reset, closed by the balancer) takes the other with it.
 */
function join(client: net.Socket, upstream: net.Socket): void {
  upstream.on("error", () => upstream.destroy());
  client.pipe(upstream);
  upstream.pipe(client);
  client.once("close", () => {
    if (!upstream.writableEnded) upstream.destroy();
  });
  upstream.once("close", () => {
    if (!client.writableEnded) client.destroy();
  });
}
