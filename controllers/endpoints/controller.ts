/**
 * The Endpoints controller: for every Service with a selector, a `v1` Endpoints object of the same name
 * listing the selected pods — ready ones under `addresses`, the others under `notReadyAddresses` — with
 * the container ports the Service's ports resolve to, as kube-controller-manager's does. Services without
 * a selector (the API server's own `kubernetes` Service among them) are left to whoever writes theirs.
 *
 * @module
 */
import type { Client } from "../../core/client/mod.ts";
import { isNotFound } from "../../core/client/mod.ts";
import {
  type Controller,
  controller,
  eventRecorder,
  type KubeObject,
  type Manager,
  NAMESPACE_INDEX,
  objectKey,
} from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";
import {
  findPort,
  formatRFC3339Nano,
  hasManagedEndpoints,
  IS_HEADLESS_SERVICE,
  isIPv6,
  isPodReady,
  isServiceIPSet,
  LAST_CHANGE_TRIGGER_TIME,
  type Pod,
  podIPs,
  selectedPods,
  type Service,
  servicesSelecting,
  shouldPodBeInEndpoints,
  shouldSetHostname,
  TriggerTimeTracker,
} from "../endpointslice/mod.ts";
import { capacityAnnotationSetCorrectly, ENDPOINTS_OVER_CAPACITY, truncateEndpoints } from "./capacity.ts";
import { type EndpointAddress, type EndpointPort, type EndpointSubset, repackSubsets } from "./repack.ts";

/** The parts of an Endpoints object the controller reads and writes. */
export interface Endpoints extends KubeObject {
  metadata: {
    name: string;
    namespace: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  subsets?: EndpointSubset[];
}

const ENDPOINTS = { apiVersion: "v1", kind: "Endpoints" };

function revision(rv: string | undefined): bigint {
  try {
    return rv ? BigInt(rv) : 0n;
  } catch {
    return 0n;
  }
}

/** Kube's `podToEndpointAddressForService`: the pod's IP of the Service's (first) family, if it has one. */
function endpointAddress(service: Service, pod: Pod): EndpointAddress | undefined {
  const ips = podIPs(pod);
  const family = service.spec?.ipFamilies?.[0] ??
    (isServiceIPSet(service) ? (isIPv6(service.spec!.clusterIP!) ? "IPv6" : "IPv4") : isIPv6(ips[0]) ? "IPv6" : "IPv4");
  const ip = ips.find((candidate) => isIPv6(candidate) === (family === "IPv6"));
  if (!ip) return undefined;
  return {
    ip,
    ...(shouldSetHostname(pod, service) ? { hostname: pod.spec!.hostname } : {}),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: { kind: "Pod", namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
}

/** The subsets the selected pods make, repacked. */
function desiredSubsets(service: Service, pods: Pod[]): EndpointSubset[] {
  const publishNotReady = service.spec?.publishNotReadyAddresses ?? false;
  const servicePorts = service.spec?.ports ?? [];
  const subsets: EndpointSubset[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const address = endpointAddress(service, pod);
    if (!address) continue;
    const one = (ports: EndpointPort[]): EndpointSubset =>
      publishNotReady || isPodReady(pod) ? { addresses: [address], ports } : { notReadyAddresses: [address], ports };
    if (servicePorts.length === 0) {
      // Only a headless Service may have no ports; its addresses are listed bare.
      if (service.spec?.clusterIP === "None") subsets.push(one([]));
      continue;
    }
    for (const servicePort of servicePorts) {
      const port = findPort(pod, servicePort);
      if (port === undefined) continue;
      subsets.push(one([{
        ...(servicePort.name ? { name: servicePort.name } : {}),
        port,
        protocol: servicePort.protocol ?? "TCP",
        ...(servicePort.appProtocol ? { appProtocol: servicePort.appProtocol } : {}),
      }]));
    }
  }
  return repackSubsets(subsets);
}

/** Subsets in a canonical form: absent and empty lists alike, the pod's resourceVersion ignored. */
function canonical(subsets: EndpointSubset[] | undefined): string {
  const address = (a: EndpointAddress) => [
    a.ip,
    a.hostname ?? "",
    a.nodeName ?? null,
    a.targetRef
      ? [a.targetRef.kind, a.targetRef.namespace, a.targetRef.name, a.targetRef.uid, a.targetRef.apiVersion]
      : null,
  ];
  const port = (p: EndpointPort) => [p.name ?? "", p.port, p.protocol ?? "", p.appProtocol ?? null];
  return JSON.stringify((subsets ?? []).map((s) => [
    (s.addresses ?? []).map(address),
    (s.notReadyAddresses ?? []).map(address),
    (s.ports ?? []).map(port),
  ]));
}

function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {}), kb = Object.keys(b ?? {});
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b ?? {}, k) && a![k] === b![k]);
}

