/**
 * CustomResourceDefinitions (`apiextensions.k8s.io/v1`) served as kube-apiserver's apiextensions-apiserver
 * serves them: CRDs are validated when written (structural schemas, CEL rules compiled), named and established
 * by loops every server runs, served from a watch on the stored CRDs (registry, discovery, OpenAPI, REST,
 * tables, status and scale subresources), and cleaned up with their objects when deleted. Custom objects are
 * pruned, defaulted and validated (schema, list types, embedded resources, CEL rules) on every write.
 *
 * @example
 * ```ts
 * const crds = new CustomResources();
 * const rest = new Rest(store, new CustomResourceStrategy(new BuiltinStrategy(store), crds));
 * const apiExtensions = apiExtensionsControllers({ client, registry, manager, openapi, crds });
 * for (const c of apiExtensions.controllers) manager.add(c);
 * manager.start(signal);
 * await apiExtensions.ready();
 * ```
 *
 * @module
 */
import type { Client } from "../client/mod.ts";
import type { OpenAPI } from "../openapi/openapi.ts";
import type { Controller, Manager } from "../operator/mod.ts";
import type { Registry } from "../registry/registry.ts";
import { establishingController } from "./establishing.ts";
import { finalizerController } from "./finalizer.ts";
import { namingController } from "./naming.ts";
import type { CustomResources } from "./served.ts";
import { CustomResourceServing } from "./serving.ts";
import type { JSONSchemaProps } from "./types.ts";

export { ensureCustomResourceDefinition } from "./ensure.ts";
export { CustomResources, type ServedDefinition, type ServedVersion } from "./served.ts";
export { CustomResourceStrategy } from "./strategy.ts";
export { CustomResourceServing } from "./serving.ts";
export * from "./types.ts";

/** What the CRD loops work with. */
export interface ApiExtensionsDeps {
  client: Client;
  registry: Registry;
  manager: Manager;
  openapi: OpenAPI;
  crds: CustomResources;
}

/**
 * The CRD loops — serving, naming, establishing, cleanup — which every server runs (not only the leader), and a
 * promise of the stored CRDs being served.
 *
 * @example
 * ```ts
 * const { controllers, ready } = apiExtensionsControllers(deps);
 * ```
 */
export function apiExtensionsControllers(
  deps: ApiExtensionsDeps,
): { controllers: Controller[]; ready: () => Promise<void> } {
  const serving = new CustomResourceServing(deps);
  return {
    controllers: [
      serving.controller(),
      namingController(deps),
      establishingController(deps),
      finalizerController(deps),
    ],
    ready: () => serving.ready(),
  };
}

/**
 * The schema of a custom kind in one version, from the registry (undefined for built-in kinds), e.g. for
 * server-side apply's field sets.
 *
 * @example
 * ```ts
 * schemaFor(registry, "example.com", "v1", "Widget")?.properties?.spec;
 * ```
 */
export function schemaFor(
  registry: Pick<Registry, "forKind">,
  group: string,
  version: string,
  kind: string,
): JSONSchemaProps | undefined {
  return registry.forKind(group, kind, version)?.schema as JSONSchemaProps | undefined;
}
