/**
 * Serving CRDs (apiextensions-apiserver's CRD handler and discovery and OpenAPI controllers in one loop): every
 * server watches the stored CRDs and, for each whose names are accepted, adds its served versions to the
 * registry (so REST, watch, discovery and tables have them) and its documents to `/openapi/v2` and
 * `/openapi/v3`; a CRD that is gone (or whose versions are no longer served) is taken out again. Serving comes
 * from the watch, never from the create request, so a server that starts later or restarts serves the same.
 *
 * @module
 */
import type { OpenAPI } from "../openapi/openapi.ts";
import { type Controller, controller, type Manager } from "../operator/mod.ts";
import type { Registry } from "../registry/registry.ts";
import { groupVersionDocument, v2Fragment } from "./openapi.ts";
import { type CustomResources, isServable, type ServedDefinition, serveDefinition } from "./served.ts";
import { CUSTOM_RESOURCE_DEFINITIONS, type CustomResourceDefinition } from "./types.ts";

/** What serving changes. */
export interface ServingDeps {
  registry: Registry;
  openapi: OpenAPI;
  crds: CustomResources;
  manager: Manager;
}

/**
 * The serving loop.
 *
 * @example
 * ```ts
 * const serving = new CustomResourceServing({ registry, openapi, crds, manager });
 * manager.add(serving.controller());
 * manager.start(signal);
 * await serving.ready(); // stored CRDs are served
 * ```
 */
export class CustomResourceServing {
  constructor(readonly deps: ServingDeps) {}

  /** The controller that keeps serving in step with the stored CRDs; every server runs it. */
  controller(): Controller {
    return controller("crd-serving")
      .for(CUSTOM_RESOURCE_DEFINITIONS)
      .withOptions({ needLeaderElection: false })
      .complete(({ name }) => this.reconcile(name));
  }

  /** Resolves once every stored CRD is served (a server reports ready only then). */
  async ready(): Promise<void> {
    const informer = this.deps.manager.informer(CUSTOM_RESOURCE_DEFINITIONS);
    await informer.synced;
    for (const name of informer.indexer.keys()) this.reconcile(name);
  }

  /**
   * Serve CRD `name` as the cache has it now (or stop serving it).
   *
   * @example
   * ```ts
   * serving.reconcile("widgets.example.com");
   * ```
   */
  reconcile(name: string): void {
    const { registry, openapi, crds, manager } = this.deps;
    const crd = manager.cache(CUSTOM_RESOURCE_DEFINITIONS).get(name) as CustomResourceDefinition | undefined;
    const previous = crds.get(name);
    if (crd && isServable(crd)) {
      if (previous?.crd.metadata?.resourceVersion === crd.metadata?.resourceVersion) return;
      const next = serveDefinition(crd);
      for (const v of previous?.versions.values() ?? []) {
        if (!next.versions.has(v.name) || previous!.plural !== next.plural) {
          registry.remove(previous!.group, v.name, previous!.plural);
        }
      }
      for (const v of next.versions.values()) registry.add(v.info);
      crds.set(next);
      openapi.setV2(name, v2Fragment(crd));
      this.#documents([...groupVersions(previous), ...groupVersions(next)]);
    } else if (previous) {
      for (const v of previous.versions.values()) registry.remove(previous.group, v.name, previous.plural);
      crds.delete(name);
      openapi.removeV2(name);
      this.#documents(groupVersions(previous));
    }
  }

  /** Rebuild the `/openapi/v3` documents of these group-versions from what is served now. */
  #documents(groupVersions: [string, string][]): void {
    const { openapi, crds } = this.deps;
    const done = new Set<string>();
    for (const [group, version] of groupVersions) {
      const path = `apis/${group}/${version}`;
      if (done.has(path)) continue;
      done.add(path);
      const serving = crds.all().filter((d) => d.group === group && d.versions.has(version)).map((d) => d.crd);
      if (serving.length) openapi.setV3(path, groupVersionDocument(serving, group, version, openapi));
      else openapi.removeV3(path);
    }
  }
}

function groupVersions(definition: ServedDefinition | undefined): [string, string][] {
  return [...definition?.versions.keys() ?? []].map((v) => [definition!.group, v]);
}
