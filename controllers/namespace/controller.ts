/**
 * The namespace controller: a Namespace being deleted is emptied of every namespaced object, then its
 * `kubernetes` finalizer is removed so the API server lets it go — what `kubectl delete namespace` waits for.
 *
 * @module
 */
import { type Client, isNotFound } from "../../core/client/mod.ts";
import { type Controller, controller, type Manager } from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";

/** How soon to look again while objects with finalizers of their own are still going away. */
const RECHECK_MS = 1000;

interface Namespace {
  apiVersion: "v1";
  kind: "Namespace";
  metadata: { name: string; deletionTimestamp?: string; resourceVersion?: string };
  spec?: { finalizers?: string[] };
  status?: Record<string, unknown>;
}

/**
 * The controller, for Namespaces.
 *
 * @example
 * ```ts
 * manager.add(namespaceController({ client, registry, manager }));
 * ```
 */
export function namespaceController(deps: { client: Client; registry: Registry; manager: Manager }): Controller {
  const { client, registry, manager } = deps;
  const namespaces = registry.resolve("", "v1", "namespaces")!;
  return controller("namespace").for(namespaces).complete(async ({ name }) => {
    const ns = manager.cache(namespaces).get(name) as Namespace | undefined;
    if (!ns?.metadata.deletionTimestamp) return;
    if (!(ns.spec?.finalizers ?? []).includes("kubernetes")) return;
    let remaining = 0;
    // Every namespaced kind that can be listed and deleted; subresource-only kinds (bindings) cannot.
    for (const r of registry.all()) {
      if (!r.namespaced || !r.verbs.includes("list") || !r.verbs.includes("delete")) continue;
      const ref = { group: r.group, version: r.version, resource: r.resource };
      const list = await client.list(ref, name);
      for (const item of list.items as { metadata: { name: string; deletionTimestamp?: string } }[]) {
        remaining++;
        if (item.metadata.deletionTimestamp) continue;
        try {
          await client.delete(ref, name, item.metadata.name, { propagationPolicy: "Background" });
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }
    }
    if (remaining > 0) return { requeueAfterMs: RECHECK_MS };
    const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== "kubernetes");
    await client.update({ ...ns, spec: { ...ns.spec, finalizers } });
  });
}
