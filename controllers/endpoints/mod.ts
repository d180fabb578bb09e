/**
 * The Endpoints controller: keeps a `v1` Endpoints object beside every Service with a selector.
 *
 * @example
 * ```ts
 * import { endpointsController } from "./controllers/endpoints/mod.ts";
 * manager.add(endpointsController({ client, registry, manager }));
 * ```
 *
 * @module
 */
export { type Endpoints, endpointsController } from "./controller.ts";
export {
  capacityAnnotationSetCorrectly,
  ENDPOINTS_OVER_CAPACITY,
  MAX_CAPACITY,
  truncateEndpoints,
} from "./capacity.ts";
export {
  compareAddresses,
  type EndpointAddress,
  type EndpointPort,
  type EndpointSubset,
  type ObjectReference,
  repackSubsets,
} from "./repack.ts";
