/**
 * The write rules of CustomResourceDefinitions and of custom objects, layered over the built-in strategy.
 * A CRD starts with a fresh status listing its storage version, records every new storage version on update,
 * lets `/status` writes change metadata (the cleanup finalizer goes that way) and, when deleted, gets the
 * `customresourcecleanup` finalizer and a Terminating condition. Custom objects are pruned and defaulted from
 * their version's schema, validated, stored in the storage version and read back in the requested one; the
 * status subresource splits writes between the main resource and `/status`.
 *
 * @module
 */
import { validateCustomResourceDefinitionStatusUpdate } from "../admission/customresourcedefinition.ts";
import type { DeleteOptions } from "../api/rest.ts";
import { failure, invalid } from "../api/status.ts";
import type { KubeObject } from "../api/storage.ts";
import type { Strategy } from "../api/strategy.ts";
import type { ResourceInfo } from "../registry/types.ts";
import { decodeCustomObject, validateCustomObject } from "./custom_object.ts";
import type { CustomResources, ServedDefinition, ServedVersion } from "./served.ts";
import {
  APIEXTENSIONS_GROUP,
  CLEANUP_FINALIZER,
  type CustomResourceDefinition,
  setCondition,
  storageVersion,
} from "./types.ts";

function isDefinition(r: ResourceInfo): boolean {
  return r.group === APIEXTENSIONS_GROUP && r.kind === "CustomResourceDefinition";
}

/** Everything but metadata (and status, when it has its own subresource) — what bumps `generation`. */
function content(object: KubeObject, statusApart: boolean): string {
  const { metadata: _m, status, apiVersion: _a, ...rest } = object;
  return JSON.stringify(statusApart ? rest : { ...rest, status });
}

/**
 * Custom resources and CRDs on top of `builtin`.
 *
 * @example
 * ```ts
 * const crds = new CustomResources();
 * const rest = new Rest(store, new CustomResourceStrategy(new BuiltinStrategy(store), crds));
 * ```
 */
export class CustomResourceStrategy implements Strategy {
  constructor(readonly builtin: Strategy, readonly crds: CustomResources) {}

