/**
 * The part of kube-apiserver's `kubernetes` Service controller that runs the endpoint reconciler: every server, not
 * only the leader, refreshes its lease on a fixed interval, and on a clean stop removes itself so clients stop using
 * it at once. A timer rather than an informer-driven controller, because what it tracks is time (the leases' TTL),
 * not API objects.
 *
 * @module
 */
import type { Store } from "../../../datastore/mod.ts";
import type { Client } from "../../client/mod.ts";
import { sleep } from "../../operator/mod.ts";
import { type EndpointPort, EndpointsAdapter } from "./endpoints_adapter.ts";
import { LeaseEndpointReconciler } from "./lease_reconciler.ts";
import { MasterLeases } from "./leases.ts";

/** kube-apiserver's `DefaultEndpointReconcilerInterval`: how often a server refreshes its lease. */
export const DEFAULT_ENDPOINT_RECONCILER_INTERVAL_SECONDS = 10;
/** kube-apiserver's `DefaultEndpointReconcilerTTL`: how long a lease outlives its last refresh. */
export const DEFAULT_ENDPOINT_RECONCILER_TTL_SECONDS = 15;

const SERVICE = "kubernetes";

/** How often a server refreshes its lease and how long the lease lives; kube-apiserver fixes both. */
export interface EndpointReconcilerTimings {
  /** Seconds between refreshes (default 10). */
  intervalSeconds?: number;
  /** Seconds a lease lives after its last refresh (default 15). */
  ttlSeconds?: number;
  /**
   * Aborting ends the refreshes without removing anything, as a crash would: the lease then expires on its own.
   */
  signal?: AbortSignal;
}

/** What {@linkcode startEndpointReconciler} needs. */
export interface EndpointReconcilerOptions extends EndpointReconcilerTimings {
  /** A client into this server's API (the in-process one). */
  client: Client;
  store: Store;
  /** This server's advertise address: its lease's key and its address in the endpoints. */
  ip: string;
  /** The secure port clients reach this server on. */
  port: number;
  log?: (line: string) => void;
}

/** A running endpoint reconciler. */
export interface EndpointReconcilerHandle {
  /** Stop refreshing, delete this server's lease and take it out of the endpoints (bounded by two intervals). */
  stop(): Promise<void>;
}

/**
 * Put this server into the `kubernetes` endpoints now (its ports too), then keep its lease alive until `stop()`.
 *
 * @example
 * ```ts
 * const endpoints = await startEndpointReconciler({ client, store, ip: "10.0.0.5", port: 6443 });
 * await endpoints.stop(); // on shutdown
 * ```
 */
export async function startEndpointReconciler(options: EndpointReconcilerOptions): Promise<EndpointReconcilerHandle> {
  const interval = (options.intervalSeconds ?? DEFAULT_ENDPOINT_RECONCILER_INTERVAL_SECONDS) * 1000;
  const reconciler = new LeaseEndpointReconciler(
    new EndpointsAdapter(options.client),
    new MasterLeases(options.store, options.ttlSeconds ?? DEFAULT_ENDPOINT_RECONCILER_TTL_SECONDS),
  );
  const ports: EndpointPort[] = [{ name: "https", port: options.port, protocol: "TCP" }];
  // Ports are corrected at start only, as upstream; the periodic runs keep whatever ports are there.
  await reconciler.reconcileEndpoints(SERVICE, options.ip, ports, true);
  const stopped = new AbortController();
  const done = AbortSignal.any([stopped.signal, ...options.signal ? [options.signal] : []]);
  const loop = (async () => {
    for (await sleep(interval, done); !done.aborted; await sleep(interval, done)) {
      await reconciler.reconcileEndpoints(SERVICE, options.ip, ports, false).catch((error) =>
        options.log?.(`Unable to sync kubernetes service: ${(error as Error).message}`)
      );
    }
  })();
  return {
    async stop() {
      stopped.abort();
      reconciler.stopReconciling();
      await loop;
      if (options.signal?.aborted) return;
      const removal = reconciler.removeEndpoints(SERVICE, options.ip, ports).catch((error) =>
        options.log?.(`Unable to remove endpoints from kubernetes service: ${(error as Error).message}`)
      );
      // A datastore that is away must not hold the shutdown forever.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          options.log?.("RemoveEndpoints() timed out");
          resolve();
        }, 2 * interval);
      });
      await Promise.race([removal, timeout]);
      clearTimeout(timer);
    },
  };
}
