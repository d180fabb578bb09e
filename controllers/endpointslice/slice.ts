/**
 * A Service's EndpointSlice: its labels (the Service's own, minus the reserved ones, plus the service
 * name, manager and headless marks), its controller ownerReference, and a new empty one to fill.
 *
 * @module
 */
import type { OwnerReference } from "../../core/operator/mod.ts";
import type { EndpointPort, EndpointSlice } from "./endpoint.ts";
import { IS_HEADLESS_SERVICE, isServiceIPSet, type Service } from "./service.ts";

/** The label naming a slice's Service. */
export const LABEL_SERVICE_NAME = "kubernetes.io/service-name";
/** The label naming who manages a slice. */
export const LABEL_MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
/** This controller's `managed-by` value. */
export const CONTROLLER_NAME = "endpointslice-controller.k8s.io";

function isReservedLabel(key: string): boolean {
  return key === LABEL_SERVICE_NAME || key === LABEL_MANAGED_BY || key === IS_HEADLESS_SERVICE;
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

/**
 * Kube's `setEndpointSliceLabels`: the labels the slice should carry, and whether its non-reserved ones
 * differ from the Service's (changes to the reserved ones alone never cause an update).
 *
 * @example
 * ```ts
 * const { labels, changed } = sliceLabels(slice.metadata.labels, service);
 * ```
 */
export function sliceLabels(
  current: Record<string, string> | undefined,
  service: Service,
): { labels: Record<string, string>; changed: boolean } {
  const own = (labels: Record<string, string> | undefined) =>
    Object.fromEntries(Object.entries(labels ?? {}).filter(([k]) => !isReservedLabel(k)));
  const labels = own(service.metadata.labels);
  const changed = !sameLabels(own(current), labels);
  if (!isServiceIPSet(service)) labels[IS_HEADLESS_SERVICE] = "";
  labels[LABEL_SERVICE_NAME] = service.metadata.name;
  labels[LABEL_MANAGED_BY] = CONTROLLER_NAME;
  return { labels, changed };
}

/**
 * Kube's `ownedBy`: the slice names this Service (by uid) among its owners.
 *
 * @example
 * ```ts
 * if (!ownedBy(slice, service)) toDelete.push(slice); // left over from a namesake Service
 * ```
 */
export function ownedBy(slice: EndpointSlice, service: Service): boolean {
  return (slice.metadata.ownerReferences ?? []).some((r) =>
    r.uid === service.metadata.uid && r.kind === "Service" && r.apiVersion === "v1"
  );
}

function controllerRef(service: Service): OwnerReference {
  return {
    apiVersion: "v1",
    kind: "Service",
    name: service.metadata.name,
    uid: service.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * Whether `slice` is the empty placeholder a Service without endpoints of `addressType` keeps (kube's
 * `placeholderSliceCompare`: namespace, labels, address type, no endpoints, no ports).
 *
 * @example
 * ```ts
 * if (toDelete.length === 1 && isPlaceholder(toDelete[0], service, "IPv4")) toDelete = []; // keep it
 * ```
 */
export function isPlaceholder(slice: EndpointSlice, service: Service, addressType: string): boolean {
  return slice.metadata.namespace === service.metadata.namespace && slice.addressType === addressType &&
    (slice.endpoints ?? []).length === 0 && (slice.ports ?? []).length === 0 &&
    sameLabels(slice.metadata.labels ?? {}, sliceLabels({}, service).labels);
}

/**
 * Kube's `newEndpointSlice`: an empty slice for the Service, named by the API server from
 * `<service>-`.
 *
 * @example
 * ```ts
 * const slice = newEndpointSlice(service, [{ name: "http", port: 8080, protocol: "TCP" }], "IPv4");
 * ```
 */
export function newEndpointSlice(service: Service, ports: EndpointPort[], addressType: string): EndpointSlice {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      generateName: `${service.metadata.name}-`,
      namespace: service.metadata.namespace,
      labels: sliceLabels({}, service).labels,
      ownerReferences: [controllerRef(service)],
    },
    addressType,
    endpoints: [],
    ports,
  };
}
