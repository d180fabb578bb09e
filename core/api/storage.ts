/**
 * Kubernetes objects in the Store: where each lives (`/registry/…` keys) and how `resourceVersion`
 * maps to the store's revision.
 *
 * @module
 */
import type { KeyValue, WatchEvent } from "../../datastore/mod.ts";
import type { ResourceInfo } from "../registry/types.ts";

/** A Kubernetes object as JSON. */
export type KubeObject = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
};

/** The parts of `metadata` the API server itself reads and writes. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: Record<string, unknown>[];
  managedFields?: unknown[];
  [key: string]: unknown;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The key prefix of a resource: `/registry/configmaps/` for the core group, `/registry/apps/deployments/`
 * otherwise (so equal resource names in different groups never share keys).
 *
 * @example
 * ```ts
 * resourcePrefix({ group: "apps", resource: "deployments" }); // "/registry/apps/deployments/"
 * ```
 */
export function resourcePrefix(r: Pick<ResourceInfo, "group" | "resource">): string {
  return r.group ? `/registry/${r.group}/${r.resource}/` : `/registry/${r.resource}/`;
}

/**
 * The key of one object, or the prefix of a namespace's objects when `name` is omitted.
 *
 * @example
 * ```ts
 * objectKey({ group: "", resource: "configmaps", namespaced: true }, "default", "cm1"); // "/registry/configmaps/default/cm1"
 * ```
 */
export function objectKey(
  r: Pick<ResourceInfo, "group" | "resource" | "namespaced">,
  namespace: string | undefined,
  name?: string,
): string {
  const base = resourcePrefix(r) + (r.namespaced && namespace ? `${namespace}/` : "");
  return name === undefined ? base : base + name;
}

/**
 * Bytes to store for an object: JSON without `resourceVersion` (the revision is the version).
 *
 * @example
 * ```ts
 * const bytes = encodeObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } });
 * ```
 */
export function encodeObject(object: KubeObject): Uint8Array {
  const { resourceVersion: _, ...metadata } = object.metadata ?? {};
  return encoder.encode(JSON.stringify({ ...object, metadata }));
}

/**
 * The object a stored version holds, with `metadata.resourceVersion` set from its mod revision.
 *
 * @example
 * ```ts
 * const object = decodeObject(kv); // object.metadata.resourceVersion === String(kv.modRevision)
 * ```
 */
export function decodeObject(kv: KeyValue): KubeObject {
  const object = JSON.parse(decoder.decode(kv.value)) as KubeObject;
  object.metadata = { ...(object.metadata ?? {}), resourceVersion: String(kv.modRevision) };
  return object;
}

/** A change to one object, as the watch endpoint and informers see it. */
export interface ObjectEvent {
  type: "ADDED" | "MODIFIED" | "DELETED";
  object: KubeObject;
  /** The object before the change (absent for ADDED). */
  previous?: KubeObject;
  revision: number;
}

/**
 * A store event as an object event; a delete carries the deleted object at the delete's revision.
 *
 * @example
 * ```ts
 * for (const e of batch) yield objectEvent(e);
 * ```
 */
export function objectEvent(event: WatchEvent): ObjectEvent {
  const revision = event.kv.modRevision;
  const previous = event.prevKv ? decodeObject(event.prevKv) : undefined;
  if (event.type === "delete") {
    const object = decodeObject({ ...event.kv, value: event.prevKv?.value ?? event.kv.value });
    return { type: "DELETED", object, previous, revision };
  }
  return { type: event.type === "create" ? "ADDED" : "MODIFIED", object: decodeObject(event.kv), previous, revision };
}

/**
 * Whether two objects are the same whatever their key order: a write that changes nothing makes no new revision.
 *
 * @example
 * ```ts
 * if (sameObject(next, current)) return current;
 * ```
 */
export function sameObject(a: KubeObject, b: KubeObject): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
