/**
 * The objects every cluster starts with: the four system namespaces and the `kubernetes` Service
 * (first address of the service CIDR) with endpoints pointing at this server, as kube-apiserver
 * keeps them.
 *
 * @module
 */
import type { Rest } from "../api/rest.ts";
import { firstServiceIP } from "../pki/mod.ts";
import { StatusError } from "../api/status.ts";
import type { KubeObject } from "../api/storage.ts";
import type { Registry } from "../registry/registry.ts";

/** Where clients reach this API server, for the `kubernetes` endpoints. */
export interface BootstrapOptions {
  serviceCIDR: string;
  advertiseAddress: string;
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
    if (resource === "endpoints" || resource === "endpointslices") {
      // The server's address may have changed since the last start.
      const current = await rest.get(info, namespace, object.metadata!.name!);
      await rest.update(info, namespace, object.metadata!.name!, {
        ...object,
        metadata: { ...object.metadata, resourceVersion: current.metadata!.resourceVersion },
      });
    }
  }
}

/**
 * Create what is missing of the system namespaces and the `kubernetes` Service.
 *
 * @example
 * ```ts
 * await bootstrapCluster(rest, registry, { serviceCIDR: "10.43.0.0/16", advertiseAddress: "192.168.1.5", port: 6443 });
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
  await ensure(rest, registry, "", "endpoints", "default", {
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: {
      name: "kubernetes",
      namespace: "default",
      labels: { "endpointslice.kubernetes.io/skip-mirror": "true" },
    },
    subsets: [{
      addresses: [{ ip: options.advertiseAddress }],
      ports: [{ name: "https", port: options.port, protocol: "TCP" }],
    }],
  });
  await ensure(rest, registry, "discovery.k8s.io", "endpointslices", "default", {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      name: "kubernetes",
      namespace: "default",
      labels: {
        "kubernetes.io/service-name": "kubernetes",
        "endpointslice.kubernetes.io/managed-by": "endpointslicemirroring-controller.k8s.io",
      },
    },
    addressType: "IPv4",
    endpoints: [{ addresses: [options.advertiseAddress], conditions: { ready: true } }],
    ports: [{ name: "https", port: options.port, protocol: "TCP" }],
  });
}
