/**
 * The objects every cluster starts with: the four system namespaces and the `kubernetes` Service
 * (first address of the service CIDR). Its endpoints list every live server, so the endpoint
 * reconciler (`endpoint_reconciler/`) writes them, not this one-off bootstrap.
 *
 * @module
 */
import type { Rest } from "../api/rest.ts";
import { firstServiceIP } from "../pki/mod.ts";
import { StatusError } from "../api/status.ts";
import type { KubeObject } from "../api/storage.ts";
import type { Registry } from "../registry/registry.ts";

/** The `kubernetes` Service's address and the port it forwards to. */
export interface BootstrapOptions {
  serviceCIDR: string;
  port: number;
}

async function ensure(
  rest: Rest,
  registry: Registry,
  group: string,
  resource: string,
  namespace: string | undefined,
  object: KubeObject,
): Promise<void> {
  const info = registry.resolve(group, "v1", resource)!;
  try {
    await rest.create(info, namespace, object);
  } catch (error) {
    if (!(error instanceof StatusError && error.status.reason === "AlreadyExists")) throw error;
  }
}

/**
 * Create what is missing of the system namespaces and the `kubernetes` Service.
 *
 * @example
 * ```ts
 * await bootstrapCluster(rest, registry, { serviceCIDR: "10.43.0.0/16", port: 6443 });
 * ```
 */
export async function bootstrapCluster(rest: Rest, registry: Registry, options: BootstrapOptions): Promise<void> {
  for (const name of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
    await ensure(rest, registry, "", "namespaces", undefined, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name },
    });
  }
  const labels = { component: "apiserver", provider: "kubernetes" };
  await ensure(rest, registry, "", "services", "default", {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "kubernetes", namespace: "default", labels },
    spec: {
      type: "ClusterIP",
      clusterIP: firstServiceIP(options.serviceCIDR),
      ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: options.port }],
      sessionAffinity: "None",
    },
  });
}
