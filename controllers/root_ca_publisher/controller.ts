/**
 * kube-controller-manager's `root-ca-cert-publisher`: every active Namespace holds the ConfigMap `kube-root-ca.crt`
 * with the cluster CA under `ca.crt`, which the `kube-api-access-*` volumes of its pods project. A ConfigMap edited or
 * deleted is put back.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { type Client, isAlreadyExists } from "../../core/client/mod.ts";
import { type Controller, controller, type KubeObject, type Manager } from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";
import { ROOT_CA_CONFIG_MAP } from "../../core/auth/serviceaccount/mod.ts";
const DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal " +
  "endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across " +
  "distributions of Kubernetes clusters.";

interface Namespace extends KubeObject {
  status?: { phase?: string };
}

interface ConfigMap extends KubeObject {
  metadata: KubeObject["metadata"] & { annotations?: Record<string, string> };
  data?: Record<string, string>;
}

/**
 * The controller, for Namespaces, watching the `kube-root-ca.crt` ConfigMaps.
 *
 * @example
 * ```ts
 * manager.add(rootCAPublisher({ client, registry, manager }, { rootCAFile: "/var/lib/rancher/k3s/server/tls/server-ca.crt" }));
 * ```
 */
export function rootCAPublisher(
  deps: { client: Client; registry: Registry; manager: Manager },
  options: { rootCAFile: string },
): Controller {
  const { client, registry, manager } = deps;
  const namespaces = registry.resolve("", "v1", "namespaces")!;
  const configMaps = registry.resolve("", "v1", "configmaps")!;
  const CONFIG_MAP = { apiVersion: "v1", kind: "ConfigMap" };
  return controller("root-ca-cert-publisher")
    .for(namespaces)
    .watches(
      configMaps,
      (cm) => [cm.metadata?.namespace ?? ""],
      (cm) => cm.metadata?.name === ROOT_CA_CONFIG_MAP,
    )
    .complete(async ({ name }) => {
      const ns = manager.cache(namespaces).get(name) as Namespace | undefined;
      if (ns?.status?.phase !== "Active") return;
      // Read per pass: certificate rotation replaces the file.
      const ca = readFileSync(options.rootCAFile, "utf8");
      const current = manager.cache(configMaps).get(`${name}/${ROOT_CA_CONFIG_MAP}`) as ConfigMap | undefined;
      const wanted = { "ca.crt": ca };
      if (!current) {
        try {
          await client.create({
            ...CONFIG_MAP,
            metadata: {
              name: ROOT_CA_CONFIG_MAP,
              namespace: name,
              annotations: { "kubernetes.io/description": DESCRIPTION },
            },
            data: wanted,
          });
        } catch (error) {
          if (!isAlreadyExists(error)) throw error;
        }
        return;
      }
      const described = current.metadata?.annotations?.["kubernetes.io/description"] === DESCRIPTION;
      if (current.data?.["ca.crt"] === ca && Object.keys(current.data).length === 1 && described) return;
      await client.update({
        ...current,
        metadata: {
          ...current.metadata,
          annotations: { ...current.metadata?.annotations, "kubernetes.io/description": DESCRIPTION },
        },
        data: wanted,
      });
    });
}
