/**
 * `.Capabilities`: what the cluster offers, as Helm's `chartutil.Capabilities` — the Kubernetes version
 * (`.Capabilities.KubeVersion.Version`, `.Major`, `.Minor`, the deprecated `.GitVersion`), the API versions
 * (`.Capabilities.APIVersions.Has "apps/v1"`, also `"apps/v1/Deployment"`), and Helm's own build
 * (`.Capabilities.HelmVersion.Version`).
 *
 * @module
 */

import { withSignature } from "../gotemplate/mod.ts";
import { marshalStruct } from "./struct_json.ts";

/** The Helm release the engine behaves as: the one K3s's helm-controller (klipper-helm) ships. */
export const HELM_VERSION = "v3.18.6";

/** `chartutil.KubeVersion`; prints as its `Version`. */
export class KubeVersion {
  constructor(public Version: string, public Major: string, public Minor: string) {}

  String(): string {
    return this.Version;
  }

  /** Deprecated in Helm for `.Version`, still used by charts. */
  GitVersion(): string {
    return this.Version;
  }
}

/** `helmversion.BuildInfo`. */
export class BuildInfo {
  Version = HELM_VERSION;
  GitCommit = "";
  GitTreeState = "";
  GoVersion = "go1.24.6";

  MarshalJSON(): string {
    return marshalStruct([
      ["version", this.Version, true],
      ["git_commit", this.GitCommit, true],
      ["git_tree_state", this.GitTreeState, true],
      ["go_version", this.GoVersion, true],
    ]);
  }
}

/** `chartutil.VersionSet`: a list of API versions with a `Has` method. */
export type VersionSet = string[] & { Has(apiVersion: string): boolean };

/**
 * A version set over `versions`; templates range over it and call `.Has`.
 *
 * @example
 * ```ts
 * versionSet(["v1", "apps/v1"]).Has("apps/v1"); // true
 * ```
 */
export function versionSet(versions: string[]): VersionSet {
  const set = [...versions] as VersionSet;
  Object.defineProperty(set, "Has", {
    value: withSignature((apiVersion: unknown) => set.includes(apiVersion as string), ["string"]),
    enumerable: false,
  });
  return set;
}

/** `chartutil.Capabilities`. */
export class Capabilities {
  constructor(
    public KubeVersion: KubeVersion,
    public APIVersions: VersionSet,
    public HelmVersion: BuildInfo = new BuildInfo(),
  ) {}
}

/** A group version from discovery, with the kinds of its resources. */
export interface DiscoveredGroupVersion {
  groupVersion: string;
  kinds: string[];
}

/**
 * Helm's `GetVersionSet`: every group version, and every `<group version>/<Kind>` of a served resource.
 *
 * @example
 * ```ts
 * versionsFromDiscovery([{ groupVersion: "apps/v1", kinds: ["Deployment"] }]); // ["apps/v1", "apps/v1/Deployment"]
 * ```
 */
export function versionsFromDiscovery(groups: DiscoveredGroupVersion[]): string[] {
  const out = new Set<string>();
  for (const g of groups) out.add(g.groupVersion);
  for (const g of groups) for (const kind of g.kinds) out.add(`${g.groupVersion}/${kind}`);
  return [...out];
}

/**
 * Helm's `ParseKubeVersion` (Kubernetes' generic version parser): `1.32`, `v1.32.3+k3s1` → `v1.32.3`, major, minor.
 *
 * @example
 * ```ts
 * parseKubeVersion("v1.32.3+k3s1").Minor; // "32"
 * ```
 */
export function parseKubeVersion(version: string): KubeVersion {
  const m = /^\s*v?([0-9]+)\.([0-9]+)(?:\.([0-9]+))?(.*)$/.exec(version);
  if (!m || /^[0-9]/.test(m[4])) throw new Error(`could not parse ${JSON.stringify(version)} as version`);
  const [major, minor, patch] = [m[1], m[2], m[3] ?? "0"].map((n) => String(Number(n)));
  return new KubeVersion(`v${major}.${minor}.${patch}`, major, minor);
}

/** The group versions Kubernetes 1.32 serves, Helm's version set when it cannot ask a cluster. */
const DEFAULT_VERSIONS = [
  "v1",
  "admissionregistration.k8s.io/v1",
  "apiextensions.k8s.io/v1",
  "apiregistration.k8s.io/v1",
  "apps/v1",
  "authentication.k8s.io/v1",
  "authorization.k8s.io/v1",
  "autoscaling/v1",
  "autoscaling/v2",
  "batch/v1",
  "certificates.k8s.io/v1",
  "coordination.k8s.io/v1",
  "discovery.k8s.io/v1",
  "events.k8s.io/v1",
  "flowcontrol.apiserver.k8s.io/v1",
  "networking.k8s.io/v1",
  "node.k8s.io/v1",
  "policy/v1",
  "rbac.authorization.k8s.io/v1",
  "scheduling.k8s.io/v1",
  "storage.k8s.io/v1",
];

/**
 * `chartutil.DefaultCapabilities` (what `helm template` renders with), for the Kubernetes version given.
 *
 * @example
 * ```ts
 * defaultCapabilities().KubeVersion.Version; // "v1.32.0"
 * ```
 */
export function defaultCapabilities(kubeVersion = "v1.32.0"): Capabilities {
  return new Capabilities(parseKubeVersion(kubeVersion), versionSet(DEFAULT_VERSIONS));
}
