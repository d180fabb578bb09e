/**
 * The load balancer's servers and their health, as K3s keeps them (`pkg/agent/loadbalancer/servers.go`): every server
 * has a state, and the list stays sorted by state, then by open connections, so a new connection tries the active
 * server first, then the preferred, healthy, recovering and unchecked ones, then the `--server` address kept on
 * standby, and failed servers last. Dials and periodic health checks move servers between states; a server that
 * fails while it carries connections has them closed, so their clients reconnect through the balancer to the next
 * server.
 *
 * @module
 */
import net from "node:net";

/** A server's state, in increasing order of preference (K3s's names). */
export type ServerState =
  | "INVALID"
  | "FAILED"
  | "STANDBY"
  | "UNCHECKED"
  | "RECOVERING"
  | "HEALTHY"
  | "PREFERRED"
  | "ACTIVE";

const RANK: Record<ServerState, number> = {
  INVALID: 0,
  FAILED: 1,
  STANDBY: 2,
  UNCHECKED: 3,
  RECOVERING: 4,
  HEALTHY: 5,
  PREFERRED: 6,
  ACTIVE: 7,
};

/** What a health check saw; `unknown` leaves the server's state alone (nothing polled since the last check). */
export type HealthCheckResult = "unknown" | "failed" | "ok";

/** A server's health check, polled every second. */
export type HealthCheck = () => HealthCheckResult;

/** One server as the list reports it. */
export interface ServerStatus {
  address: string;
  state: ServerState;
  /** The `--server` address, kept on standby when the cluster does not list it. */
  isDefault: boolean;
  connections: number;
}

/** How long a dial may take before the next server is tried (tcpproxy's default dial timeout). */
const DIAL_TIMEOUT_MS = 10_000;
/** How long a recovered server stays preferred without being dialled before it is merely healthy. */
const PREFERRED_FOR_MS = 60_000;

type Reason = "dial" | "health check";

class Server {
  state: ServerState;
  lastTransition = Date.now();
  healthCheck: HealthCheck = () => "unknown";
  readonly connections = new Set<net.Socket>();

  constructor(readonly address: string, public isDefault: boolean) {
    this.state = isDefault ? "STANDBY" : "UNCHECKED";
  }

  toString(): string {
    return `${this.address}@${this.state}${this.isDefault ? "*" : ""}`;
  }
}

/**
 * The servers of one load balancer.
 *
 * @example
 * ```ts
 * const servers = new ServerList("k3s-agent-load-balancer", "10.0.0.1:6443", { log: console.log, debug: () => {} });
 * servers.setAddresses(["10.0.0.1:6443", "10.0.0.2:6443"]);
 * const socket = await servers.dial();
 * ```
 */
export class ServerList {
  #servers: Server[] = [];

  readonly #log: (line: string) => void;
  readonly #debug: (line: string) => void;

  /** `log` says what changes; `debug` each failed dial. */
  constructor(
    readonly serviceName: string,
    defaultAddress: string,
    logs: { log: (line: string) => void; debug: (line: string) => void },
  ) {
    this.#log = logs.log;
    this.#debug = logs.debug;
    this.#servers.push(new Server(defaultAddress, true));
  }

  /** The listed addresses; the default server is left out while it is only on standby. */
  addresses(): string[] {
    return this.#servers.filter((s) => !(s.isDefault && s.state === "STANDBY")).map((s) => s.address);
  }

  /** The `--server` address. */
  defaultAddress(): string {
    return this.#servers.find((s) => s.isDefault)!.address;
  }

