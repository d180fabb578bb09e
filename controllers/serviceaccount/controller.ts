/**
 * The ServiceAccount controller: every active Namespace has a `default` ServiceAccount — created with
 * the Namespace, and again whenever it is deleted — as kube-controller-manager's `serviceaccount`
 * controller ensures. A Namespace being deleted gets nothing new.
 *
 * @module
 */
import { type Client, isAlreadyExists } from "../../core/client/mod.ts";
import { type Controller, controller, type KubeObject, type Manager } from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";

/** The ServiceAccounts every Namespace gets (kube's `--service-account…` default list holds just this). */
export const SERVICE_ACCOUNTS_TO_ENSURE = ["default"];

interface Namespace extends KubeObject {
  metadata: { name: string };
  status?: { phase?: string };
}

/**
 * The controller, for Namespaces, watching ServiceAccounts (a deleted `default` one is recreated).
 *
 * @example
 * ```ts
 * manager.add(serviceAccountController({ client, registry, manager }));
 * ```
 */
export function serviceAccountController(deps: { client: Client; registry: Registry; manager: Manager }): Controller {
  const { client, registry, manager } = deps;
  const namespaces = registry.resolve("", "v1", "namespaces")!;
  const serviceAccounts = registry.resolve("", "v1", "serviceaccounts")!;
  return controller("serviceaccount")
    .for(namespaces)
    .watches(
      serviceAccounts,
      (sa) => [sa.metadata?.namespace ?? ""],
      (sa) => SERVICE_ACCOUNTS_TO_ENSURE.includes(sa.metadata?.name ?? ""),
    )
    .complete(async ({ name }) => {
      const ns = manager.cache(namespaces).get(name) as Namespace | undefined;
      if (ns?.status?.phase !== "Active") return;
      for (const account of SERVICE_ACCOUNTS_TO_ENSURE) {
        if (manager.cache(serviceAccounts).get(`${name}/${account}`)) continue;
        try {
          await client.create({
            apiVersion: "v1",
            kind: "ServiceAccount",
            metadata: { name: account, namespace: name },
          });
        } catch (error) {
          // The cache had not seen it yet.
          if (!isAlreadyExists(error)) throw error;
        }
      }
    });
}
