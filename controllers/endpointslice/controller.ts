/**
 * The EndpointSlice controller: for every Service with a selector, `discovery.k8s.io/v1` EndpointSlices
 * (one set per address type, at most {@linkcode MAX_ENDPOINTS_PER_SLICE} endpoints each) listing the
 * selected pods with their readiness, node, zone and hostname, as kube-controller-manager's does. Slices
 * carry the Service's labels and a controller ownerReference to it, so the garbage collector removes
 * them with the Service.
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
import { endpointKey, endpointPorts, type EndpointSlice, podToEndpoint, portMapKey } from "./endpoint.ts";
import { type Pod, shouldPodBeInEndpoints } from "./pods.ts";
import { type DesiredEndpoints, planSlices, type SliceChanges } from "./reconciler.ts";
import { addressTypesFor, hasManagedEndpoints, selectedPods, type Service, servicesSelecting } from "./service.ts";
import { CONTROLLER_NAME, LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from "./slice.ts";
import { EndpointSliceTracker, serviceKeyOf } from "./tracker.ts";
import { formatRFC3339Nano, LAST_CHANGE_TRIGGER_TIME, TriggerTimeTracker } from "./trigger_time.ts";

const SLICE = { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice" };

function managedHere(object: KubeObject): boolean {
  return object.metadata?.labels?.[LABEL_MANAGED_BY] === CONTROLLER_NAME;
}

function withTriggerTime(slice: EndpointSlice, triggerTime: number | undefined): EndpointSlice {
  const annotations = { ...slice.metadata.annotations };
  if (triggerTime !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = formatRFC3339Nano(triggerTime);
  else delete annotations[LAST_CHANGE_TRIGGER_TIME];
  const { annotations: _, ...metadata } = slice.metadata;
  return {
    ...slice,
    ...SLICE,
    metadata: Object.keys(annotations).length > 0 ? { ...metadata, annotations } : metadata,
  };
}

/**
 * The controller, for `v1` Services, watching Pods (of the Services selecting them), EndpointSlices
 * (changed or deleted by someone else) and Nodes (read for zones).
 *
 * @example
 * ```ts
 * manager.add(endpointSliceController({ client, registry, manager }));
 * ```
 */
