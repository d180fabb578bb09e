/**
 * The REST semantics of every resource over the Store: get, list (paged, selected, at a revision),
 * watch, create, update, patch, delete and deletecollection, plus the status and scale subresources.
 * The HTTPS router and the in-process client both call this, so kubectl and controllers see the same
 * behaviour.
 *
 * @module
 */
import {
  CompactedError,
  KeyExistsError,
  type KeyValue,
  type Store,
  type WatchEvent as StoreWatchEvent,
} from "../../datastore/mod.ts";
import type { ResourceInfo } from "../registry/types.ts";
import { groupVersion } from "../registry/types.ts";
import { FieldManager } from "../fieldmanager/field_manager.ts";
import { decodeContinue, encodeContinue } from "./continue_token.ts";
import { generateName } from "./generate_name.ts";
import { checkSelectableFields, fieldReader } from "./fields.ts";
import { applyPatch, type PatchType } from "./patch.ts";
import { type FieldSelector, type LabelSelector, parseFieldSelector, parseLabelSelector } from "./selectors.ts";
import {
  alreadyExists,
  badRequest,
  conflict,
  expired,
  forbidden,
  invalid,
  notFound,
  StatusError,
  timeout,
} from "./status.ts";
import {
  copyObject,
  decodeObject,
  encodeObject,
  type KubeObject,
  type ObjectEvent,
  objectEvent,
  objectKey,
  RecentVersions,
  sameObject,
  storedObject,
} from "./storage.ts";
import { statusFromStoreError } from "./store_errors.ts";
import { bookmark, BOOKMARK_INTERVAL_MS, BookmarkTicks } from "./bookmarks.ts";
import type { Strategy } from "./strategy.ts";

/** Options of a list or watch (`?labelSelector=…&limit=…`). */
export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

/** Options of a watch. */
export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  sendInitialEvents?: boolean;
  signal?: AbortSignal;
}

/** Options of a write. */
export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
}

/** Options of a server-side apply. */
export interface ApplyOptions extends WriteOptions {
  /** Take fields other managers own instead of failing with a conflict. */
  force?: boolean;
  subresource?: "status";
}

/** Options of a delete (the `DeleteOptions` body and query). */
export interface DeleteOptions extends WriteOptions {
  propagationPolicy?: "Background" | "Foreground" | "Orphan";
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** A watch event as it goes on the wire. */
export interface WireEvent {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: KubeObject;
}

/** How long a continue token stays usable is bounded by compaction, as in kube-apiserver. */
/** The time `afterSeconds` from now, at kube's one-second precision. */
function now(afterSeconds = 0): string {
  return new Date(Date.now() + afterSeconds * 1000).toISOString().replace(/\.\d+Z$/, "Z");
}

/**
 * Store-backed REST for all resources.
 *
 * @example
 * ```ts
 * const rest = new Rest(store, strategy);
 * const cm = await rest.create(configmaps, "default", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } });
 * ```
 */
export class Rest {
  /** Where writes start from (read afresh when stale): objects are mostly written soon after they were last seen. */
  readonly #versions = new RecentVersions(RECENT_VERSIONS);

  constructor(
    readonly store: Store,
    readonly strategy: Strategy,
    // A custom resource's fields are tracked by its CRD schema, which the registry entry carries.
    readonly fieldManager: FieldManager = new FieldManager((r) => r.schema),
  ) {}

  /** One object (`GET …/name`). */
  async get(r: ResourceInfo, namespace: string | undefined, name: string): Promise<KubeObject> {
    const key = objectKey(r, namespace, name);
    const { kv } = await this.#call(() => this.store.get(key));
    if (!kv) {
      this.#versions.forget(key);
      throw notFound(r, name);
    }
    this.#versions.remember(kv);
    return this.#read(r, kv);
  }

  /** A stored object as served: the strategy may present it differently (a custom resource's version, defaults). */
  #read(r: ResourceInfo, kv: Parameters<typeof decodeObject>[0]): KubeObject {
    return this.#present(r, decodeObject(kv));
  }

