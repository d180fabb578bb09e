/**
 * The registry of served resources: the Kubernetes 1.32 built-ins, plus whatever is added at run time (CRDs,
 * aggregated APIs). Discovery, OpenAPI, the REST router and kubectl-style name lookups all read it.
 *
 * @module
 */
import { BUILTIN_RESOURCES } from "./generated/resources.ts";
import { builtinGroupPriority, compareKubeVersions } from "./order.ts";
import type { ResourceInfo } from "./types.ts";

/** One group-version, as discovery lists it. */
export interface GroupVersion {
  group: string;
  version: string;
}

/** One API group with its versions, most preferred first. */
export interface GroupInfo {
  name: string;
  versions: string[];
  preferredVersion: string;
}

/**
 * The served resources, keyed by group, version and plural name.
 *
 * @example
 * ```ts
 * const registry = new Registry();
 * registry.resolve("apps", "v1", "deployments")?.kind; // "Deployment"
 * registry.lookup("deploy")[0].resource; // "deployments"
 * ```
 */
export class Registry {
  readonly #byGVR = new Map<string, ResourceInfo>();
  readonly #priorities = new Map<string, number>();
  readonly #listeners = new Set<() => void>();
  #generation = 0;

  /** Starts with the built-ins unless given another set (tests, or a server with APIs turned off). */
  constructor(resources: Iterable<ResourceInfo> = BUILTIN_RESOURCES) {
    for (const info of resources) this.#byGVR.set(gvrKey(info.group, info.version, info.resource), info);
  }

  /** Bumped on every change, so callers can cache what they derive (discovery documents, OpenAPI). */
  get generation(): number {
    return this.#generation;
  }

  /**
   * Serve `info`, replacing any resource of the same group, version and name.
   *
   * @example
   * ```ts
   * registry.add({ group: "helm.cattle.io", version: "v1", resource: "helmcharts", kind: "HelmChart", ... });
   * ```
   */
  add(info: ResourceInfo): void {
    this.#byGVR.set(gvrKey(info.group, info.version, info.resource), info);
    this.#changed();
  }

