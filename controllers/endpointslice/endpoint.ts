/**
 * One pod as a `discovery.k8s.io/v1` endpoint of a Service, and how endpoints and port sets are told
 * apart: an endpoint's identity is its addresses, hostname and pod (kube's `hashEndpoint`); everything
 * else (conditions, node, zone, pod uid) is what an update may change.
 *
 * @module
 */
import type { KubeObject, OwnerReference } from "../../core/operator/mod.ts";
import { findPort, isIPv6, isPodReady, type Pod, podIPs, shouldSetHostname } from "./pods.ts";
import type { Service } from "./service.ts";

/** An `ObjectReference` to the pod behind an endpoint. */
export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

/** A `discovery.k8s.io/v1` Endpoint. */
export interface Endpoint {
  addresses: string[];
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  hostname?: string;
  targetRef?: ObjectReference;
  nodeName?: string;
  zone?: string;
  hints?: unknown;
}

/** A `discovery.k8s.io/v1` EndpointPort. */
export interface EndpointPort {
  name?: string;
  port?: number;
  protocol?: string;
  appProtocol?: string;
}

/** An EndpointSlice as the controller reads and writes it. */
export interface EndpointSlice extends KubeObject {
  metadata: {
    name?: string;
    generateName?: string;
    namespace: string;
    uid?: string;
    resourceVersion?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: OwnerReference[];
  };
  addressType: string;
  endpoints?: Endpoint[];
  ports?: EndpointPort[];
}

/** The node label an endpoint's `zone` comes from. */
export const LABEL_TOPOLOGY_ZONE = "topology.kubernetes.io/zone";

/**
 * Kube's `podToEndpoint`: the pod's addresses of `addressType`, its conditions (ready only when serving
 * and not terminating, unless the Service publishes not-ready addresses), node, zone, pod reference and
 * hostname.
 *
 * @example
 * ```ts
 * podToEndpoint(pod, node, service, "IPv4");
 * // { addresses: ["10.42.0.5"], conditions: { ready: true, serving: true, terminating: false }, … }
 * ```
 */
export function podToEndpoint(pod: Pod, node: KubeObject | undefined, service: Service, addressType: string): Endpoint {
  const serving = isPodReady(pod);
  const terminating = Boolean(pod.metadata.deletionTimestamp);
  const ready = (service.spec?.publishNotReadyAddresses ?? false) || (serving && !terminating);
  const endpoint: Endpoint = {
    addresses: podIPs(pod).filter((ip) => isIPv6(ip) === (addressType === "IPv6")),
    conditions: { ready, serving, terminating },
    targetRef: { kind: "Pod", namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
  if (pod.spec?.nodeName) endpoint.nodeName = pod.spec.nodeName;
  const zone = node?.metadata?.labels?.[LABEL_TOPOLOGY_ZONE];
  if (zone) endpoint.zone = zone;
  if (shouldSetHostname(pod, service)) endpoint.hostname = pod.spec!.hostname;
  return endpoint;
}

/**
 * Kube's `getEndpointPorts`: every Service port the pod has (a headless Service may have none).
 *
 * @example
 * ```ts
 * endpointPorts(service, pod); // [{ name: "http", port: 8080, protocol: "TCP" }]
 * ```
 */
export function endpointPorts(service: Service, pod: Pod): EndpointPort[] {
  const ports: EndpointPort[] = [];
  for (const servicePort of service.spec?.ports ?? []) {
    const port = findPort(pod, servicePort);
    if (port === undefined) continue;
    ports.push({
      name: servicePort.name ?? "",
      port,
      protocol: servicePort.protocol ?? "TCP",
      ...(servicePort.appProtocol ? { appProtocol: servicePort.appProtocol } : {}),
    });
  }
  return ports;
}

function portText(port: EndpointPort): string {
  return JSON.stringify([port.name ?? null, port.port ?? null, port.protocol ?? null, port.appProtocol ?? null]);
}

/**
 * Kube's `PortMapKey`: the same text for the same set of ports in any order; slices are grouped by it.
 *
 * @example
 * ```ts
 * portMapKey([{ port: 80 }, { port: 443 }]) === portMapKey([{ port: 443 }, { port: 80 }]); // true
 * ```
 */
export function portMapKey(ports: EndpointPort[] | undefined): string {
  return JSON.stringify((ports ?? []).map(portText).sort());
}

/**
 * Kube's `hashEndpoint`: addresses (in any order), hostname and the pod's namespace and name.
 *
 * @example
 * ```ts
 * endpointKey({ addresses: ["10.42.0.5"], targetRef: { namespace: "default", name: "web-1" } });
 * ```
 */
export function endpointKey(endpoint: Endpoint): string {
  const ref = endpoint.targetRef;
  return JSON.stringify([[...endpoint.addresses].sort(), endpoint.hostname ?? "", ref?.namespace, ref?.name]);
}

function sameRef(a: ObjectReference | undefined, b: ObjectReference | undefined): boolean {
  if (!a || !b) return a === b;
  const fields = ["kind", "namespace", "name", "uid", "apiVersion", "fieldPath"] as const;
  return fields.every((f) => (a[f] ?? "") === (b[f] ?? ""));
}

/**
 * Kube's `EndpointsEqualBeyondHash`: node, zone, the three conditions and the pod reference (but not
 * its resourceVersion) are the same.
 *
 * @example
 * ```ts
 * if (!endpointsEqualBeyondKey(desired, existing)) changed = true;
 * ```
 */
export function endpointsEqualBeyondKey(a: Endpoint, b: Endpoint): boolean {
  return a.nodeName === b.nodeName && a.zone === b.zone &&
    a.conditions?.ready === b.conditions?.ready &&
    a.conditions?.serving === b.conditions?.serving &&
    a.conditions?.terminating === b.conditions?.terminating &&
    sameRef(a.targetRef, b.targetRef);
}
