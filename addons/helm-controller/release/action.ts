/**
 * What every release action shares (Helm 3's `action.Configuration`): the release history of a namespace, the
 * kube client, the cluster's `.Capabilities` read from the server's discovery (CRDs included, as they come and go),
 * `lookup` against the live API for rendering, and the ownership metadata Helm puts on every object it installs.
 *
 * @module
 */
import { type Client, isNotFound, type KindResolver, splitApiVersion } from "../../../core/client/mod.ts";
import type { ResourceInfo } from "../../../core/registry/types.ts";
import { K3S_VERSION, KUBERNETES_VERSION } from "../../../core/version.ts";
import { Capabilities, type Chart, KubeVersion, type Values, versionSet, versionsFromDiscovery } from "../chart/mod.ts";
import type { LookupFunc } from "../engine/mod.ts";
import { SYSTEM_LABELS } from "./codec.ts";
import { KubeClient, type Resource, resourceString } from "./kube.ts";
import { type RenderedResources, renderResources } from "./render.ts";
import { ReleaseStorage } from "./storage.ts";

/** `app.kubernetes.io/managed-by: Helm`, and the annotations naming the release that owns an object. */
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const RELEASE_NAME_ANNOTATION = "meta.helm.sh/release-name";
export const RELEASE_NAMESPACE_ANNOTATION = "meta.helm.sh/release-namespace";

/** What the actions run against: the API, and the server's registry of served kinds (its discovery). */
export interface ReleaseDeps {
  client: Client;
  registry: KindResolver & { all(): ResourceInfo[] };
  /** Progress lines, as Helm's debug log (default: none). */
  log?: (line: string) => void;
}

/**
 * The configuration of the actions on releases of one namespace.
 *
 * @example
 * ```ts
 * const cfg = new Configuration({ client, registry }, "apps");
 * const release = await install(cfg, chart, values, { name: "web" });
 * ```
 */
export class Configuration {
  readonly storage: ReleaseStorage;
  readonly kube: KubeClient;
  readonly log: (line: string) => void;

  constructor(readonly deps: ReleaseDeps, readonly namespace: string) {
    this.storage = new ReleaseStorage(deps.client, namespace);
    this.kube = new KubeClient(deps.client, deps.registry, namespace);
    this.log = deps.log ?? (() => {});
  }

  /**
   * `.Capabilities` as Helm reads them from discovery: the server's version (`KubeVersion.Version` is its
   * `gitVersion`), and every served group version and `<group version>/<Kind>`.
   */
  capabilities(): Capabilities {
    const kinds = new Map<string, string[]>();
    for (const r of this.deps.registry.all()) {
      const gv = r.group ? `${r.group}/${r.version}` : r.version;
      kinds.set(gv, [...(kinds.get(gv) ?? []), r.kind]);
    }
    const groups = [...kinds].map(([groupVersion, k]) => ({ groupVersion, kinds: k }));
    const [major, minor] = KUBERNETES_VERSION.replace(/^v/, "").split(".");
    return new Capabilities(new KubeVersion(K3S_VERSION, major, minor), versionSet(versionsFromDiscovery(groups)));
  }

  /** The `lookup` template function's backend: an object, a list, or `{}` when it does not exist. */
  readonly lookup: LookupFunc = async (apiVersion, kind, namespace, name) => {
    const { group, version } = splitApiVersion(apiVersion);
    const info = this.deps.registry.forKind(group, kind, version);
    if (!info) {
      throw new Error(
        `unable to get apiresource from unstructured: ${group}/${version}, Kind=${kind}: the server could not find the requested resource`,
      );
    }
    const ref = { apiVersion, kind };
    const ns = info.namespaced && namespace !== "" ? namespace : undefined;
    try {
      return name !== ""
        ? await this.deps.client.get(ref, ns, name) as Record<string, unknown>
        : await this.deps.client.list(ref, ns) as unknown as Record<string, unknown>;
    } catch (error) {
      if (isNotFound(error)) return {};
      throw error;
    }
  };

  /** Helm's `renderResources` with `lookup` against the live API. */
  async renderResources(chart: Chart, values: Values): Promise<RenderedResources> {
    return await renderResources(chart, values, { lookup: this.lookup });
  }
}

