/**
 * Which servers the agent balances over and tunnels to, kept current as K3s's agent keeps it (`pkg/agent/tunnel`
 * `startWatches`): the addresses the supervisor reports at start (`/v1-k3s/apiservers`, asked until it knows some),
 * then the `kubernetes` Endpoints in `default`, watched as `system:k3s-controller` — asking the supervisor again
 * whenever the watch has to list afresh, a sign the connection to the API was lost. A new list settles for 3 s
 * (a starting server adds, removes and re-adds itself) before the server list takes it — a joined agent's load
 * balancer, or a server's own agent's list of the other servers; then a tunnel is opened to every server on it and
 * closed to every server gone, and each tunnel's state becomes its server's health where the list keeps one.
 *
 * @module
 */
import type { Client } from "../../core/client/mod.ts";
import { Informer, type Kind, type KubeObject, listWatcherFor, sleep } from "../../core/operator/mod.ts";
import type { HealthCheck } from "../loadbalancer/mod.ts";
import { TunnelManager, type TunnelManagerOptions } from "./manager.ts";

const ENDPOINTS: Kind = { group: "", version: "v1", resource: "endpoints", kind: "Endpoints", namespaced: true };

/** K3s's `endpointDebounceDelay`. */
const DEBOUNCE_MS = 3_000;
/** How often K3s asks the supervisor again while it reports no server. */
const SUPERVISOR_RETRY_MS = 5_000;

/**
 * Where the followed addresses go and which servers get a tunnel: a joined agent's load balancer is one, as is a
 * server's own agent's {@linkcode OtherServers}.
 */
export interface ServerList {
  /** Take the cluster's current server addresses (`host:port`); resolves once they are in use. */
  update(addresses: string[]): Promise<void>;
  /** The servers to keep a tunnel to. */
  serverAddresses(): string[];
  /** Make a tunnel's state its server's health; a list that balances nothing has no health to keep. */
  setHealthCheck?(address: string, check: HealthCheck): void;
}

/** What {@linkcode followAPIServerAddresses} works with. */
export interface APIServerAddressesOptions {
  /** The server list the tunnels follow. */
  servers: ServerList;
  /** A client as `system:k3s-controller`, whose K3s role may watch Endpoints. */
  client: Client;
  /** The supervisor's `/v1-k3s/apiservers` (see `node/join` `getAPIServers`). */
  apiServers: () => Promise<string[]>;
  /** What every tunnel shares: trust, the node's identity, what the servers may reach. */
  tunnel: TunnelManagerOptions;
  /** How long a new list must hold before it is applied, in ms (default 3000, K3s's). */
  debounce?: number;
  signal: AbortSignal;
  log: (line: string) => void;
}

/**
 * Follow the cluster's servers until `signal` aborts; resolves once every tunnel is closed.
 *
 * @example
 * ```ts
 * const following = followAPIServerAddresses({ servers: lb, client: controllerClient,
 *   apiServers: () => getAPIServers({ server: lb.localURL, trust: caPem, authorization }),
 *   tunnel: { caPem, certPem, keyPem, allow, log }, signal, log });
 * ```
 */
export async function followAPIServerAddresses(options: APIServerAddressesOptions): Promise<void> {
  const { servers, signal, log } = options;
  const tunnels = new TunnelManager(options.tunnel);
  const syncTunnels = () => {
    const addresses = servers.serverAddresses();
    const added = addresses.filter((address) => !tunnels.addresses().includes(address));
    tunnels.sync(addresses);
    for (const address of added) servers.setHealthCheck?.(address, () => tunnels.health(address));
  };
  let pending: ReturnType<typeof setTimeout> | undefined;
  const sync = (addresses: string[]) => {
    if (addresses.length === 0) return;
    clearTimeout(pending);
    pending = setTimeout(async () => {
      await servers.update(addresses);
      if (!signal.aborted) syncTunnels();
    }, options.debounce ?? DEBOUNCE_MS);
  };
  const stop = () => clearTimeout(pending);
  signal.addEventListener("abort", stop, { once: true });
  try {
    const addresses = await waitForAPIServers(options);
    if (addresses.length > 0) {
      log(`Got apiserver addresses from supervisor: [${addresses.join(" ")}]`);
      await servers.update(addresses);
    }
    syncTunnels();
    const source = listWatcherFor(options.client, ENDPOINTS);
    const informer = new Informer({
      ...source,
      list(namespace, selectors) {
        options.apiServers().then(sync, (error) => {
          log(`Failed to get apiserver addresses from supervisor: ${(error as Error).message}`);
        });
        return source.list(namespace, selectors);
      },
    }, {
      namespace: "default",
      fieldSelector: "metadata.name=kubernetes",
      onError: (error) => log(`Failed to watch the kubernetes endpoints: ${(error as Error).message ?? error}`),
    });
    informer.addHandler({
      add: (endpoints) => sync(addressesOf(endpoints)),
      update: (_, now) => sync(addressesOf(now)),
    });
    await informer.run(signal);
  } finally {
    stop();
    signal.removeEventListener("abort", stop);
    await tunnels.close();
  }
}

/** The supervisor's list, asked every 5 s until it names a server (empty once `signal` aborts). */
async function waitForAPIServers(options: APIServerAddressesOptions): Promise<string[]> {
  while (!options.signal.aborted) {
    try {
      const addresses = await options.apiServers();
      if (addresses.length > 0) return addresses;
      options.log("Waiting for supervisor to provide apiserver addresses");
    } catch (error) {
      options.log(`Failed to retrieve list of apiservers from server: ${(error as Error).message}`);
    }
    await sleep(SUPERVISOR_RETRY_MS, options.signal);
  }
  return [];
}

/** `ip:port` of every ready address of the Endpoints, each subset's first port (443 without one), as K3s reads it. */
function addressesOf(endpoints: KubeObject): string[] {
  const subsets = (endpoints.subsets ?? []) as { addresses?: { ip: string }[]; ports?: { port: number }[] }[];
  return subsets.flatMap((subset) => {
    const port = subset.ports?.[0]?.port ?? 443;
    return (subset.addresses ?? []).map(({ ip }) => ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`);
  });
}