  /** Every server, most preferred first. */
  status(): ServerStatus[] {
    return this.#servers.map((s) => ({
      address: s.address,
      state: s.state,
      isDefault: s.isDefault,
      connections: s.connections.size,
    }));
  }

  /**
   * Make the list exactly `addresses`: new servers start unchecked, removed ones have their connections closed; the
   * default server is demoted to standby rather than dropped. Returns whether anything changed.
   */
  setAddresses(addresses: string[]): boolean {
    const wanted = new Set(addresses);
    const current = new Set(this.addresses());
    if (wanted.size === current.size && [...wanted].every((a) => current.has(a))) return false;
    const closing: Server[] = [];
    for (const address of wanted) {
      if (current.has(address)) continue;
      const existing = this.#servers.find((s) => s.address === address);
      if (existing?.isDefault) {
        // The default server goes through the same health promotions as a new one.
        this.#log(`Server ${existing}->UNCHECKED from add to load balancer ${this.serviceName}`);
        this.#transition(existing, "UNCHECKED");
      } else {
        this.#log(`Adding server to load balancer ${this.serviceName}: ${address}`);
        this.#servers.push(new Server(address, false));
      }
    }
    for (const address of current) {
      if (wanted.has(address)) continue;
      const server = this.#servers.find((s) => s.address === address)!;
      closing.push(server);
      if (server.isDefault) {
        this.#transition(server, "STANDBY");
      } else {
        this.#log(`Removing server from load balancer ${this.serviceName}: ${address}`);
        server.state = "INVALID";
        this.#servers = this.#servers.filter((s) => s !== server);
      }
    }
    this.#sort();
    for (const server of closing) this.#closeAll(server);
    return true;
  }

  /** Replace a server's health check; a server that is not listed is an error. */
  setHealthCheck(address: string, check: HealthCheck): void {
    const server = this.#servers.find((s) => s.address === address);
    if (!server) throw new Error(`no server found for ${address}`);
    server.healthCheck = check;
  }

  /** Poll every server's health check once and move each by its result. */
  checkHealth(): void {
    for (const server of [...this.#servers]) {
      const result = server.healthCheck();
      if (result === "ok") this.#recordSuccess(server, "health check");
      else if (result === "failed") this.#recordFailure(server, "health check");
    }
  }

  /**
   * Connect to the most preferred server that answers, trying each in order; every attempt moves that server's state.
   * The socket is counted against its server until it closes.
   */
  async dial(): Promise<net.Socket> {
    for (const server of [...this.#servers]) {
      if (server.state === "INVALID") continue;
      try {
        const socket = await dialTCP(server.address);
        // Removed from the list while dialling: its connections would never be closed.
        if (!this.#servers.includes(server)) {
          socket.destroy();
          continue;
        }
        server.connections.add(socket);
        socket.once("close", () => server.connections.delete(socket));
        this.#recordSuccess(server, "dial");
        return socket;
      } catch (error) {
        this.#debug(`Dial error from load balancer ${this.serviceName} server ${server}: ${(error as Error).message}`);
        this.#recordFailure(server, "dial");
      }
    }
    throw new Error("all servers failed");
  }

  /** Close every connection, as the balancer stops. */
  closeConnections(): void {
    for (const server of this.#servers) this.#closeAll(server);
  }

  #recordSuccess(server: Server, reason: Reason): void {
    let next: ServerState | undefined;
    switch (server.state) {
      case "FAILED":
      case "UNCHECKED":
        next = "RECOVERING";
        break;
      case "RECOVERING":
        // A server that took connections while recovering may go straight to active.
        if (reason === "health check") next = server.connections.size > 0 ? "ACTIVE" : "PREFERRED";
        break;
      case "HEALTHY":
        if (reason === "dial") next = "ACTIVE";
        break;
      case "PREFERRED":
        if (reason === "dial") next = "ACTIVE";
        else if (Date.now() - server.lastTransition > PREFERRED_FOR_MS) next = "HEALTHY";
        break;
    }
    if (!next) return;
    const closing: Server[] = [];
    if (next === "ACTIVE") {
      for (const other of this.#servers) {
        if (other === server) continue;
        if (["FAILED", "STANDBY", "RECOVERING", "HEALTHY"].includes(other.state)) closing.push(other);
        if (other.state !== "ACTIVE") continue;
        // Two active servers: the one carrying more connections stays; the other's clients move over.
        if (other.connections.size > server.connections.size) {
          next = "PREFERRED";
          closing.push(server);
        } else {
          other.state = "PREFERRED";
          other.lastTransition = Date.now();
          closing.push(other);
        }
      }
    }
    if (server.state !== next) {
      this.#log(`Server ${server}->${next} from successful ${reason}`);
      this.#transition(server, next);
      this.#sort();
    }
    for (const other of closing) this.#closeAll(other);
  }

  #recordFailure(server: Server, reason: Reason): void {
    let next: ServerState | undefined;
    switch (server.state) {
      case "UNCHECKED":
      case "RECOVERING":
        // Only a failed dial demotes these: a health check may fail while the server still takes connections.
        if (reason === "dial") next = "FAILED";
        break;
      case "HEALTHY":
      case "PREFERRED":
      case "ACTIVE":
        next = "FAILED";
        break;
    }
    if (!next) return;
    this.#log(`Server ${server}->${next} from failed ${reason}`);
    this.#transition(server, next);
    this.#sort();
    this.#closeAll(server);
  }

  #transition(server: Server, state: ServerState): void {
    server.state = state;
    server.lastTransition = Date.now();
  }

  #sort(): void {
    this.#servers.sort((a, b) => RANK[b.state] - RANK[a.state] || b.connections.size - a.connections.size);
  }

  #closeAll(server: Server): void {
    if (server.connections.size === 0) return;
    this.#log(`Closing ${server.connections.size} connections to load balancer server ${server}`);
    for (const socket of server.connections) socket.destroy();
  }
}

/** A TCP connection to `host:port` (IPv6 hosts in brackets), or the reason there is none. */
function dialTCP(address: string): Promise<net.Socket> {
  const url = new URL(`tcp://${address}`);
  return new Promise((resolve, reject) => {
    const socket = net.connect({
      host: url.hostname.replace(/^\[|\]$/g, ""),
      port: Number(url.port),
      allowHalfOpen: true,
    });
    socket.setTimeout(DIAL_TIMEOUT_MS, () => socket.destroy(new Error(`dial tcp ${address}: i/o timeout`)));
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.setTimeout(0);
      socket.off("error", reject);
      resolve(socket);
    });
  });
}