export function endpointSliceController(deps: { client: Client; registry: Registry; manager: Manager }): Controller {
  const { client, registry, manager } = deps;
  const services = registry.resolve("", "v1", "services")!;
  const pods = registry.resolve("", "v1", "pods")!;
  const nodes = registry.resolve("", "v1", "nodes")!;
  const slices = registry.resolve("discovery.k8s.io", "v1", "endpointslices")!;
  const events = eventRecorder(client, "endpoint-slice-controller");
  const tracker = new EndpointSliceTracker();
  const triggerTimes = new TriggerTimeTracker();

  const servicesIn = (namespace: string) => manager.cache(services).byIndex(NAMESPACE_INDEX, namespace) as Service[];

  /** Slice events matter when someone else wrote or deleted a slice, or took it away from its Service. */
  function serviceOfSlice(object: KubeObject): string[] {
    const slice = object as EndpointSlice;
    const key = serviceKeyOf(slice);
    if (!key) return [];
    const current = manager.cache(slices).get(objectKey(slice)) as EndpointSlice | undefined;
    // Handlers run after the cache is updated, so a slice missing from it was just deleted.
    if (!current || current.metadata.uid !== slice.metadata.uid) return tracker.handleDeletion(slice) ? [] : [key];
    if (!managedHere(current) || serviceKeyOf(current) !== key) return [key];
    return tracker.shouldSync(slice) ? [key] : [];
  }

  /** The desired endpoints of one address type by port set, and the pods left out for want of their Node. */
  function desiredFor(service: Service, backends: Pod[], addressType: string) {
    const desired = new Map<string, DesiredEndpoints>();
    const missingNodes: string[] = [];
    for (const pod of backends) {
      if (!shouldPodBeInEndpoints(pod, true)) continue;
      const ports = endpointPorts(service, pod);
      const key = portMapKey(ports);
      let group = desired.get(key);
      if (!group) desired.set(key, group = { ports, endpoints: new Map() });
      const node = manager.cache(nodes).get(pod.spec?.nodeName ?? "");
      // A pod pointing at a Node that does not exist is left out and retried, unless the Service asks for
      // every address regardless.
      if (!node && !service.spec?.publishNotReadyAddresses) {
        missingNodes.push(`skipping Pod ${pod.metadata.name}: Node ${pod.spec?.nodeName ?? ""} Not Found`);
        continue;
      }
      const endpoint = podToEndpoint(pod, node, service, addressType);
      if (endpoint.addresses.length > 0) group.endpoints.set(endpointKey(endpoint), endpoint);
    }
    return { desired, missingNodes };
  }

  async function deleteSlice(slice: EndpointSlice): Promise<void> {
    try {
      await client.delete(SLICE, slice.metadata.namespace, slice.metadata.name!);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    tracker.expectDeletion(slice);
  }

  /** Kube's `finalize`: the writes, in order, stopping at the first failure. */
  async function write(service: Service, changes: SliceChanges, triggerTime: number | undefined): Promise<void> {
    // A Service being deleted gets no new slices: the garbage collector would race to remove them.
    if (!service.metadata.deletionTimestamp) {
      for (const slice of changes.create) tracker.update(await client.create(withTriggerTime(slice, triggerTime)));
    }
    for (const slice of changes.update) tracker.update(await client.update(withTriggerTime(slice, triggerTime)));
    for (const slice of changes.delete) await deleteSlice(slice);
  }

  return controller("endpointslice")
    .for(services)
    .watches(pods, (pod) => servicesSelecting(pod, servicesIn(pod.metadata?.namespace ?? "")))
    .watches(slices, serviceOfSlice, managedHere)
    // Zones are read from the cache; kube resyncs on Node changes only for topology hints.
    .watches(nodes, () => [])
    .withOptions({ concurrency: 5 })
    .complete(async ({ key, namespace = "", name }) => {
      const service = manager.cache(services).get(key) as Service | undefined;
      if (!service) {
        triggerTimes.deleteService(key);
        tracker.deleteService(key);
        return;
      }
      if (!hasManagedEndpoints(service)) return;
      const backends = selectedPods(service, manager.cache(pods).byIndex(NAMESPACE_INDEX, namespace) as Pod[]);
      const existing = (manager.cache(slices).byIndex(NAMESPACE_INDEX, namespace) as EndpointSlice[]).filter((s) =>
        managedHere(s) && s.metadata.labels?.[LABEL_SERVICE_NAME] === name && !s.metadata.deletionTimestamp
      );
      // The cache has not caught up with this controller's last writes; acting now could duplicate slices.
      if (tracker.staleSlices(key, existing)) return { requeue: true };
      const triggerTime = triggerTimes.compute(service, backends);

      const errors: string[] = [];
      const types = addressTypesFor(service);
      for (const addressType of types) {
        const { desired, missingNodes } = desiredFor(service, backends, addressType);
        errors.push(...missingNodes);
        const ofType = existing.filter((s) => s.addressType === addressType);
        try {
          await write(service, planSlices(service, addressType, ofType, desired), triggerTime);
        } catch (error) {
          errors.push(String(error instanceof Error ? error.message : error));
        }
      }
      try {
        for (const slice of existing) {
          if (!types.includes(slice.addressType as "IPv4" | "IPv6")) await deleteSlice(slice);
        }
      } catch (error) {
        errors.push(String(error instanceof Error ? error.message : error));
      }
      if (errors.length > 0) {
        const message = `Error updating Endpoint Slices for Service ${key}: ${errors.join("; ")}`;
        events.event(
          { apiVersion: "v1", kind: "Service", ...service },
          "Warning",
          "FailedToUpdateEndpointSlices",
          message,
        );
        throw new Error(message);
      }
    });
}