  /**
   * Call `listener` after every change of what is served (a CRD established or removed); returns the
   * unsubscribe function.
   *
   * @example
   * ```ts
   * const stop = registry.subscribe(() => console.log("resources changed"));
   * ```
   */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    this.#generation++;
    for (const listener of [...this.#listeners]) listener();
  }

  /**
   * Stop serving a resource; true when it was served.
   *
   * @example
   * ```ts
   * registry.remove("helm.cattle.io", "v1", "helmcharts");
   * ```
   */
  remove(group: string, version: string, resource: string): boolean {
    const removed = this.#byGVR.delete(gvrKey(group, version, resource));
    if (removed) this.#changed();
    return removed;
  }

  /**
   * Give a group a discovery priority (an APIService's `groupPriorityMinimum`); built-ins have kube-apiserver's,
   * other groups 1000.
   *
   * @example
   * ```ts
   * registry.setGroupPriority("metrics.k8s.io", 100);
   * ```
   */
  setGroupPriority(group: string, priority: number): void {
    this.#priorities.set(group, priority);
    this.#changed();
  }

  /**
   * The resource at a REST path's group, version and plural name.
   *
   * @example
   * ```ts
   * registry.resolve("", "v1", "pods")?.namespaced; // true
   * ```
   */
  resolve(group: string, version: string, resource: string): ResourceInfo | undefined {
    return this.#byGVR.get(gvrKey(group, version, resource));
  }

  /**
   * The resource serving `kind` in `group`: in `version` when given, else in the group's most preferred version
   * that has it.
   *
   * @example
   * ```ts
   * registry.forKind("autoscaling", "HorizontalPodAutoscaler")?.version; // "v2"
   * ```
   */
  forKind(group: string, kind: string, version?: string): ResourceInfo | undefined {
    const versions = version === undefined ? this.versions(group) : [version];
    for (const v of versions) {
      const found = this.resources(group, v).find((r) => r.kind === kind);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * Resources a kubectl-style name may mean: a plural, singular, short name or kind (any case), optionally
   * qualified as `name.group` or `name.version.group`. One match per group, in its preferred version, in
   * discovery order, so the first is what kubectl picks (`events` is core's, not events.k8s.io's).
   *
   * @example
   * ```ts
   * registry.lookup("deploy")[0].group; // "apps"
   * registry.lookup("hpa.v1.autoscaling")[0].version; // "v1"
   * registry.lookup("ev").map((r) => r.group); // ["", "events.k8s.io"]
   * ```
   */
  lookup(name: string): ResourceInfo[] {
    const lower = name.toLowerCase();
    const found: ResourceInfo[] = [];
    for (const { group, version } of this.groupVersions()) {
      const resources = this.resources(group, version);
      const fullyQualified = `.${version}.${group}`;
      const qualified = `.${group}`;
      let base: string | undefined;
      if (lower.endsWith(fullyQualified)) base = lower.slice(0, -fullyQualified.length);
      else if (group && lower.endsWith(qualified)) base = lower.slice(0, -qualified.length);
      const candidates = [lower, ...(base === undefined ? [] : [base])];
      const match = resources.find((r) => candidates.some((c) => names(r).includes(c)));
      if (!match) continue;
      // Unqualified and group-qualified names resolve in the preferred version only.
      const pinned = base !== undefined && lower.endsWith(fullyQualified);
      if (!pinned && found.some((r) => r.group === group)) continue;
      found.push(match);
    }
    return found;
  }

  /**
   * The resources of one group-version, sorted by name (the order of kube-apiserver's resource lists).
   *
   * @example
   * ```ts
   * registry.resources("apps", "v1").map((r) => r.resource);
   * // ["controllerrevisions", "daemonsets", "deployments", "replicasets", "statefulsets"]
   * ```
   */
  resources(group: string, version: string): ResourceInfo[] {
    return [...this.#byGVR.values()]
      .filter((r) => r.group === group && r.version === version)
      .sort((a, b) => a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0);
  }

  /**
   * Every served resource, in discovery order.
   *
   * @example
   * ```ts
   * registry.all().length; // 59 for the built-ins
   * ```
   */
  all(): ResourceInfo[] {
    return this.groupVersions().flatMap(({ group, version }) => this.resources(group, version));
  }

  /**
   * Served group-versions in kube-apiserver's order: core `v1` first, then groups by priority (ties by name),
   * versions within a group most preferred first.
   *
   * @example
   * ```ts
   * registry.groupVersions().slice(0, 3);
   * // [{ group: "", version: "v1" }, { group: "apiregistration.k8s.io", version: "v1" }, { group: "apps", version: "v1" }]
   * ```
   */
  groupVersions(): GroupVersion[] {
    return this.groups().flatMap((g) => g.versions.map((version) => ({ group: g.name, version })));
  }

  /**
   * Served groups in discovery order, each with its versions (preferred first). The core group is named "".
   *
   * @example
   * ```ts
   * registry.groups().find((g) => g.name === "autoscaling");
   * // { name: "autoscaling", versions: ["v2", "v1"], preferredVersion: "v2" }
   * ```
   */
  groups(): GroupInfo[] {
    const versions = new Map<string, Set<string>>();
    for (const r of this.#byGVR.values()) {
      let set = versions.get(r.group);
      if (!set) versions.set(r.group, set = new Set());
      set.add(r.version);
    }
    return [...versions.entries()]
      .map(([name, set]) => ({ name, versions: [...set].sort(compareKubeVersions) }))
      .sort((a, b) => this.#priority(b.name) - this.#priority(a.name) || (a.name < b.name ? -1 : 1))
      .map(({ name, versions }) => ({ name, versions, preferredVersion: versions[0] }));
  }

  /**
   * A group's served versions, most preferred first (empty when the group is not served).
   *
   * @example
   * ```ts
   * registry.versions("autoscaling"); // ["v2", "v1"]
   * ```
   */
  versions(group: string): string[] {
    return this.groups().find((g) => g.name === group)?.versions ?? [];
  }

  /**
   * The version clients should use for a group.
   *
   * @example
   * ```ts
   * registry.preferredVersion("autoscaling"); // "v2"
   * ```
   */
  preferredVersion(group: string): string | undefined {
    return this.versions(group)[0];
  }

  #priority(group: string): number {
    return this.#priorities.get(group) ?? builtinGroupPriority(group);
  }
}

function gvrKey(group: string, version: string, resource: string): string {
  return `${group}/${version}/${resource}`;
}

/** Every lower-case name kubectl accepts for a resource. */
function names(r: ResourceInfo): string[] {
  return [r.resource, r.singular, r.kind.toLowerCase(), ...r.shortNames];
}
