/**
 * kube-apiserver's lease endpoint reconciler (`--endpoint-reconciler-type=lease`, the default): every server
 * refreshes its own lease and then sets the `kubernetes` Endpoints to the IPs of all live leases, so a server that
 * stops refreshing drops out once its lease expires, and one that stops cleanly removes itself at once.
 *
 * @module
 */
import { isAlreadyExists, isConflict } from "../../client/mod.ts";
import type { EndpointPort, Endpoints, EndpointsAdapter } from "./endpoints_adapter.ts";
import type { MasterLeases } from "./leases.ts";

/** Where the API servers' own Service, `kubernetes`, lives. */
const NAMESPACE = "default";
/** Labels the Endpoints so the EndpointSlice mirroring controller leaves them to the adapter. */
const LABEL_SKIP_MIRROR = "endpointslice.kubernetes.io/skip-mirror";
/** client-go's `retry.DefaultBackoff` steps: other servers write the same objects, so a lost race is retried. */
const ATTEMPTS = 4;

/** What `checkEndpointSubsetFormatWithLease` finds wrong with the current Endpoints. */
interface Format {
  formatCorrect: boolean;
  ipsCorrect: boolean;
  portsCorrect: boolean;
}

function checkFormat(endpoints: Endpoints, ips: string[], ports: EndpointPort[], reconcilePorts: boolean): Format {
  if (endpoints.subsets?.length !== 1) return { formatCorrect: false, ipsCorrect: false, portsCorrect: false };
  const subset = endpoints.subsets[0];
  const current = subset.ports ?? [];
  const portsCorrect = !reconcilePorts ||
    (current.length === ports.length &&
      ports.every((port, i) =>
        current[i].name === port.name && current[i].port === port.port && current[i].protocol === port.protocol
      ));
  const addresses = (subset.addresses ?? []).map((address) => address.ip);
  const expected = new Set(ips);
  const ipsCorrect = addresses.length === ips.length && new Set(addresses).size === addresses.length &&
    addresses.every((ip) => expected.has(ip));
  return { formatCorrect: true, ipsCorrect, portsCorrect };
}

/**
 * The lease reconciler of one API server, advertising `ip`.
 *
 * @example
 * ```ts
 * const reconciler = new LeaseEndpointReconciler(new EndpointsAdapter(client), new MasterLeases(store, 15));
 * const ports = [{ name: "https", port: 6443, protocol: "TCP" }];
 * await reconciler.reconcileEndpoints("kubernetes", "10.0.0.5", ports, true);
 * reconciler.stopReconciling();
 * await reconciler.removeEndpoints("kubernetes", "10.0.0.5", ports);
 * ```
 */
export class LeaseEndpointReconciler {
  #stopped = false;
  /** Serializes reconciles with the final removal, as upstream's `reconcilingLock` does. */
  #lock: Promise<void> = Promise.resolve();

  constructor(private readonly adapter: EndpointsAdapter, private readonly leases: MasterLeases) {}

  /**
   * Refresh this server's lease, then set the Endpoints to the IPs of all live leases; `reconcilePorts` also resets
   * their ports to `ports`. Does nothing once {@linkcode stopReconciling} was called.
   */
  reconcileEndpoints(service: string, ip: string, ports: EndpointPort[], reconcilePorts: boolean): Promise<void> {
    return this.#locked(async () => {
      if (this.#stopped) return;
      // The lease is refreshed whatever happens to the Endpoints, so other servers keep listing this one.
      await this.leases.updateLease(ip);
      await this.#reconcile(service, ports, reconcilePorts);
    });
  }

  /** Delete this server's lease and take its IP out of the Endpoints (on a clean shutdown). */
  removeEndpoints(service: string, ip: string, ports: EndpointPort[]): Promise<void> {
    return this.#locked(async () => {
      await this.leases.removeLease(ip);
      await this.#reconcile(service, ports, true);
    });
  }

  /** No more reconciles; the last server then empties the Endpoints on removal instead of refusing to. */
  stopReconciling(): void {
    this.#stopped = true;
  }

  #locked(fn: () => Promise<void>): Promise<void> {
    const run = this.#lock.then(fn);
    this.#lock = run.catch(() => {});
    return run;
  }

  async #reconcile(service: string, ports: EndpointPort[], reconcilePorts: boolean): Promise<void> {
    for (let attempt = 1;; attempt++) {
      try {
        return await this.#reconcileOnce(service, ports, reconcilePorts);
      } catch (error) {
        if (attempt >= ATTEMPTS || !(isConflict(error) || isAlreadyExists(error))) throw error;
      }
    }
  }

  async #reconcileOnce(service: string, ports: EndpointPort[], reconcilePorts: boolean): Promise<void> {
    let endpoints = await this.adapter.get(NAMESPACE, service);
    const create = !endpoints;
    if (!endpoints) {
      if (this.#stopped) return;
      endpoints = { apiVersion: "v1", kind: "Endpoints", metadata: { name: service, namespace: NAMESPACE } };
    }
    const ips = await this.leases.listLeases();
    // This server's own lease was just written: an empty list means the store is confused, not that no server lives.
    if (!this.#stopped && ips.length === 0) {
      throw new Error(
        "no API server IP addresses were listed in storage, refusing to erase all endpoints for the kubernetes Service",
      );
    }
    const labels = endpoints.metadata.labels ?? {};
    const skipMirrorChanged = labels[LABEL_SKIP_MIRROR] !== "true";
    endpoints.metadata.labels = { ...labels, [LABEL_SKIP_MIRROR]: "true" };
    const { formatCorrect, ipsCorrect, portsCorrect } = checkFormat(endpoints, ips, ports, reconcilePorts);
    if (!skipMirrorChanged && formatCorrect && ipsCorrect && portsCorrect) {
      return await this.adapter.ensureEndpointSliceFromEndpoints(endpoints);
    }
    if (!formatCorrect) endpoints.subsets = [{ addresses: [], ports }];
    if (!formatCorrect || !ipsCorrect) {
      // RepackSubsets: addresses sorted and unique, and a subset left without any is dropped.
      const sorted = [...new Set(ips)].sort();
      endpoints.subsets = sorted.length ? [{ ...endpoints.subsets![0], addresses: sorted.map((ip) => ({ ip })) }] : [];
    }
    if (endpoints.subsets!.length > 0 && !portsCorrect) endpoints.subsets![0].ports = ports;
    if (create) await this.adapter.create(endpoints);
    else await this.adapter.update(endpoints);
  }
}
