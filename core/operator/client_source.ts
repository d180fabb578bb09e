/**
 * The framework's sources over the {@linkcode Client}: informers list and watch through it, leader
 * election keeps its Lease through it — in-process or over HTTPS alike.
 *
 * @module
 */
import { ApiError, type Client, isNotFound } from "../client/mod.ts";
import type { Kind, Lease, LeaseClient, ListWatcher, WatchEvent } from "./source.ts";

/**
 * A {@linkcode ListWatcher} for one kind. A watch that fails with 410 Expired becomes the ERROR event
 * informers relist on.
 *
 * @example
 * ```ts
 * const manager = new Manager({ source: (kind) => listWatcherFor(client, kind) });
 * ```
 */
export function listWatcherFor(client: Client, kind: Kind): ListWatcher {
  const ref = { group: kind.group, version: kind.version, resource: kind.resource };
  return {
    async list(namespace, options) {
      const list = await client.list(ref, namespace, options);
      return { items: list.items as object[], metadata: { resourceVersion: list.metadata.resourceVersion ?? "0" } };
    },
    async *watch(namespace, options): AsyncGenerator<WatchEvent> {
      try {
        for await (const event of client.watch(ref, namespace, options)) yield event as WatchEvent;
      } catch (error) {
        if (error instanceof ApiError) yield { type: "ERROR", object: error.status };
        else throw error;
      }
    },
  };
}

/**
 * The {@linkcode LeaseClient} leader election uses, on `coordination.k8s.io/v1` Leases.
 *
 * @example
 * ```ts
 * new LeaderElector(leaseClientFor(client), { namespace: "kube-system", name: "k3s", identity: "server-1" });
 * ```
 */
export function leaseClientFor(client: Client): LeaseClient {
  const ref = { apiVersion: "coordination.k8s.io/v1", kind: "Lease" };
  return {
    async get(namespace, name) {
      try {
        return await client.get<Lease>(ref, namespace, name);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    create: (lease) => client.create({ ...lease, ...ref }),
    update: (lease) => client.update({ ...lease, ...ref }),
  };
}