  #served(r: ResourceInfo): [ServedDefinition, ServedVersion] | undefined {
    const definition = this.crds.lookup(r.group, r.resource);
    const version = definition?.versions.get(r.version);
    return definition && version ? [definition, version] : undefined;
  }

  prepareCreate(r: ResourceInfo, object: KubeObject, options: { dryRun?: boolean }): Promise<KubeObject> {
    if (isDefinition(r)) {
      const storage = storageVersion(object as CustomResourceDefinition);
      object.status = { acceptedNames: { plural: "", kind: "" }, storedVersions: storage ? [storage] : [] };
      return this.builtin.prepareCreate(r, object, options);
    }
    const served = this.#served(r);
    if (!served) return this.builtin.prepareCreate(r, object, options);
    const [definition, version] = served;
    if (definition.terminating) {
      throw failure(405, "MethodNotAllowed", "create not allowed while custom resource definition is terminating", {
        group: r.group,
        kind: r.resource,
      });
    }
    decodeCustomObject(version, object);
    if (version.status) delete object.status;
    object.metadata!.generation = 1;
    const causes = validateCustomObject(version, r.namespaced, object);
    if (causes.length) throw invalid(r, object.metadata?.name ?? "", causes);
    return Promise.resolve({ ...object, apiVersion: `${definition.group}/${definition.storageVersion}` });
  }

  prepareUpdate(
    r: ResourceInfo,
    desired: KubeObject,
    current: KubeObject,
    options: { subresource?: "status"; dryRun?: boolean },
  ): Promise<KubeObject> {
    if (isDefinition(r)) return this.#updateDefinition(r, desired, current, options);
    const served = this.#served(r);
    if (!served) return this.builtin.prepareUpdate(r, desired, current, options);
    const [definition, version] = served;
    const old = current.metadata!;
    decodeCustomObject(version, desired);
    let next: KubeObject;
    if (options.subresource === "status") {
      // Only status changes through /status (and the managed fields tracking that change).
      next = { ...structuredClone(current) };
      if (desired.metadata?.managedFields) next.metadata!.managedFields = desired.metadata.managedFields;
      if ("status" in desired) next.status = desired.status;
      else delete next.status;
    } else {
      next = {
        ...desired,
        metadata: {
          ...desired.metadata,
          uid: old.uid,
          creationTimestamp: old.creationTimestamp,
          deletionTimestamp: old.deletionTimestamp,
          deletionGracePeriodSeconds: old.deletionGracePeriodSeconds,
          namespace: old.namespace,
          name: old.name,
          generation: old.generation,
        },
      };
      for (const k of ["deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace"] as const) {
        if (next.metadata![k] === undefined) delete next.metadata![k];
      }
      if (version.status) {
        if (current.status === undefined) delete next.status;
        else next.status = current.status;
      }
      if (content(next, version.status) !== content(current, version.status)) {
        next.metadata!.generation = (old.generation ?? 0) + 1;
      }
    }
    next.metadata!.resourceVersion = old.resourceVersion;
    next.apiVersion = current.apiVersion;
    const causes = validateCustomObject(version, r.namespaced, next, current);
    if (causes.length) throw invalid(r, old.name ?? "", causes);
    return Promise.resolve({ ...next, apiVersion: `${definition.group}/${definition.storageVersion}` });
  }

  #updateDefinition(
    r: ResourceInfo,
    desired: KubeObject,
    current: KubeObject,
    options: { subresource?: "status"; dryRun?: boolean },
  ): Promise<KubeObject> {
    if (options.subresource === "status") {
      // A CRD's status writes keep the spec but may change metadata: the cleanup finalizer leaves this way.
      const old = current.metadata!;
      const next: KubeObject = {
        ...desired,
        spec: current.spec,
        metadata: {
          ...desired.metadata,
          uid: old.uid,
          name: old.name,
          creationTimestamp: old.creationTimestamp,
          deletionTimestamp: old.deletionTimestamp,
          deletionGracePeriodSeconds: old.deletionGracePeriodSeconds,
          generation: old.generation,
          resourceVersion: old.resourceVersion,
        },
      };
      for (const k of ["deletionTimestamp", "deletionGracePeriodSeconds", "generation"] as const) {
        if (next.metadata![k] === undefined) delete next.metadata![k];
      }
      const causes = validateCustomResourceDefinitionStatusUpdate(next, current);
      if (causes.length) throw invalid(r, old.name ?? "", causes);
      return Promise.resolve(next);
    }
    // A new storage version joins status.storedVersions before validation looks for it there.
    const crd = current as CustomResourceDefinition;
    const stored = [...(crd.status?.storedVersions ?? [])];
    const storage = storageVersion(desired as CustomResourceDefinition);
    if (storage && !stored.includes(storage)) stored.push(storage);
    const base = { ...current, status: { ...(crd.status ?? {}), storedVersions: stored } };
    return this.builtin.prepareUpdate(r, desired, base, options);
  }

  keepsOnDelete(r: ResourceInfo, current: KubeObject, options: DeleteOptions): boolean {
    if (isDefinition(r)) {
      // The first DELETE adds the cleanup finalizer; the CRD then stays until it is removed.
      return !current.metadata?.deletionTimestamp || (current.metadata.finalizers ?? []).length > 0;
    }
    return this.builtin.keepsOnDelete(r, current, options);
  }

  gracePeriod(r: ResourceInfo, current: KubeObject, options: DeleteOptions): number {
    return this.builtin.gracePeriod?.(r, current, options) ?? 0;
  }

  prepareTerminating(r: ResourceInfo, object: KubeObject): void {
    if (!isDefinition(r)) {
      this.builtin.prepareTerminating?.(r, object);
      return;
    }
    const meta = object.metadata!;
    if (!(meta.finalizers ?? []).includes(CLEANUP_FINALIZER)) {
      meta.finalizers = [...(meta.finalizers ?? []), CLEANUP_FINALIZER];
    }
    setCondition(object as CustomResourceDefinition, {
      type: "Terminating",
      status: "True",
      reason: "InstanceDeletionPending",
      message: "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon",
    });
  }

  ttl(r: ResourceInfo): number {
    return this.builtin.ttl(r);
  }

  async afterCreateFailed(r: ResourceInfo, object: KubeObject): Promise<void> {
    await this.builtin.afterCreateFailed?.(r, object);
  }

  async afterDelete(r: ResourceInfo, object: KubeObject): Promise<void> {
    await this.builtin.afterDelete?.(r, object);
  }

  decorate(r: ResourceInfo, object: KubeObject): KubeObject {
    const served = this.#served(r);
    if (!served) return this.builtin.decorate?.(r, object) ?? object;
    // Stored objects are decoded like requests: pruned, defaulted, and shown in the version asked for.
    decodeCustomObject(served[1], object);
    object.apiVersion = `${r.group}/${r.version}`;
    return object;
  }
}
