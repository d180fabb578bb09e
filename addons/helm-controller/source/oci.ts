/**
 * Charts from OCI registries (`helm install oci://<host>/<repository>/<chart> --version <range>`, Helm's
 * `registry.Client.Pull`), over the OCI distribution API: the version resolved against the repository's tags (tags
 * spell a version's `+` as `_`), the manifest fetched with the OCI media type, the chart layer
 * (`application/vnd.cncf.helm.chart.content.v1.tar+gzip`, or the legacy `application/tar+gzip`) downloaded and its
 * digest checked. A registry asking for credentials gets them: basic auth directly, or a bearer token from the
 * realm its `WWW-Authenticate` challenge names.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { httpGet, type HttpOptions, type HttpResponse } from "./http.ts";
import { matchVersion, sortVersionsDescending } from "./repo.ts";

/** Helm's media types. */
export const OCI_MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
export const CHART_LAYER_MEDIA_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
export const LEGACY_CHART_LAYER_MEDIA_TYPE = "application/tar+gzip";

/** How to reach a registry. */
export interface OciOptions extends HttpOptions {
  /** `--plain-http`: talk HTTP instead of HTTPS. */
  plainHTTP?: boolean;
}

/**
 * A registry session for one repository: remembers the token a challenge earned.
 */
class Registry {
  #authorization?: string;

  constructor(readonly base: string, readonly repository: string, readonly options: OciOptions) {}

  async get(path: string, accept?: string): Promise<HttpResponse> {
    const url = `${this.base}/v2/${this.repository}/${path}`;
    const headers: Record<string, string> = { ...(accept ? { accept } : {}) };
    const send = () =>
      httpGet(url, {
        ...this.options,
        username: undefined,
        password: undefined,
        headers: { ...headers, ...(this.#authorization ? { authorization: this.#authorization } : {}) },
      });
    let response = await send();
    if (response.status === 401 && !this.#authorization) {
      this.#authorization = await this.#answer(response.headers["www-authenticate"] ?? "");
      response = await send();
    }
    if (response.status !== 200) {
      throw new Error(`GET "${url}": response status code ${response.status}: ${response.statusText}`);
    }
    return response;
  }

  /** The Authorization header answering a challenge (`Basic`, or `Bearer` with a token from the realm). */
  async #answer(challenge: string): Promise<string> {
    const { username, password } = this.options;
    const basic = username !== undefined ? `Basic ${btoa(`${username}:${password ?? ""}`)}` : undefined;
    const scheme = challenge.slice(0, challenge.indexOf(" ")).toLowerCase();
    if (scheme === "basic") {
      if (!basic) throw new Error(`${this.base}: basic credential not found`);
      return basic;
    }
    const params = Object.fromEntries(
      [...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1].toLowerCase(), m[2]]),
    );
    if (scheme !== "bearer" || !params.realm) throw new Error(`${this.base}: unsupported authentication challenge`);
    const realm = new URL(params.realm);
    if (params.service) realm.searchParams.set("service", params.service);
    realm.searchParams.set("scope", params.scope ?? `repository:${this.repository}:pull`);
    const response = await httpGet(realm.toString(), { ...this.options, headers: {} });
    if (response.status !== 200) {
      throw new Error(`failed to fetch oauth token: GET "${realm}": response status code ${response.status}`);
    }
    const body = JSON.parse(new TextDecoder().decode(response.body)) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new Error(`${realm}: no token in the answer`);
    return `Bearer ${token}`;
  }
}

/**
 * Pulls the chart archive at `ref` (`oci://host/path/chart`, optionally `:tag`) in the version matching `version`.
 *
 * @example
 * ```ts
 * const { archive, tag } = await pullOci("oci://registry.example.com/charts/web", "^1.0.0", {});
 * ```
 */
export async function pullOci(
  ref: string,
  version: string,
  options: OciOptions,
): Promise<{ archive: Uint8Array; tag: string }> {
  if (!ref.startsWith("oci://")) throw new Error(`invalid OCI reference: ${ref}`);
  let rest = ref.slice("oci://".length);
  const slash = rest.indexOf("/");
  if (slash < 0) throw new Error(`invalid_reference: invalid repository "${rest}"`);
  const host = rest.slice(0, slash);
  rest = rest.slice(slash + 1);
  const colon = rest.lastIndexOf(":");
  let repository = rest;
  let tag = "";
  if (colon > rest.lastIndexOf("/")) {
    repository = rest.slice(0, colon);
    tag = rest.slice(colon + 1);
  }
  const registry = new Registry(`${options.plainHTTP ? "http" : "https"}://${host}`, repository, options);
  if (tag === "") tag = await resolveTag(registry, version, `${host}/${repository}`);
  const manifest = JSON.parse(
    new TextDecoder().decode(
      (await registry.get(`manifests/${encodeURIComponent(tag)}`, OCI_MANIFEST_MEDIA_TYPE)).body,
    ),
  ) as { layers?: { mediaType?: string; digest?: string }[] };
  const layer = (manifest.layers ?? []).find((l) =>
    l.mediaType === CHART_LAYER_MEDIA_TYPE || l.mediaType === LEGACY_CHART_LAYER_MEDIA_TYPE
  );
  if (!layer?.digest) {
    throw new Error(`manifest does not contain a layer with mediatype ${CHART_LAYER_MEDIA_TYPE}`);
  }
  const blob = (await registry.get(`blobs/${layer.digest}`)).body;
  const [algorithm, hex] = layer.digest.split(":");
  if (algorithm === "sha256" && createHash("sha256").update(blob).digest("hex") !== hex) {
    throw new Error(`${layer.digest}: digest mismatch`);
  }
  return { archive: blob, tag };
}

/** Helm's `GetTagMatchingVersionOrConstraint` over the repository's tags. */
async function resolveTag(registry: Registry, version: string, name: string): Promise<string> {
  const body = JSON.parse(new TextDecoder().decode((await registry.get("tags/list")).body)) as { tags?: string[] };
  const versions = sortVersionsDescending((body.tags ?? []).map((t) => t.replaceAll("_", "+")));
  const picked = matchVersion(versions, version);
  if (picked === undefined) {
    throw new Error(`could not locate a version matching provided version string ${version} for ${name}`);
  }
  return picked.replaceAll("+", "_");
}
