/**
 * Service facts both endpoint controllers decide by: its selector, whether it is headless, which
 * address families it serves, and which Services a pod concerns.
 *
 * @module
 */
import { matchesSelector } from "../../core/api/label_selector.ts";
import { type KubeObject, objectKey } from "../../core/operator/mod.ts";
import { isIPv6 } from "./pods.ts";

/** One `spec.ports` entry. */
export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  appProtocol?: string;
}

/** The parts of a Service the endpoint controllers read. */
export interface Service extends KubeObject {
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
  };
  spec?: {
    type?: string;
    selector?: Record<string, string>;
    ports?: ServicePort[];
    clusterIP?: string;
    ipFamilies?: string[];
    publishNotReadyAddresses?: boolean;
  };
}

/** The label kube puts on the Endpoints and EndpointSlices of a Service without a cluster IP. */
export const IS_HEADLESS_SERVICE = "service.kubernetes.io/headless";

/**
 * The selector pods are matched by, or undefined for a Service whose endpoints someone else writes.
 * An empty selector counts as none: kube stores Services as protobuf, where `{}` comes back as nil.
 *
 * @example
 * ```ts
 * serviceSelector(service); // { app: "web" }
 * ```
 */
export function serviceSelector(service: Service): Record<string, string> | undefined {
  const selector = service.spec?.selector;
  return selector && Object.keys(selector).length > 0 ? selector : undefined;
}

/**
 * Kube's `IsServiceIPSet`: false for headless (`None`) and unallocated cluster IPs.
 *
 * @example
 * ```ts
 * isServiceIPSet({ ...service, spec: { clusterIP: "None" } }); // false
 * ```
 */
export function isServiceIPSet(service: Service): boolean {
  const ip = service.spec?.clusterIP ?? "";
  return ip !== "" && ip !== "None";
}

/**
 * Whether the endpoint controllers manage this Service's endpoints: it selects pods and is not an
 * ExternalName alias. The API server's own `kubernetes` Service has no selector, so it is left alone.
 *
 * @example
 * ```ts
 * if (!hasManagedEndpoints(service)) return;
 * ```
 */
export function hasManagedEndpoints(service: Service): boolean {
  return service.spec?.type !== "ExternalName" && serviceSelector(service) !== undefined;
}

/**
 * The pods of `pods` a Service selects.
 *
 * @example
 * ```ts
 * const backends = selectedPods(service, podCache.byIndex(NAMESPACE_INDEX, service.metadata.namespace));
 * ```
 */
export function selectedPods<P extends KubeObject>(service: Service, pods: P[]): P[] {
  const selector = serviceSelector(service);
  if (!selector) return [];
  return pods.filter((pod) => matchesSelector({ matchLabels: selector }, pod.metadata?.labels));
}

/**
 * The keys of the Services among `services` (those of the pod's namespace) that select `pod` — what a
 * pod event concerns.
 *
 * @example
 * ```ts
 * servicesSelecting(pod, serviceCache.byIndex(NAMESPACE_INDEX, pod.metadata.namespace) as Service[]);
 * ```
 */
export function servicesSelecting(pod: KubeObject, services: Service[]): string[] {
  return services
    .filter((service) => {
      const selector = serviceSelector(service);
      return selector !== undefined && matchesSelector({ matchLabels: selector }, pod.metadata?.labels);
    })
    .map((service) => objectKey(service));
}

/**
 * Kube's `getAddressTypesForService`: the families in `spec.ipFamilies`; without them, the cluster IP's
 * family, or both for a headless Service.
 *
 * @example
 * ```ts
 * addressTypesFor(service); // ["IPv4"]
 * ```
 */
export function addressTypesFor(service: Service): ("IPv4" | "IPv6")[] {
  const families = service.spec?.ipFamilies ?? [];
  const types = (["IPv4", "IPv6"] as const).filter((t) => families.includes(t));
  if (types.length > 0) return types;
  if (isServiceIPSet(service)) return [isIPv6(service.spec!.clusterIP!) ? "IPv6" : "IPv4"];
  return ["IPv4", "IPv6"];
}
