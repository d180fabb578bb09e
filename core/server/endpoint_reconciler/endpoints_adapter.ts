/**
 * Writes the `kubernetes` Endpoints and keeps the EndpointSlice of the same name in step with it, as
 * kube-apiserver's `EndpointsAdapter` does: the slice is derived from the Endpoints' one subset, labelled only with
 * `kubernetes.io/service-name` (no `managed-by`, so neither the EndpointSlice controller nor the mirroring controller
 * claims it).
 *
 * @module
 */
import { isIPv6 } from "node:net";
import { type Client, isAlreadyExists, isNotFound } from "../../client/mod.ts";
import type { ObjectMeta } from "../../api/storage.ts";

/** One port of the `kubernetes` endpoints. */
export interface EndpointPort {
  name: string;
  port: number;
  protocol: string;
}

/** The parts of a `v1` Endpoints the reconciler reads and writes. */
export interface Endpoints {
  apiVersion: "v1";
  kind: "Endpoints";
  metadata: ObjectMeta;
  subsets?: {
    addresses?: { ip: string }[];
    notReadyAddresses?: { ip: string }[];
    ports?: EndpointPort[];
  }[];
}

/** The parts of a `discovery.k8s.io/v1` EndpointSlice the adapter writes. */
export interface EndpointSlice {
  apiVersion: "discovery.k8s.io/v1";
  kind: "EndpointSlice";
  metadata: ObjectMeta;
  addressType: "IPv4" | "IPv6";
  endpoints: { addresses: string[]; conditions: { ready: boolean } }[];
  ports?: EndpointPort[];
}

/** The label naming a slice's Service. */
const LABEL_SERVICE_NAME = "kubernetes.io/service-name";

/** kube-apiserver writes as itself, so `managedFields` name it. */
const FIELD_MANAGER = "kube-apiserver";
const ENDPOINTS = { apiVersion: "v1", kind: "Endpoints" };
const ENDPOINT_SLICE = { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice" };

/**
 * The EndpointSlice an Endpoints maps to (upstream's `endpointSliceFromEndpoints`): IPv6 only when every address is,
 * ready and not-ready addresses of that family, the first subset's ports.
 *
 * @example
 * ```ts
 * endpointSliceFromEndpoints(endpoints).endpoints; // [{ addresses: ["10.0.0.5"], conditions: { ready: true } }]
 * ```
 */
export function endpointSliceFromEndpoints(endpoints: Endpoints): EndpointSlice {
  const slice: EndpointSlice = {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      name: endpoints.metadata.name,
      namespace: endpoints.metadata.namespace,
      labels: { [LABEL_SERVICE_NAME]: endpoints.metadata.name! },
    },
    addressType: "IPv4",
    endpoints: [],
  };
  const subset = endpoints.subsets?.[0];
  if (!subset) return slice;
  if (subset.ports?.length) {
    slice.ports = subset.ports.map(({ name, port, protocol }) => ({ name, port, protocol }));
  }
  const all = [...subset.addresses ?? [], ...subset.notReadyAddresses ?? []];
  if (all.length > 0 && all.every((address) => isIPv6(address.ip))) slice.addressType = "IPv6";
  const ofFamily = (addresses: { ip: string }[] | undefined, ready: boolean) =>
    (addresses ?? []).filter((address) => isIPv6(address.ip) === (slice.addressType === "IPv6"))
      .map((address) => ({ addresses: [address.ip], conditions: { ready } }));
  slice.endpoints = [...ofFamily(subset.addresses, true), ...ofFamily(subset.notReadyAddresses, false)];
  return slice;
}

/** What upstream's semantic comparison of a slice looks at, in a comparable form. */
function sliceContent(slice: EndpointSlice): string {
  return JSON.stringify({
    endpoints: (slice.endpoints ?? []).map((endpoint) => ({
      addresses: endpoint.addresses,
      ready: endpoint.conditions?.ready,
    })),
    ports: (slice.ports ?? []).map(({ name, port, protocol }) => ({ name, port, protocol })),
    labels: Object.entries(slice.metadata.labels ?? {}).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0),
  });
}

/**
 * Reads and writes the `kubernetes` Endpoints through the API, each write followed by its EndpointSlice.
 *
 * @example
 * ```ts
 * const adapter = new EndpointsAdapter(client);
 * const endpoints = await adapter.get("default", "kubernetes");
 * if (endpoints) await adapter.ensureEndpointSliceFromEndpoints(endpoints);
 * ```
 */
export class EndpointsAdapter {
  constructor(private readonly client: Client) {}

  /** The Endpoints, or undefined when there is none. */
  async get(namespace: string, name: string): Promise<Endpoints | undefined> {
    try {
      return await this.client.get<Endpoints>(ENDPOINTS, namespace, name);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Create the Endpoints and then its slice. */
  async create(endpoints: Endpoints): Promise<Endpoints> {
    const created = await this.client.create(endpoints, { fieldManager: FIELD_MANAGER });
    await this.ensureEndpointSliceFromEndpoints(created);
    return created;
  }

  /** Update the Endpoints (a stale `resourceVersion` is a conflict) and then its slice. */
  async update(endpoints: Endpoints): Promise<Endpoints> {
    const updated = await this.client.update(endpoints, { fieldManager: FIELD_MANAGER });
    await this.ensureEndpointSliceFromEndpoints(updated);
    return updated;
  }

  /** Create or update the slice `endpoints` maps to, writing only when its endpoints, ports or labels differ. */
  async ensureEndpointSliceFromEndpoints(endpoints: Endpoints): Promise<void> {
    const desired = endpointSliceFromEndpoints(endpoints);
    const { namespace, name } = desired.metadata;
    let current: EndpointSlice | undefined;
    try {
      current = await this.client.get<EndpointSlice>(ENDPOINT_SLICE, namespace, name!);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (!current) {
      await this.client.create(desired, { fieldManager: FIELD_MANAGER }).catch((error) => {
        if (!isAlreadyExists(error)) throw error;
      });
      return;
    }
    // addressType is immutable: a slice of the other family is replaced.
    if (current.addressType !== desired.addressType) {
      await this.client.delete(ENDPOINT_SLICE, namespace, name!);
      await this.client.create(desired, { fieldManager: FIELD_MANAGER });
      return;
    }
    if (sliceContent(current) === sliceContent(desired)) return;
    await this.client.update(
      { ...desired, metadata: { ...current.metadata, labels: desired.metadata.labels } },
      { fieldManager: FIELD_MANAGER },
    );
  }
}
