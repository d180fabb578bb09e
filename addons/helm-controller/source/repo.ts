/**
 * Charts from a Helm repository (`helm install --repo <url> <chart> --version <range>`, Helm's
 * `FindChartInAuthAndTLSAndPassRepoURL`): the repository's `index.yaml` read, each chart's versions sorted highest
 * first, the first version matching the constraint picked (an exact version wins; no version means `*`, which
 * skips prereleases), and its first URL resolved against the repository URL.
 *
 * @module
 */
import { isCompatibleRange, yamlToJson } from "../chart/mod.ts";
import { Version } from "../sprig/mod.ts";
import { httpGetOk, type HttpOptions } from "./http.ts";

/** One version of a chart in an index. */
export interface ChartVersion {
  name: string;
  version: string;
  urls: string[];
}

/**
 * A repository index: each chart's versions, highest first (invalid versions last), as Helm's `loadIndex` keeps
 * them. Throws Helm's errors for an empty index or one without `apiVersion`.
 *
 * @example
 * ```ts
 * parseIndex("apiVersion: v1\nentries:\n  web:\n  - {name: web, version: 1.0.0, urls: [web-1.0.0.tgz]}\n").get("web");
 * ```
 */
export function parseIndex(text: string): Map<string, ChartVersion[]> {
  if (text.trim() === "") throw new Error("no API version specified");
  const index = yamlToJson(text) as { apiVersion?: string; entries?: Record<string, unknown[]> } | null;
  if (!index?.apiVersion) throw new Error("no API version specified");
  const entries = new Map<string, ChartVersion[]>();
  for (const [name, versions] of Object.entries(index.entries ?? {})) {
    const valid = (versions ?? []).filter((v): v is Record<string, unknown> => v !== null && typeof v === "object")
      .map((v) => ({
        name: String(v.name ?? name),
        version: String(v.version ?? ""),
        urls: Array.isArray(v.urls) ? v.urls.map(String) : [],
      }))
      .filter((v) => v.version !== "");
    entries.set(name, valid.sort((a, b) => -compareVersions(a.version, b.version)));
  }
  return entries;
}

/** Helm's `ChartVersions.Less`: by semver, versions that do not parse sorting lowest. */
function compareVersions(a: string, b: string): number {
  let va: Version, vb: Version;
  try {
    va = Version.parse(a);
  } catch {
    return -1;
  }
  try {
    vb = Version.parse(b);
  } catch {
    return 1;
  }
  return Number(va.Compare(vb));
}

/**
 * Helm's `IndexFile.Get`: the version of `name` matching `version` (exact, or a semver constraint; "" is `*`).
 *
 * @example
 * ```ts
 * selectVersion(index, "web", "~1.2"); // the highest 1.2.x
 * ```
 */
export function selectVersion(index: Map<string, ChartVersion[]>, name: string, version: string): ChartVersion {
  const versions = index.get(name);
  if (!versions) throw new Error("no chart name found");
  if (versions.length === 0) throw new Error("no chart version found");
  const picked = matchVersion(versions.map((v) => v.version), version);
  if (picked === undefined) throw new Error(`no chart version found for ${name}-${version}`);
  return versions.find((v) => v.version === picked)!;
}

/**
 * The first of `versions` (sorted highest first) that is `version` exactly or satisfies it as a constraint ("" means
 * `*`, which skips prereleases) — the rule of Helm's index lookup and OCI tag resolution.
 *
 * @example
 * ```ts
 * matchVersion(["2.0.0", "1.3.0", "1.2.0"], "^1.2"); // "1.3.0"
 * ```
 */
export function matchVersion(versions: string[], version: string): string | undefined {
  if (version !== "" && versions.includes(version)) return version;
  return versions.find((v) => isCompatibleRange(version === "" ? "*" : version, v));
}

/**
 * Versions sorted highest first, those that are not semver last.
 *
 * @example
 * ```ts
 * sortVersionsDescending(["1.0.0", "latest", "1.10.0"]); // ["1.10.0", "1.0.0", "latest"]
 * ```
 */
export function sortVersionsDescending(versions: string[]): string[] {
  return [...versions].sort((a, b) => -compareVersions(a, b));
}

/**
 * Helm's `ResolveReferenceURL`: `ref` made absolute against the repository URL (as a directory, its query kept).
 *
 * @example
 * ```ts
 * resolveReferenceURL("https://example.com/charts", "web-1.0.0.tgz"); // "https://example.com/charts/web-1.0.0.tgz"
 * ```
 */
export function resolveReferenceURL(base: string, ref: string): string {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(ref)) return ref;
  const baseURL = new URL(base);
  const query = baseURL.search;
  baseURL.pathname = baseURL.pathname.replace(/\/$/, "") + "/";
  baseURL.search = "";
  const resolved = new URL(ref, baseURL);
  resolved.search = query;
  return resolved.toString();
}

/**
 * Finds `chart` at `version` in the repository at `repoURL` and downloads it. Credentials go to the chart's URL only
 * when it is on the repository's host, unless `passCredentials` (`--pass-credentials`).
 *
 * @example
 * ```ts
 * const tgz = await fetchFromRepo("https://charts.example.com", "web", "^1.0.0", {});
 * ```
 */
export async function fetchFromRepo(
  repoURL: string,
  chart: string,
  version: string,
  options: HttpOptions & { passCredentials?: boolean },
): Promise<{ archive: Uint8Array; url: string }> {
  let index: Map<string, ChartVersion[]>;
  try {
    const text = new TextDecoder().decode(await httpGetOk(resolveReferenceURL(repoURL, "index.yaml"), options));
    index = parseIndex(text);
  } catch (error) {
    throw new Error(
      `looks like ${JSON.stringify(repoURL)} is not a valid chart repository or cannot be reached: ${
        (error as Error).message
      }`,
    );
  }
  const what = `chart ${JSON.stringify(chart)}${version ? ` version ${JSON.stringify(version)}` : ""}`;
  let found: ChartVersion;
  try {
    found = selectVersion(index, chart, version);
  } catch {
    throw new Error(`${what} not found in ${repoURL} repository`);
  }
  if (found.urls.length === 0) throw new Error(`${what} has no downloadable URLs`);
  const url = resolveReferenceURL(repoURL, found.urls[0]);
  const sameHost = new URL(url).host === new URL(repoURL).host;
  const credentials = sameHost || options.passCredentials ? {} : { username: undefined, password: undefined };
  return { archive: await httpGetOk(url, { ...options, ...credentials }), url };
}
