// A ListWatcher and LeaseClient over the real REST layer and a real SQLite store, with a switch to cut
// live watches and hold reconnects, so tests can make an informer miss history.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Store } from "../../../datastore/mod.ts";
import { Rest } from "../../../core/api/rest.ts";
import { BuiltinStrategy } from "../../../core/api/strategy.ts";
import { StatusError } from "../../../core/api/status.ts";
import type { KubeObject } from "../../../core/api/storage.ts";
import { Registry } from "../../../core/registry/registry.ts";
import type { ResourceInfo } from "../../../core/registry/types.ts";
import type { Kind, Lease, LeaseClient, ListWatcher, WatchEvent } from "../../../core/operator/source.ts";

export class RestSource implements ListWatcher {
  #cut = new AbortController();
  #gate: Promise<void> = Promise.resolve();
  #open = () => {};
  watches = 0;
  resumedFrom: string[] = [];

  constructor(readonly rest: Rest, readonly info: ResourceInfo) {}

  async list(namespace?: string, options: { labelSelector?: string; fieldSelector?: string } = {}) {
    const list = await this.rest.list(this.info, namespace, options);
    return list as unknown as { items: object[]; metadata: { resourceVersion: string } };
  }

  async *watch(
    namespace: string | undefined,
    options: { resourceVersion: string; allowWatchBookmarks?: boolean; signal: AbortSignal },
  ): AsyncIterable<WatchEvent> {
    await this.#gate;
    this.watches++;
    this.resumedFrom.push(options.resourceVersion);
    const stop = new AbortController();
    const cut = this.#cut.signal;
    const onAbort = () => stop.abort();
    options.signal.addEventListener("abort", onAbort, { once: true });
    cut.addEventListener("abort", onAbort, { once: true });
    if (options.signal.aborted) stop.abort();
    try {
      yield* this.rest.watch(this.info, namespace, { ...options, signal: stop.signal });
    } finally {
      options.signal.removeEventListener("abort", onAbort);
      cut.removeEventListener("abort", onAbort);
    }
  }

  /** End every live watch; new ones wait until `resume()` when `hold` is set. */
  cut(hold = false): void {
    if (hold) this.#gate = new Promise((resolve) => this.#open = resolve);
    this.#cut.abort();
    this.#cut = new AbortController();
  }

  resume(): void {
    this.#open();
  }
}

export class RestLeases implements LeaseClient {
  constructor(readonly rest: Rest, readonly info: ResourceInfo) {}

  async get(namespace: string, name: string): Promise<Lease | undefined> {
    try {
      return await this.rest.get(this.info, namespace, name) as Lease;
    } catch (error) {
      if (error instanceof StatusError && error.status.code === 404) return undefined;
      throw error;
    }
  }

  async create(lease: Lease): Promise<Lease> {
    return await this.rest.create(this.info, lease.metadata.namespace, lease as KubeObject) as Lease;
  }

  async update(lease: Lease): Promise<Lease> {
    return await this.rest.update(
      this.info,
      lease.metadata.namespace,
      lease.metadata.name!,
      lease as KubeObject,
    ) as Lease;
  }
}

export interface Env {
  store: Store;
  rest: Rest;
  registry: Registry;
  configmaps: ResourceInfo;
  secrets: ResourceInfo;
  namespaces: ResourceInfo;
  leases: ResourceInfo;
  source(kind: Kind): RestSource;
}

export async function setup(): Promise<Env> {
  const store = await openStore("", { defaultSqlitePath: join(mkdtempSync(join(tmpdir(), "k3s-operator-")), "db") });
  const registry = new Registry();
  const rest = new Rest(store, new BuiltinStrategy(store));
  const namespaces = registry.resolve("", "v1", "namespaces")!;
  await rest.create(namespaces, undefined, { metadata: { name: "default" } });
  return {
    store,
    rest,
    registry,
    namespaces,
    configmaps: registry.resolve("", "v1", "configmaps")!,
    secrets: registry.resolve("", "v1", "secrets")!,
    leases: registry.resolve("coordination.k8s.io", "v1", "leases")!,
    source: (kind) => new RestSource(rest, registry.resolve(kind.group, kind.version, kind.resource)!),
  };
}

/** Poll `check` until it holds (tests wait on asynchronous loops this way, never on fixed sleeps). */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
