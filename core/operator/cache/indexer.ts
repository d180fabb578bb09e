/**
 * The informer's cache: objects by key, plus secondary indexes (by namespace and any custom function)
 * so controllers find related objects without scanning.
 *
 * @module
 */
import { controllerRef, type KubeObject, objectKey } from "../source.ts";

/** Index values of an object; one object may appear under several values. */
export type IndexFunc = (object: KubeObject) => string[];

/** The index every cache has: objects by `metadata.namespace`. */
export const NAMESPACE_INDEX = "namespace";

/**
 * The other index every cache has: objects by the uid of their controlling owner, or under
 * `orphan/<namespace>` without one — what a controller claiming its objects reads, so it never scans a
 * namespace of 10,000 pods to find its own.
 */
export const CONTROLLER_INDEX = "controller";

/**
 * The {@linkcode CONTROLLER_INDEX} value of the objects of `namespace` without a controlling owner.
 *
 * @example
 * ```ts
 * const candidates = [...cache.byIndex(CONTROLLER_INDEX, rs.metadata.uid), ...cache.byIndex(CONTROLLER_INDEX, orphansOf("default"))];
 * ```
 */
export function orphansOf(namespace: string): string {
  return `orphan/${namespace}`;
}

function controllerOf(object: KubeObject): string[] {
  return [controllerRef(object)?.uid ?? orphansOf(object.metadata?.namespace ?? "")];
}

/**
 * An indexed object cache.
 *
 * @example
 * ```ts
 * const cache = new Indexer({ byApp: (o) => [o.metadata?.labels?.app ?? ""] });
 * cache.set({ metadata: { namespace: "default", name: "a", labels: { app: "web" } } });
 * cache.byIndex("byApp", "web"); // [that object]
 * cache.byIndex(NAMESPACE_INDEX, "default"); // [that object]
 * ```
 */
export class Indexer {
  readonly #items = new Map<string, KubeObject>();
  readonly #funcs = new Map<string, IndexFunc>();
  /** index name → value → keys */
  readonly #indexes = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Record<string, IndexFunc> = {}) {
    this.addIndexers({
      [NAMESPACE_INDEX]: (o) => [o.metadata?.namespace ?? ""],
      [CONTROLLER_INDEX]: controllerOf,
      ...indexers,
    });
  }

  /** Add indexes; existing objects are indexed right away so late-registering controllers see them. */
  addIndexers(indexers: Record<string, IndexFunc>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.#funcs.has(name)) throw new Error(`index ${name} already exists`);
      this.#funcs.set(name, fn);
      this.#indexes.set(name, new Map());
      for (const [key, object] of this.#items) this.#indexOne(name, fn, key, object);
    }
  }

  /** Insert or replace an object; returns the previous version. */
  set(object: KubeObject): KubeObject | undefined {
    const key = objectKey(object);
    const old = this.#items.get(key);
    if (old) this.#unindex(key, old);
    this.#items.set(key, object);
    for (const [name, fn] of this.#funcs) this.#indexOne(name, fn, key, object);
    return old;
  }

  /** Remove an object by key; returns what was there. */
  delete(key: string): KubeObject | undefined {
    const old = this.#items.get(key);
    if (!old) return undefined;
    this.#unindex(key, old);
    this.#items.delete(key);
    return old;
  }

  /** The object under `key` (`namespace/name` or `name`). */
  get(key: string): KubeObject | undefined {
    return this.#items.get(key);
  }

  /** All objects. */
  list(): KubeObject[] {
    return [...this.#items.values()];
  }

  /** All keys. */
  keys(): string[] {
    return [...this.#items.keys()];
  }

  get size(): number {
    return this.#items.size;
  }

  /** Objects whose index function returned `value`. */
  byIndex(index: string, value: string): KubeObject[] {
    const values = this.#indexes.get(index);
    if (!values) throw new Error(`no index named ${index}`);
    const objects: KubeObject[] = [];
    for (const key of values.get(value) ?? []) objects.push(this.#items.get(key)!);
    return objects;
  }

  #indexOne(name: string, fn: IndexFunc, key: string, object: KubeObject): void {
    const values = this.#indexes.get(name)!;
    for (const value of fn(object)) {
      let keys = values.get(value);
      if (!keys) values.set(value, keys = new Set());
      keys.add(key);
    }
  }

  #unindex(key: string, object: KubeObject): void {
    for (const [name, fn] of this.#funcs) {
      const values = this.#indexes.get(name)!;
      for (const value of fn(object)) {
        const keys = values.get(value);
        keys?.delete(key);
        if (keys?.size === 0) values.delete(value);
      }
    }
  }
}
