/**
 * Helm 3's `kube.Client` over our {@linkcode Client}: manifests built into objects (namespaced ones defaulted to
 * the release's namespace, `List`s flattened, unknown kinds refused as kubectl refuses them), created in order,
 * updated by an upgrade (created when missing, patched three-way when present, and the old manifest's leftovers
 * deleted unless `helm.sh/resource-policy: keep`), deleted, and watched until a hook Job or Pod completes.
 *
 * @module
 */
import { type Client, isNotFound, type KindResolver, splitApiVersion } from "../../../core/client/mod.ts";
import type { KubeObject } from "../../../core/operator/mod.ts";
import type { ResourceInfo } from "../../../core/registry/types.ts";
import { yamlToJson } from "../chart/mod.ts";
import { splitManifests } from "./manifests.ts";
import { createPatch } from "./patch.ts";

/** Helm's field manager name (the binary's name). */
export const FIELD_MANAGER = "helm";
/** `helm.sh/resource-policy`: `keep` spares an object from uninstall and upgrade deletion. */
export const RESOURCE_POLICY_ANNOTATION = "helm.sh/resource-policy";

/** One object of a manifest, with the resource that serves it. */
export interface Resource {
  object: KubeObject & { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };
  info: ResourceInfo;
  name: string;
  /** Empty for cluster-scoped kinds. */
  namespace: string;
}

/** What an update did (`kube.Result`). */
export interface UpdateResult {
  created: Resource[];
  updated: Resource[];
  deleted: Resource[];
}

/**
 * `Kind "name" in namespace "ns"`, as Helm names a resource in its errors.
 *
 * @example
 * ```ts
 * resourceString(resource); // 'ConfigMap "web" in namespace "apps"'
 * ```
 */
export function resourceString(r: Resource): string {
  return `${r.object.kind} ${JSON.stringify(r.name)} in namespace ${JSON.stringify(r.namespace)}`;
}

/**
 * Whether two resources are the same object (`isMatchingInfo`: group, kind, namespace and name; the version may
 * differ).
 *
 * @example
 * ```ts
 * sameObject(oldConfigMap, newConfigMap); // true when both name the same ConfigMap
 * ```
 */
export function sameObject(a: Resource, b: Resource): boolean {
  return a.info.group === b.info.group && a.object.kind === b.object.kind && a.namespace === b.namespace &&
    a.name === b.name;
}

/** Fails after `ms` with the error Kubernetes' wait helpers give. */
class Deadline {
  readonly controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout>;

  constructor(ms: number) {
    this.#timer = setTimeout(() => this.controller.abort(), ms);
  }

  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  done(): void {
    clearTimeout(this.#timer);
  }
}

/**
 * The kube client of a release's actions.
 *
 * @example
 * ```ts
 * const kube = new KubeClient(client, registry, "apps");
 * const resources = kube.build(release.Manifest);
 * await kube.create(resources);
 * ```
 */
export class KubeClient {
  constructor(readonly client: Client, readonly kinds: KindResolver, readonly namespace: string) {}

