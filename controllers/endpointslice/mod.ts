/**
 * The EndpointSlice controller, and the pod and Service facts the Endpoints controller shares with it
 * (kube's `k8s.io/endpointslice/util`).
 *
 * @example
 * ```ts
 * import { endpointSliceController } from "./controllers/endpointslice/mod.ts";
 * manager.add(endpointSliceController({ client, registry, manager }));
 * ```
 *
 * @module
 */
export { endpointSliceController } from "./controller.ts";
export {
  type Endpoint,
  endpointKey,
  type EndpointPort,
  endpointPorts,
  endpointsEqualBeyondKey,
  type EndpointSlice,
  LABEL_TOPOLOGY_ZONE,
  podToEndpoint,
  portMapKey,
} from "./endpoint.ts";
export { findPort, isIPv6, isPodReady, type Pod, podIPs, shouldPodBeInEndpoints, shouldSetHostname } from "./pods.ts";
export { type DesiredEndpoints, MAX_ENDPOINTS_PER_SLICE, planSlices, type SliceChanges } from "./reconciler.ts";
export {
  addressTypesFor,
  hasManagedEndpoints,
  IS_HEADLESS_SERVICE,
  isServiceIPSet,
  selectedPods,
  type Service,
  type ServicePort,
  serviceSelector,
  servicesSelecting,
} from "./service.ts";
export {
  CONTROLLER_NAME,
  isPlaceholder,
  LABEL_MANAGED_BY,
  LABEL_SERVICE_NAME,
  newEndpointSlice,
  ownedBy,
  sliceLabels,
} from "./slice.ts";
export { EndpointSliceTracker, serviceKeyOf } from "./tracker.ts";
export { formatRFC3339Nano, LAST_CHANGE_TRIGGER_TIME, TriggerTimeTracker } from "./trigger_time.ts";
