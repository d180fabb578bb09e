/**
 * Where a HelmChart's chart comes from, as K3s's helm-install Job finds it — here fetched in-process with
 * `node:http(s)`: `chartContent` (a base64 `.tgz`, which wins over everything else), `chart` as an `oci://`
 * reference, an `http(s)://…tgz` URL (`https://%{KUBERNETES_API}%/static/…` read straight from the server's
 * `<data-dir>/server/static`), a `repo` with a chart name and version range, or `stable/<chart>` from Helm's
 * stable repository. Failures throw; the controller reports them and retries with back-off.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { readFile } from "node:fs/promises";
import { normalize, sep } from "node:path";
import type { Client } from "../../../core/client/mod.ts";
import { type ChartSourceSpec, registryCredentials, repositoryOptions } from "./credentials.ts";
import { httpGetOk } from "./http.ts";
import { pullOci } from "./oci.ts";
import { fetchFromRepo } from "./repo.ts";

export { type ChartSourceSpec, registryCredentials, repositoryOptions } from "./credentials.ts";
export { httpGet, httpGetOk, type HttpOptions, type HttpResponse } from "./http.ts";
export { pullOci } from "./oci.ts";
export {
  type ChartVersion,
  fetchFromRepo,
  matchVersion,
  parseIndex,
  resolveReferenceURL,
  selectVersion,
} from "./repo.ts";

/** The placeholder K3s's packaged HelmCharts use for the API server's address. */
export const KUBERNETES_API = "%{KUBERNETES_API}%";
/** The repository `stable/<chart>` names (klipper-helm's `STABLE_REPO_URL`). */
export const STABLE_REPO_URL = "https://charts.helm.sh/stable";

/** What fetching needs: the API (for auth Secrets and CA ConfigMaps) and where the server keeps static files. */
export interface SourceDeps {
  client: Client;
  /** The HelmChart's namespace, where its `authSecret`, `repoCAConfigMap` and `dockerRegistrySecret` live. */
  namespace: string;
  /** `<data-dir>/server/static`; without it `%{KUBERNETES_API}%` URLs cannot be served. */
  staticDir?: string;
}

/**
 * The chart archive a HelmChart names, and where it came from (for events).
 *
 * @example
 * ```ts
 * const { archive, source } = await fetchChart({ chart: "https://%{KUBERNETES_API}%/static/charts/traefik.tgz" }, deps);
 * ```
 */
export async function fetchChart(
  spec: ChartSourceSpec,
  deps: SourceDeps,
): Promise<{ archive: Uint8Array; source: string }> {
  if (spec.chartContent) {
    return { archive: new Uint8Array(Buffer.from(spec.chartContent, "base64")), source: "chartContent" };
  }
  const chart = spec.chart ?? "";
  const version = spec.version ?? "";
  if (chart.startsWith("oci://")) {
    const options = await repositoryOptions(deps.client, deps.namespace, spec);
    if (spec.dockerRegistrySecret?.name) {
      const host = chart.slice("oci://".length).split("/")[0];
      Object.assign(
        options,
        await registryCredentials(deps.client, deps.namespace, spec.dockerRegistrySecret.name, host),
      );
    }
    const { archive, tag } = await pullOci(chart, version, { ...options, plainHTTP: spec.plainHTTP === true });
    return { archive, source: `${chart}:${tag}` };
  }
  if (/^https?:\/\//.test(chart)) {
    if (chart.includes(KUBERNETES_API)) return { archive: await readStatic(chart, deps.staticDir), source: chart };
    return {
      archive: await httpGetOk(chart, await repositoryOptions(deps.client, deps.namespace, spec)),
      source: chart,
    };
  }
  let repo = spec.repo ?? "";
  let name = chart;
  if (!repo && chart.startsWith("stable/")) {
    repo = STABLE_REPO_URL;
    name = chart.slice("stable/".length);
  }
  if (!repo) throw new Error(`non-absolute URLs should be in form of repo_name/path_to_chart, got: ${chart}`);
  const options = await repositoryOptions(deps.client, deps.namespace, spec);
  const { archive, url } = await fetchFromRepo(repo, name, version, {
    ...options,
    passCredentials: spec.authPassCredentials === true,
  });
  return { archive, source: url };
}

/** A `https://%{KUBERNETES_API}%/static/<path>` chart, read from the server's static directory. */
async function readStatic(url: string, staticDir: string | undefined): Promise<Uint8Array> {
  const path = new URL(url.replace(KUBERNETES_API, "kubernetes.invalid")).pathname;
  if (!staticDir || !path.startsWith("/static/")) throw new Error(`failed to fetch ${url} : 404 Not Found`);
  const relative = normalize(decodeURIComponent(path.slice("/static/".length)));
  if (relative.startsWith("..") || relative.startsWith(sep)) throw new Error(`failed to fetch ${url} : 404 Not Found`);
  try {
    return new Uint8Array(await readFile(`${staticDir}${sep}${relative}`));
  } catch {
    throw new Error(`failed to fetch ${url} : 404 Not Found`);
  }
}