/**
 * The controller, for `v1` Services, watching Pods (of the Services selecting them) and Endpoints (a
 * deleted one is written again).
 *
 * @example
 * ```ts
 * manager.add(endpointsController({ client, registry, manager }));
 * ```
 */
export function endpointsController(deps: { client: Client; registry: Registry; manager: Manager }): Controller {
  const { client, registry, manager } = deps;
  const services = registry.resolve("", "v1", "services")!;
  const pods = registry.resolve("", "v1", "pods")!;
  const endpoints = registry.resolve("", "v1", "endpoints")!;
  const events = eventRecorder(client, "endpoint-controller");
  const triggerTimes = new TriggerTimeTracker();
  const servicesIn = (namespace: string) => manager.cache(services).byIndex(NAMESPACE_INDEX, namespace) as Service[];
  /** The revision of this controller's last write per key, until the cache has caught up with it. */
  const written = new Map<string, bigint>();

  /**
   * Only deletions matter (handlers run after the cache update, so a deleted one is missing from it): an
   * Endpoints someone deleted is written again. Reacting to creations would delete the Endpoints a user
   * creates just before their selector-less Service.
   */
  function endpointsDeleted(object: KubeObject): string[] {
    const key = objectKey(object);
    return manager.cache(endpoints).get(key) ? [] : [key];
  }

  /** Whether the cache still lags behind this controller's last write of `key`. */
  function stale(key: string): boolean {
    const rv = written.get(key);
    if (rv === undefined) return false;
    if (revision(manager.informer(endpoints).resourceVersion) < rv) return true;
    written.delete(key);
    return false;
  }

  async function save(object: Endpoints, create: boolean): Promise<void> {
    try {
      const saved = create ? await client.create(object) : await client.update(object);
      written.set(objectKey(object), revision(saved.metadata.resourceVersion));
    } catch (error) {
      const { namespace, name } = object.metadata;
      const [reason, message] = create
        ? ["FailedToCreateEndpoint", `Failed to create endpoint for service ${namespace}/${name}: `]
        : ["FailedToUpdateEndpoint", `Failed to update endpoint ${namespace}/${name}: `];
      events.event(object, "Warning", reason, message + (error instanceof Error ? error.message : String(error)));
      throw error;
    }
  }

  return controller("endpoints")
    .for(services)
    .watches(pods, (pod) => servicesSelecting(pod, servicesIn(pod.metadata?.namespace ?? "")))
    .watches(endpoints, endpointsDeleted)
    .withOptions({ concurrency: 5 })
    .complete(async ({ key, namespace = "", name }) => {
      const service = manager.cache(services).get(key) as Service | undefined;
      if (!service) {
        triggerTimes.deleteService(key);
        // Deleted by name, not by what the cache holds: it may not have seen this controller's create yet.
        try {
          await client.delete(ENDPOINTS, namespace, name);
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
        return;
      }
      if (!hasManagedEndpoints(service)) return;
      if (stale(key)) return { requeue: true };
      const backends = selectedPods(service, manager.cache(pods).byIndex(NAMESPACE_INDEX, namespace) as Pod[]);
      // Computed on every sync, written or not, so a later write only reports changes after this one.
      const triggerTime = triggerTimes.compute(service, backends);
      const subsets = desiredSubsets(service, backends);

      const current = manager.cache(endpoints).get(key) as Endpoints | undefined;
      const { [IS_HEADLESS_SERVICE]: _, ...currentLabels } = current?.metadata.labels ?? {};
      if (
        current && canonical(current.subsets) === canonical(subsets) &&
        sameLabels(currentLabels, service.metadata.labels) &&
        capacityAnnotationSetCorrectly(current.metadata.annotations, current.subsets)
      ) return;

      const annotations = { ...current?.metadata.annotations };
      if (triggerTime !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = formatRFC3339Nano(triggerTime);
      else delete annotations[LAST_CHANGE_TRIGGER_TIME];
      const capped = truncateEndpoints(subsets);
      if (capped.truncated) annotations[ENDPOINTS_OVER_CAPACITY] = "truncated";
      else delete annotations[ENDPOINTS_OVER_CAPACITY];
      const labels = { ...service.metadata.labels };
      if (isServiceIPSet(service)) delete labels[IS_HEADLESS_SERVICE];
      else labels[IS_HEADLESS_SERVICE] = "";

      const { labels: _l, annotations: _a, ...meta } = current?.metadata ?? { name, namespace };
      const object: Endpoints = {
        ...current,
        ...ENDPOINTS,
        metadata: {
          ...meta,
          ...(Object.keys(labels).length > 0 ? { labels } : {}),
          ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
        },
      };
      if (capped.subsets.length > 0) object.subsets = capped.subsets;
      else delete object.subsets;
      await save(object, !current);
    });
}
