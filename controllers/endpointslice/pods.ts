/**
 * Pod facts both endpoint controllers decide by, after kube's `k8s.io/endpointslice/util` (which the
 * Endpoints controller imports too): whether a pod belongs in a Service's endpoints at all, its IPs, its
 * readiness, its hostname, and which container port a Service port's `targetPort` means for it.
 *
 * @module
 */
import type { KubeObject } from "../../core/operator/mod.ts";
import type { Service, ServicePort } from "./service.ts";

interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

interface Container {
  name: string;
  ports?: ContainerPort[];
  restartPolicy?: string;
}

/** The parts of a Pod the endpoint controllers read. */
export interface Pod extends KubeObject {
  metadata: {
    name: string;
    namespace: string;
    uid?: string;
    resourceVersion?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
  };
  spec?: {
    nodeName?: string;
    hostname?: string;
    subdomain?: string;
    containers?: Container[];
    initContainers?: Container[];
  };
  status?: {
    phase?: string;
    podIP?: string;
    podIPs?: { ip: string }[];
    conditions?: { type: string; status: string; lastTransitionTime?: string }[];
  };
}

/**
 * The pod's IPs: `status.podIPs`, or `status.podIP` alone when only that was written (kube's v1
 * conversion fills `podIPs` from it; this server stores what the kubelet sent).
 *
 * @example
 * ```ts
 * podIPs({ metadata: { name: "a", namespace: "d" }, status: { podIP: "10.42.0.5" } }); // ["10.42.0.5"]
 * ```
 */
export function podIPs(pod: Pod): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip).filter(Boolean);
  if (ips.length > 0) return ips;
  return pod.status?.podIP ? [pod.status.podIP] : [];
}

/**
 * Whether an address is IPv6 (the controllers only tell the two families apart).
 *
 * @example
 * ```ts
 * isIPv6("fd00::5"); // true
 * ```
 */
export function isIPv6(ip: string): boolean {
  return ip.includes(":");
}

/**
 * Whether the pod's `Ready` condition is `True`.
 *
 * @example
 * ```ts
 * isPodReady({ metadata: { name: "a", namespace: "d" }, status: { conditions: [{ type: "Ready", status: "True" }] } }); // true
 * ```
 */
export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
}

/**
 * Kube's `ShouldPodBeInEndpoints`: not finished (Succeeded/Failed), has an IP, and — unless
 * `includeTerminating` — not being deleted.
 *
 * @example
 * ```ts
 * shouldPodBeInEndpoints(pod, service.spec?.publishNotReadyAddresses ?? false);
 * ```
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") return false;
  if (podIPs(pod).length === 0) return false;
  return includeTerminating || !pod.metadata.deletionTimestamp;
}

/**
 * Kube's `ShouldSetHostname`: the pod names a hostname and sits in the Service's subdomain.
 *
 * @example
 * ```ts
 * shouldSetHostname(pod, service); // true for spec.hostname "db-0", spec.subdomain "db" and Service "db"
 * ```
 */
export function shouldSetHostname(pod: Pod, service: Service): boolean {
  return Boolean(pod.spec?.hostname) && pod.spec?.subdomain === service.metadata.name &&
    pod.metadata.namespace === service.metadata.namespace;
}

function namedPort(containers: Container[], name: string, protocol: string): number | undefined {
  for (const container of containers) {
    for (const port of container.ports ?? []) {
      if (port.name === name && (port.protocol ?? "TCP") === protocol) return port.containerPort;
    }
  }
  return undefined;
}

/**
 * Kube's `FindPort`: a numeric `targetPort` as is; a named one looked up (same protocol) in the pod's
 * containers, then its sidecars (init containers with `restartPolicy: Always`). Undefined when the pod
 * has no such port, so the pod is left out for that Service port.
 *
 * @example
 * ```ts
 * findPort(pod, { port: 80, targetPort: "http", protocol: "TCP" }); // 8080 when a container names 8080 "http"
 * ```
 */
export function findPort(pod: Pod, servicePort: ServicePort): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === "number") return target;
  const protocol = servicePort.protocol ?? "TCP";
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === "Always");
  return namedPort(pod.spec?.containers ?? [], target, protocol) ?? namedPort(sidecars, target, protocol);
}