  /**
   * The objects of a manifest stream (`Client.Build`). Throws kubectl's mapping error for a kind nothing serves.
   */
  build(manifest: string): Resource[] {
    const resources: Resource[] = [];
    for (const doc of splitManifests(manifest)) {
      const value = yamlToJson(doc);
      if (value === null || typeof value !== "object" || Array.isArray(value)) continue;
      const object = value as KubeObject;
      if (typeof object.kind === "string" && object.kind.endsWith("List") && Array.isArray(object.items)) {
        for (const item of object.items) resources.push(this.#resource(item));
      } else {
        resources.push(this.#resource(object));
      }
    }
    return resources;
  }

  #resource(object: KubeObject): Resource {
    const json = JSON.stringify(object);
    if (!object.apiVersion) throw new Error(`Object 'apiVersion' is missing in '${json}'`);
    if (!object.kind) throw new Error(`Object 'Kind' is missing in '${json}'`);
    const { group, version } = splitApiVersion(object.apiVersion);
    const info = this.kinds.forKind(group, object.kind, version);
    const name = String(object.metadata?.name ?? "");
    if (!info) {
      throw new Error(
        `resource mapping not found for name: ${JSON.stringify(name)} namespace: ${
          JSON.stringify(object.metadata?.namespace ?? "")
        } from "": no matches for kind ${JSON.stringify(object.kind)} in version ${
          JSON.stringify(object.apiVersion)
        }\nensure CRDs are installed first`,
      );
    }
    const metadata = { ...(object.metadata ?? {}), name } as Resource["object"]["metadata"];
    if (info.namespaced) metadata.namespace ||= this.namespace;
    else delete metadata.namespace;
    return {
      object: { ...object, apiVersion: object.apiVersion, kind: object.kind, metadata },
      info,
      name,
      namespace: info.namespaced ? metadata.namespace! : "",
    };
  }

  /** The live object, or undefined when it does not exist. */
  async get(r: Resource): Promise<KubeObject | undefined> {
    try {
      return await this.client.get(r.object, r.namespace || undefined, r.name);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Creates the objects in order (`Client.Create`); the first failure stops it. */
  async create(resources: Resource[]): Promise<void> {
    for (const r of resources) await this.client.create(r.object, { fieldManager: FIELD_MANAGER });
  }

  /**
   * An upgrade's `Client.Update`: creates what does not exist, patches what does (three-way against `original`),
   * then deletes what `original` had and `target` has not, except objects marked `helm.sh/resource-policy: keep`.
   */
  async update(original: Resource[], target: Resource[]): Promise<UpdateResult> {
    const result: UpdateResult = { created: [], updated: [], deleted: [] };
    const failures: string[] = [];
    for (const r of target) {
      const live = await this.get(r);
      if (!live) {
        result.created.push(r);
        try {
          await this.client.create(r.object, { fieldManager: FIELD_MANAGER });
        } catch (error) {
          throw new Error(`failed to create resource: ${(error as Error).message}`);
        }
        continue;
      }
      const before = original.find((o) => sameObject(o, r));
      if (!before) throw new Error(`no ${r.object.kind} with the name ${JSON.stringify(r.name)} found`);
      try {
        const patch = createPatch(before.object, r.object, live);
        if (patch) {
          await this.client.patch(r.object, r.namespace || undefined, r.name, patch.type, patch.patch, {
            fieldManager: FIELD_MANAGER,
          });
        }
      } catch (error) {
        failures.push(`cannot patch ${JSON.stringify(r.name)} with kind ${r.object.kind}: ${(error as Error).message}`);
      }
      result.updated.push(r);
    }
    if (failures.length > 0) throw new Error(failures.join(" && "));
    for (const r of original) {
      if (target.some((t) => sameObject(t, r))) continue;
      const live = await this.get(r);
      const annotations = live?.metadata?.annotations as Record<string, string> | undefined;
      if (!live || annotations?.[RESOURCE_POLICY_ANNOTATION] === "keep") continue;
      try {
        await this.client.delete(r.object, r.namespace || undefined, r.name, { propagationPolicy: "Background" });
        result.deleted.push(r);
      } catch {
        // Helm logs a failed delete of a leftover and carries on.
      }
    }
    return result;
  }

  /** Deletes the objects (`Client.Delete`, background propagation); missing ones count as deleted. */
  async delete(
    resources: Resource[],
    propagationPolicy: "Background" | "Foreground" | "Orphan" = "Background",
  ): Promise<Error[]> {
    const errors: Error[] = [];
    for (const r of resources) {
      try {
        await this.client.delete(r.object, r.namespace || undefined, r.name, { propagationPolicy });
      } catch (error) {
        if (!isNotFound(error)) errors.push(error as Error);
      }
    }
    return errors;
  }

  /** Waits until every object is gone (`WaitForDelete`). */
  async waitForDelete(resources: Resource[], timeoutMs: number): Promise<void> {
    for (const r of resources) await this.until(r, timeoutMs, (object) => object === undefined);
  }

  /**
   * A hook's `WatchUntilReady`: a Job until it completes (an error when it fails), a Pod until it succeeds (an error
   * when it fails); other kinds are ready once created.
   */
  async watchUntilReady(r: Resource, timeoutMs: number): Promise<void> {
    if (r.object.kind !== "Job" && r.object.kind !== "Pod") return;
    await this.until(r, timeoutMs, (object) => {
      if (object === undefined) return true;
      if (r.object.kind === "Job") {
        for (const c of object.status?.conditions ?? []) {
          if (c.type === "Complete" && c.status === "True") return true;
          if (c.type === "Failed" && c.status === "True") throw new Error(`job ${r.name} failed: ${c.reason ?? ""}`);
        }
        return false;
      }
      if (object.status?.phase === "Succeeded") return true;
      if (object.status?.phase === "Failed") throw new Error(`pod ${r.name} failed`);
      return false;
    });
  }

  /**
   * Watches one object until `done` says so (it sees `undefined` once the object is gone), failing with
   * "timed out waiting for the condition" after `timeoutMs`.
   */
  async until(r: Resource, timeoutMs: number, done: (object: KubeObject | undefined) => boolean): Promise<void> {
    const deadline = new Deadline(timeoutMs);
    try {
      while (!deadline.expired) {
        const list = await this.client.list<KubeObject>(r.object, r.namespace || undefined, {
          fieldSelector: `metadata.name=${r.name}`,
        });
        if (done(list.items[0])) return;
        const events = this.client.watch<KubeObject>(r.object, r.namespace || undefined, {
          fieldSelector: `metadata.name=${r.name}`,
          resourceVersion: list.metadata.resourceVersion,
          signal: deadline.controller.signal,
        });
        for await (const event of events) {
          if (event.type === "DELETED" && done(undefined)) return;
          if ((event.type === "ADDED" || event.type === "MODIFIED") && done(event.object)) return;
        }
      }
      throw new Error("timed out waiting for the condition");
    } finally {
      deadline.done();
    }
  }
}