/**
 * Helm's `setMetadataVisitor` (forced): labels every object `app.kubernetes.io/managed-by: Helm` and annotates it
 * with the release's name and namespace, so `helm` recognises it as the release's.
 *
 * @example
 * ```ts
 * setMetadata(resources, "web", "apps");
 * ```
 */
export function setMetadata(resources: Resource[], name: string, namespace: string): void {
  for (const r of resources) {
    const metadata = r.object.metadata as Record<string, unknown>;
    metadata.labels = { ...(metadata.labels as Record<string, string> ?? {}), [MANAGED_BY_LABEL]: "Helm" };
    metadata.annotations = {
      ...(metadata.annotations as Record<string, string> ?? {}),
      [RELEASE_NAME_ANNOTATION]: name,
      [RELEASE_NAMESPACE_ANNOTATION]: namespace,
    };
  }
}

/**
 * Helm's `existingResourceConflict`: the objects that already exist and belong to this release (to be updated, not
 * created); throws for one that exists and belongs to something else.
 *
 * @example
 * ```ts
 * const adopt = await existingResourceConflict(cfg.kube, resources, "web", "apps");
 * ```
 */
export async function existingResourceConflict(
  kube: KubeClient,
  resources: Resource[],
  name: string,
  namespace: string,
): Promise<Resource[]> {
  const existing: Resource[] = [];
  for (const r of resources) {
    let live;
    try {
      live = await kube.get(r);
    } catch (error) {
      throw new Error(`could not get information about the resource ${resourceString(r)}: ${(error as Error).message}`);
    }
    if (!live) continue;
    const labels: Record<string, string> = live.metadata?.labels ?? {};
    const annotations = (live.metadata?.annotations ?? {}) as Record<string, string>;
    const problems = [
      requireValue(labels, MANAGED_BY_LABEL, "Helm", "label"),
      requireValue(annotations, RELEASE_NAME_ANNOTATION, name, "annotation"),
      requireValue(annotations, RELEASE_NAMESPACE_ANNOTATION, namespace, "annotation"),
    ].filter((p) => p !== undefined);
    if (problems.length > 0) {
      throw new Error(
        `${resourceString(r)} exists and cannot be imported into the current release: invalid ownership metadata; ${
          problems.join("; ")
        }`,
      );
    }
    existing.push(r);
  }
  return existing;
}

function requireValue(meta: Record<string, string>, key: string, value: string, what: string): string | undefined {
  if (!(key in meta)) {
    return `${what} validation error: missing key ${JSON.stringify(key)}: must be set to ${JSON.stringify(value)}`;
  }
  if (meta[key] !== value) {
    return `${what} validation error: key ${JSON.stringify(key)} must equal ${
      JSON.stringify(value)
    }: current value is ${JSON.stringify(meta[key])}`;
  }
  return undefined;
}

/**
 * Helm refuses custom release labels that would overwrite the storage's own (`name`, `owner`, `status`, `version`,
 * `createdAt`, `modifiedAt`).
 *
 * @example
 * ```ts
 * checkCustomLabels({ team: "a" }); // ok
 * checkCustomLabels({ owner: "me" }); // throws
 * ```
 */
export function checkCustomLabels(labels: Record<string, string> | undefined): void {
  if (Object.keys(labels ?? {}).some((k) => SYSTEM_LABELS.includes(k))) {
    throw new Error(
      `user supplied labels contains system reserved label name. System labels: [${SYSTEM_LABELS.join(" ")}]`,
    );
  }
}

const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Helm's `ValidateReleaseName`: a DNS-1123 subdomain of at most 53 characters.
 *
 * @example
 * ```ts
 * validateReleaseName("web"); // ok
 * validateReleaseName("Web"); // throws
 * ```
 */
export function validateReleaseName(name: string): void {
  if (name === "" || name.length > 53 || !RELEASE_NAME.test(name)) {
    throw new Error(
      `release name ${
        JSON.stringify(name)
      }: invalid release name, must match regex ${RELEASE_NAME.source} and the length must not be longer than 53`,
    );
  }
}