  #present(r: ResourceInfo, object: KubeObject): KubeObject {
    return this.strategy.decorate?.(r, object) ?? object;
  }

  /** A list (`GET …/resource`), paged with `limit`/`continue`, at a revision, filtered by selectors. */
  async list(r: ResourceInfo, namespace: string | undefined, options: ListOptions = {}): Promise<KubeObject> {
    const labels = parseLabelSelector(options.labelSelector);
    const fields = parseFieldSelector(options.fieldSelector);
    checkSelectableFields(r.group, r.kind, fields);
    const prefix = objectKey(r, namespace);
    let revision: number | undefined;
    let start: string | undefined;
    if (options.continue) {
      const token = decodeContinue(options.continue);
      revision = token.rv;
      start = token.start;
    } else if (options.resourceVersion && options.resourceVersion !== "0") {
      const requested = parseRevision(options.resourceVersion);
      // Exact reads at that revision; NotOlderThan (the default for a list with a version) reads now.
      if (options.resourceVersionMatch === "Exact") revision = requested;
      else {
        const current = await this.#call(() => this.store.currentRevision());
        if (requested > current) {
          throw timeout(`Too large resource version: ${requested}, current: ${current}`);
        }
      }
    }
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    const items: KubeObject[] = [];
    let more = false;
    let last = "";
    // Fetch pages until `limit` objects matched, as kube-apiserver does for selective lists.
    while (true) {
      const page = await this.#call(
        () => this.store.list(prefix, { revision, startKey: start, limit: limit ? Math.max(limit, 100) : 0 }),
        "list",
      );
      revision = page.revision;
      let index = 0;
      for (const kv of page.kvs) {
        index++;
        last = kv.key;
        const object = this.#read(r, kv);
        if (this.#selected(object, labels, fields)) items.push(object);
        if (limit && items.length === limit) break;
      }
      if (limit && items.length === limit) {
        more = index < page.kvs.length || page.more;
        break;
      }
      if (!page.more) break;
      start = last + "\0";
    }
    const metadata: Record<string, unknown> = { resourceVersion: String(revision) };
    if (more) metadata.continue = encodeContinue({ rv: revision!, start: last + "\0" });
    return {
      kind: r.listKind,
      apiVersion: groupVersion(r),
      metadata,
      items: items.map((o) => ({ ...o, apiVersion: groupVersion(r), kind: r.kind })),
    };
  }

  /** Changes as watch events (`GET …?watch=true`), starting as `resourceVersion` says. */
  async *watch(r: ResourceInfo, namespace: string | undefined, options: WatchOptions = {}): AsyncGenerator<WireEvent> {
    for await (const batch of this.watchBatches(r, namespace, options)) yield* batch;
  }

  /**
   * {@linkcode watch}'s events as the store delivers them, several at a time, so that whoever sends them on (the
   * HTTPS watch stream) writes a batch at once rather than an event at a time.
   */
  async *watchBatches(
    r: ResourceInfo,
    namespace: string | undefined,
    options: WatchOptions = {},
  ): AsyncGenerator<WireEvent[]> {
    const labels = parseLabelSelector(options.labelSelector);
    const fields = parseFieldSelector(options.fieldSelector);
    checkSelectableFields(r.group, r.kind, fields);
    const prefix = fields.name && r.namespaced === Boolean(namespace)
      ? objectKey(r, namespace, fields.name)
      : objectKey(r, namespace);
    const stop = new AbortController();
    const timer = options.timeoutSeconds ? setTimeout(() => stop.abort(), options.timeoutSeconds * 1000) : undefined;
    // A signal aborted already fires no more events: such a watch ends at once.
    if (options.signal?.aborted) stop.abort();
    else options.signal?.addEventListener("abort", () => stop.abort(), { once: true });
    try {
      let from: number;
      const rv = options.resourceVersion;
      if (!rv || rv === "0" || options.sendInitialEvents) {
        // "Start at most recent" (or any): the current state as ADDED events, then what follows.
        const list = await this.list(r, namespace, {
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
        });
        const items = list.items as KubeObject[];
        if (items.length) yield items.map((object) => ({ type: "ADDED", object }));
        const listRevision = Number((list.metadata as { resourceVersion: string }).resourceVersion);
        if (options.sendInitialEvents && options.allowWatchBookmarks) {
          yield [bookmark(r, listRevision, { "k8s.io/initial-events-end": "true" })];
        }
        from = listRevision + 1;
      } else {
        from = parseRevision(rv) + 1;
      }
      let lastRevision = from - 1;
      const iterator = this.store.watch(prefix, { fromRevision: from, signal: stop.signal })[Symbol.asyncIterator]();
      let pending: Promise<IteratorResult<StoreWatchEvent[]>> | undefined;
      const ticks = options.allowWatchBookmarks ? new BookmarkTicks(BOOKMARK_INTERVAL_MS, stop.signal) : undefined;
      while (!stop.signal.aborted) {
        pending ??= iterator.next();
        const next = ticks ? await ticks.next(pending) : await pending;
        if (next === "tick") {
          if (!stop.signal.aborted) yield [bookmark(r, lastRevision)];
          continue;
        }
        pending = undefined;
        if (next.done) break;
        const batch: WireEvent[] = [];
        for (const raw of next.value) {
          lastRevision = raw.kv.modRevision;
          // A watch pinned to one name watches its key as a prefix: skip longer names sharing it.
          if (!prefix.endsWith("/") && raw.kv.key !== prefix) continue;
          const wire = this.#filterEvent(r, objectEvent(raw), labels, fields);
          if (wire) batch.push(wire);
        }
        if (batch.length) yield batch;
      }
    } catch (error) {
      if (error instanceof CompactedError) {
        yield [{
          type: "ERROR",
          object: expired(`too old resource version: ${error.requestedRevision - 1} (${error.compactRevision})`)
            .status as unknown as KubeObject,
        }];
        return;
      }
      if (error instanceof StatusError) {
        yield [{ type: "ERROR", object: error.status as unknown as KubeObject }];
        return;
      }
      throw statusFromStoreError(error);
    } finally {
      clearTimeout(timer);
      stop.abort();
    }
  }

  /** Create an object (`POST`). */
  async create(
    r: ResourceInfo,
    namespace: string | undefined,
    body: KubeObject,
    options: WriteOptions = {},
  ): Promise<KubeObject> {
    return await this.#create(r, namespace, body, options, (prepared) => {
      this.fieldManager.update(r, undefined, prepared, options.fieldManager ?? "");
    });
  }

  /** Create, with `track` setting the new object's managedFields once it is prepared. */
  async #create(
    r: ResourceInfo,
    namespace: string | undefined,
    body: KubeObject,
    options: WriteOptions,
    track: (prepared: KubeObject) => void,
  ): Promise<KubeObject> {
    const object = this.#checkBody(r, namespace, body);
    const meta = object.metadata!;
    if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
    if (!meta.name) {
      throw invalid(r, "", [{
        type: "FieldValueRequired",
        field: "metadata.name",
        message: "Required value: name or generateName is required",
      }]);
    }
    if (r.namespaced) await this.#requireNamespace(namespace!);
    meta.uid = crypto.randomUUID();
    meta.creationTimestamp = now();
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.resourceVersion;
    const prepared = await this.strategy.prepareCreate(r, object, { dryRun: options.dryRun });
    track(prepared);
    if (options.dryRun) return this.#present(r, { ...prepared, metadata: { ...prepared.metadata } });
    try {
      const kv = await this.#call(() =>
        this.store.create(objectKey(r, namespace, meta.name!), encodeObject(prepared), { ttl: this.strategy.ttl(r) })
      );
      this.#versions.remember(kv);
      return this.#present(r, storedObject(prepared, kv));
    } catch (error) {
      await this.strategy.afterCreateFailed?.(r, prepared);
      if (error instanceof KeyExistsError) throw alreadyExists(r, meta.name);
      throw error;
    }
  }

  /** Replace an object (`PUT`), or its status with `subresource: "status"`. */
  async update(
    r: ResourceInfo,
    namespace: string | undefined,
    name: string,
    body: KubeObject,
    options: WriteOptions & { subresource?: "status" } = {},
  ): Promise<KubeObject> {
    const object = this.#checkBody(r, namespace, body);
    if (object.metadata!.name && object.metadata!.name !== name) {
      throw badRequest(
        `the name of the object (${object.metadata!.name}) does not match the name on the URL (${name})`,
      );
    }
    object.metadata!.name = name;
    return await this.#modify(r, namespace, name, object.metadata!.resourceVersion, () => object, options);
  }

  /** Patch an object (`PATCH`) with a JSON merge, JSON or strategic merge patch. */
  async patch(
    r: ResourceInfo,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    options: WriteOptions & { subresource?: "status"; force?: boolean } = {},
  ): Promise<KubeObject> {
    if (type === "apply") return (await this.apply(r, namespace, name, patch as KubeObject, options)).object;
    return await this.#modify(r, namespace, name, undefined, (current) => {
      const patched = applyPatch(type, current, patch, r) as KubeObject;
      if (patched === null || typeof patched !== "object" || Array.isArray(patched)) {
        throw badRequest("the patch did not produce an object");
      }
      const meta = (patched.metadata ?? {}) as KubeObject["metadata"];
      if (meta!.name !== undefined && meta!.name !== name) {
        throw badRequest(`the name of the object (${meta!.name}) does not match the name on the URL (${name})`);
      }
      // A patch that carries a resourceVersion is a precondition on it.
      return this.#checkBody(r, namespace, patched);
    }, options);
  }

  /**
   * Assign a pod to a node (`POST …/pods/NAME/binding`), as kube-apiserver's binding storage: one write
   * setting `spec.nodeName`, the Binding's annotations and PodScheduled=True, refused (409) for a pod
   * already assigned or being deleted, or whose uid is not the Binding's.
   */
  async bind(
    r: ResourceInfo,
    namespace: string | undefined,
    name: string,
    binding: { node: string; uid?: string; annotations?: Record<string, string> },
    options: WriteOptions = {},
  ): Promise<KubeObject> {
    const refuse = (message: string) => conflict({ group: "", resource: "pods/binding" }, name, message);
    return await this.#modify(r, namespace, name, undefined, (pod) => {
      const meta = pod.metadata!;
      if (binding.uid && binding.uid !== meta.uid) {
        throw refuse(`Precondition failed: UID in precondition: ${binding.uid}, UID in object meta: ${meta.uid}`);
      }
      if (meta.deletionTimestamp) throw refuse(`pod ${name} is being deleted, cannot be assigned to a host`);
      const spec = pod.spec as { nodeName?: string };
      if (spec.nodeName) throw refuse(`pod ${name} is already assigned to node "${spec.nodeName}"`);
      spec.nodeName = binding.node;
      if (binding.annotations) meta.annotations = { ...meta.annotations, ...binding.annotations };
      const status = (pod.status ??= {}) as { conditions?: { type: string }[] };
      status.conditions = [
        ...(status.conditions ?? []).filter((c) => c.type !== "PodScheduled"),
        { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: now() } as never,
      ];
      return pod;
    }, { ...options, subresource: "binding" });
  }

  /**
   * Server-side apply (`PATCH` with `application/apply-patch+yaml`): merge `config` into the object as its
   * `fieldManager`, creating the object when it does not exist (not through the status subresource).
   */
  async apply(
    r: ResourceInfo,
    namespace: string | undefined,
    name: string,
    config: KubeObject,
    options: ApplyOptions = {},
  ): Promise<{ object: KubeObject; created: boolean }> {
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
      throw badRequest("error decoding YAML: the apply configuration must be an object");
    }
    const manager = options.fieldManager ?? "";
    const applyOptions = { force: options.force, subresource: options.subresource };
    const checkName = (object: KubeObject) => {
      const named = object.metadata?.name ?? "";
      if (named !== name) {
        throw badRequest(`the name of the object (${named}) does not match the name on the URL (${name})`);
      }
      return this.#checkBody(r, namespace, object);
    };
    for (let attempt = 0;; attempt++) {
      let managedFields: unknown[] | undefined;
      // The strategy rebuilds metadata for the status subresource: the apply's managedFields go back on after it.
      const track = (_current: KubeObject, next: KubeObject) => {
        if (managedFields) next.metadata!.managedFields = managedFields;
        else delete next.metadata!.managedFields;
      };
      try {
        const object = await this.#modify(r, namespace, name, undefined, (current) => {
          const merged = checkName(this.fieldManager.apply(r, current, config, manager, applyOptions));
          managedFields = merged.metadata!.managedFields;
          return merged;
        }, { ...options, track });
        return { object, created: false };
      } catch (error) {
        if (!(error instanceof StatusError && error.code === 404) || options.subresource) throw error;
      }
      try {
        const merged = checkName(this.fieldManager.apply(r, undefined, config, manager, applyOptions));
        const managed = merged.metadata!.managedFields;
        const object = await this.#create(r, namespace, merged, options, (prepared) => {
          prepared.metadata!.managedFields = managed;
        });
        return { object, created: true };
      } catch (error) {
        // Created by someone else meanwhile: apply to theirs.
        if (error instanceof StatusError && error.status.reason === "AlreadyExists" && attempt < 5) continue;
        throw error;
      }
    }
  }

  /** Delete an object (`DELETE`); objects with finalizers only get a deletionTimestamp. */
  async delete(
    r: ResourceInfo,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): Promise<KubeObject> {
    const key = objectKey(r, namespace, name);
    for (let attempt = 0;; attempt++) {
      const { kv } = await this.#call(() => this.store.get(key));
      if (!kv) throw notFound(r, name);
      const current = this.#read(r, kv);
      const meta = current.metadata!;
      if (options.preconditions?.uid && options.preconditions.uid !== meta.uid) {
        throw conflict(
          r,
          name,
          `Precondition failed: UID in precondition: ${options.preconditions.uid}, UID in object meta: ${meta.uid}`,
        );
      }
      if (options.preconditions?.resourceVersion && options.preconditions.resourceVersion !== meta.resourceVersion) {
        throw conflict(
          r,
          name,
          `Precondition failed: ResourceVersion in precondition: ${options.preconditions.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion}`,
        );
      }
      try {
        // Foreground and Orphan deletion hand the object to the garbage collector through a finalizer.
        const cascade = options.propagationPolicy === "Foreground"
          ? "foregroundDeletion"
          : options.propagationPolicy === "Orphan"
          ? "orphan"
          : undefined;
        const finalizers = meta.finalizers ?? [];
        const addFinalizer = cascade !== undefined && !finalizers.includes(cascade);
        const grace = this.strategy.gracePeriod?.(r, current, options) ?? 0;
        const kept = this.strategy.keepsOnDelete(r, current, options);
        // A second DELETE may only shorten a running grace period (kube's BeforeDelete).
        const shortens = meta.deletionTimestamp !== undefined && grace < (meta.deletionGracePeriodSeconds ?? 0);
        if (meta.deletionTimestamp && !addFinalizer && !shortens) return current;
        if (addFinalizer || kept || grace > 0) {
          const updated: KubeObject = {
            ...current,
            metadata: {
              ...meta,
              deletionTimestamp: meta.deletionTimestamp && !shortens ? meta.deletionTimestamp : now(grace),
              deletionGracePeriodSeconds: shortens || !meta.deletionTimestamp ? grace : meta.deletionGracePeriodSeconds,
              ...(addFinalizer ? { finalizers: [...finalizers, cascade] } : {}),
            },
          };
          this.strategy.prepareTerminating?.(r, updated);
          if (options.dryRun) return updated;
          const written = await this.#call(
            () => this.store.update(key, encodeObject(updated), kv.modRevision),
            { r, name },
          );
          this.#versions.remember(written);
          return this.#read(r, written);
        }
        if (options.dryRun) return current;
        this.#versions.forget(key);
        await this.#call(() => this.store.delete(key, kv.modRevision), { r, name });
        await this.strategy.afterDelete?.(r, current);
        return current;
      } catch (error) {
        if (error instanceof StatusError && error.status.reason === "Conflict" && attempt < 5) continue;
        if (error instanceof StatusError && error.status.reason === "NotFound" && attempt < 5) continue;
        throw error;
      }
    }
  }

  /** Delete every selected object of a collection (`DELETE …/resource`). */
  async deleteCollection(
    r: ResourceInfo,
    namespace: string | undefined,
    options: DeleteOptions & ListOptions = {},
  ): Promise<KubeObject> {
    const list = await this.list(r, namespace, {
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
    });
    const deleted: KubeObject[] = [];
    for (const item of list.items as KubeObject[]) {
      try {
        deleted.push(await this.delete(r, item.metadata!.namespace, item.metadata!.name!, options));
      } catch (error) {
        if (!(error instanceof StatusError && error.code === 404)) throw error;
      }
    }
    return { ...list, items: deleted };
  }

  /** A Kubernetes watch event filtered by selectors: leaving the selection is a DELETED, entering an ADDED. */
  #filterEvent(
    r: ResourceInfo,
    event: ObjectEvent,
    labels: LabelSelector,
    fields: FieldSelector,
  ): WireEvent | undefined {
    const decorate = (o: KubeObject) => this.#watched(r, o);
    const now = this.#selected(event.object, labels, fields);
    // Only a selective watch looks at the version before (decoding it is not free).
    const previous = event.type === "MODIFIED" && !(labels.empty && fields.empty) ? event.previous : undefined;
    if (!previous) return now ? { type: event.type, object: decorate(event.object) } : undefined;
    const before = this.#selected(previous, labels, fields);
    if (now && before) return { type: "MODIFIED", object: decorate(event.object) };
    if (now) return { type: "ADDED", object: decorate(event.object) };
    if (before) return { type: "DELETED", object: decorate(event.object) };
    return undefined;
  }

  /**
   * An event's object as one watcher is served it: its own copy of the event's (which every watcher of the store
   * event shares), so no two watchers — no two informer caches — ever share an object.
   */
  #watched(r: ResourceInfo, object: KubeObject): KubeObject {
    return this.#present(r, { ...copyObject(object), apiVersion: groupVersion(r), kind: r.kind });
  }

  #selected(object: KubeObject, labels: LabelSelector, fields: FieldSelector): boolean {
    if (!labels.empty && !labels.matches(object.metadata?.labels)) return false;
    if (!fields.empty && !fields.matches(fieldReader(object))) return false;
    return true;
  }

  /**
   * Read-modify-write with the object's revision as the precondition. It starts from the version last seen when
   * there is one (not for a dry run, which no precondition checks): anything that version leads to short of a
   * write — a failure, or no change at all — may be its staleness, so it is tried again on a fresh read.
   */
  async #modify(
    r: ResourceInfo,
    namespace: string | undefined,
    name: string,
    expectedVersion: string | undefined,
    change: (current: KubeObject) => KubeObject,
    options: WriteOptions & {
      subresource?: "status" | "binding";
      track?: (current: KubeObject, next: KubeObject) => void;
    },
  ): Promise<KubeObject> {
    const key = objectKey(r, namespace, name);
    // Every write records its manager in managedFields, unless it brings its own (an apply).
    const track = options.track ??
      ((current: KubeObject, next: KubeObject) =>
        this.fieldManager.update(r, current, next, options.fieldManager ?? "", options.subresource));
    let remembered = options.dryRun ? undefined : this.#versions.get(key);
    for (let attempt = 0;; attempt++) {
      const kv = remembered ?? await this.#fresh(r, key, name);
      const stale = remembered !== undefined;
      remembered = undefined;
      if (stale) attempt--;
      let next: KubeObject;
      let current: KubeObject;
      try {
        current = this.#read(r, kv);
        if (expectedVersion && expectedVersion !== current.metadata!.resourceVersion) throw conflict(r, name);
        const desired = change(copyObject(current));
        const wanted = desired.metadata!.resourceVersion;
        if (wanted && wanted !== current.metadata!.resourceVersion) throw conflict(r, name);
        next = await this.strategy.prepareUpdate(r, desired, current, {
          subresource: options.subresource,
          dryRun: options.dryRun,
        });
        track(current, next);
      } catch (error) {
        if (stale) continue;
        throw error;
      }
      if (sameObject(next, current)) {
        if (stale) continue;
        return current; // nothing changed: no new revision, as kube-apiserver
      }
      if (options.dryRun) return this.#present(r, next);
      if (
        current.metadata!.deletionTimestamp && !this.strategy.keepsOnDelete(r, next, {}) &&
        !next.metadata!.deletionGracePeriodSeconds
      ) {
        // The last finalizer is gone from an object being deleted (and no grace period runs): now it goes.
        try {
          this.#versions.forget(key);
          await this.#call(() => this.store.delete(key, kv.modRevision), { r, name });
        } catch (error) {
          if (stale || this.#retries(error, expectedVersion, attempt)) continue;
          throw error;
        }
        await this.strategy.afterDelete?.(r, next);
        return next;
      }
      try {
        const written = await this.#call(
          () => this.store.update(key, encodeObject(next), kv.modRevision, { ttl: this.strategy.ttl(r) }),
          { r, name },
        );
        this.#versions.remember(written);
        return this.#present(r, storedObject(next, written));
      } catch (error) {
        if (stale || this.#retries(error, expectedVersion, attempt)) continue;
        throw error;
      }
    }
  }

  /** The key's current version, remembered for the next write; NotFound when there is none. */
  async #fresh(r: ResourceInfo, key: string, name: string): Promise<KeyValue> {
    const { kv } = await this.#call(() => this.store.get(key));
    if (!kv) {
      this.#versions.forget(key);
      throw notFound(r, name);
    }
    this.#versions.remember(kv);
    return kv;
  }

  /**
   * Whether a write that lost a revision race goes again: without an explicit resourceVersion the caller did not ask
   * for optimistic locking. A patch that carries one is refused on the retry, when its version no longer matches.
   */
  #retries(error: unknown, expectedVersion: string | undefined, attempt: number): boolean {
    return error instanceof StatusError && error.status.reason === "Conflict" && !expectedVersion && attempt < 5;
  }

  /** The body checked against the URL: kind, apiVersion and namespace must agree. */
  #checkBody(r: ResourceInfo, namespace: string | undefined, body: KubeObject): KubeObject {
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      throw badRequest("the request body must be an object");
    }
    const object = body;
    const gv = groupVersion(r);
    if (object.apiVersion !== undefined && object.apiVersion !== gv) {
      throw badRequest(
        `the API version in the data (${object.apiVersion}) does not match the expected API version (${gv})`,
      );
    }
    if (object.kind !== undefined && object.kind !== r.kind) {
      throw badRequest(`the kind in the data (${object.kind}) does not match the expected kind (${r.kind})`);
    }
    object.apiVersion = gv;
    object.kind = r.kind;
    const meta = (object.metadata ??= {});
    if (typeof meta !== "object" || Array.isArray(meta)) throw badRequest("metadata must be an object");
    if (r.namespaced) {
      if (meta.namespace && meta.namespace !== namespace) {
        throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
      }
      meta.namespace = namespace;
    } else {
      delete meta.namespace;
    }
    return object;
  }

  async #requireNamespace(namespace: string): Promise<void> {
    const { kv } = await this.#call(() => this.store.get(`/registry/namespaces/${namespace}`));
    if (!kv) throw notFound({ group: "", resource: "namespaces" }, namespace);
    const ns = decodeObject(kv);
    if (ns.metadata?.deletionTimestamp) {
      throw forbidden(`unable to create new content in namespace ${namespace} because it is being terminated`, {
        name: namespace,
        kind: "namespaces",
      });
    }
  }

  /** Run a store call, turning its errors into `Status` errors about `subject` (or a paged list). */
  async #call<T>(fn: () => Promise<T>, subject?: { r: ResourceInfo; name: string } | "list"): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw statusFromStoreError(error, subject);
    }
  }
}

/** Versions a Rest remembers for its writes: 10,000 pods being bound and started fit, at a few KiB each. */
const RECENT_VERSIONS = 8192;

function parseRevision(text: string): number {
  if (!/^\d+$/.test(text)) throw badRequest(`invalid resource version "${text}"`);
  return Number(text);
}
