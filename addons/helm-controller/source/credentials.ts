/**
 * What a HelmChart says about reaching its chart, read from the API as K3s's helm-install Job reads its mounts:
 * `authSecret` (a `kubernetes.io/basic-auth` Secret's `username`/`password`, or a `kubernetes.io/tls` Secret's
 * `tls.crt`/`tls.key`), `repoCA` plus every key of `repoCAConfigMap` as one CA bundle, `insecureSkipTLSVerify`,
 * and `dockerRegistrySecret` (a `.dockerconfigjson`) for OCI registries.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { Client } from "../../../core/client/mod.ts";
import type { HttpOptions } from "./http.ts";

/** The fields of a HelmChart spec that say where its chart is and how to get it. */
export interface ChartSourceSpec {
  chart?: string;
  chartContent?: string;
  repo?: string;
  version?: string;
  repoCA?: string;
  repoCAConfigMap?: { name?: string };
  authSecret?: { name?: string };
  authPassCredentials?: boolean;
  insecureSkipTLSVerify?: boolean;
  plainHTTP?: boolean;
  dockerRegistrySecret?: { name?: string };
}

const SECRET = { apiVersion: "v1", kind: "Secret" };
const CONFIG_MAP = { apiVersion: "v1", kind: "ConfigMap" };

type DataObject = { data?: Record<string, string> };

/**
 * The HTTP options of a chart's repository, its Secrets and ConfigMaps read from `namespace`.
 *
 * @example
 * ```ts
 * const options = await repositoryOptions(client, "kube-system", helmChart.spec);
 * ```
 */
export async function repositoryOptions(
  client: Client,
  namespace: string,
  spec: ChartSourceSpec,
): Promise<HttpOptions> {
  const options: HttpOptions = { insecureSkipTLSVerify: spec.insecureSkipTLSVerify === true };
  const cas: string[] = [];
  if (spec.repoCA) cas.push(spec.repoCA);
  if (spec.repoCAConfigMap?.name) {
    const configMap = await client.get<DataObject>(CONFIG_MAP, namespace, spec.repoCAConfigMap.name);
    const data = configMap.data ?? {};
    for (const key of Object.keys(data).sort()) cas.push(data[key]);
  }
  if (cas.length > 0) options.ca = cas.join("\n");
  if (spec.authSecret?.name) {
    const data = decoded(await client.get<DataObject>(SECRET, namespace, spec.authSecret.name));
    if (data.username !== undefined && data.password !== undefined) {
      options.username = data.username;
      options.password = data.password;
    } else if (data["tls.crt"] !== undefined && data["tls.key"] !== undefined) {
      options.cert = data["tls.crt"];
      options.key = data["tls.key"];
    }
  }
  return options;
}

/**
 * The credentials a `.dockerconfigjson` Secret holds for `host` (its `auths` entry: `username`/`password`, or `auth`
 * as base64 `user:password`).
 *
 * @example
 * ```ts
 * await registryCredentials(client, "kube-system", "regcred", "registry.example.com"); // { username, password }
 * ```
 */
export async function registryCredentials(
  client: Client,
  namespace: string,
  secretName: string,
  host: string,
): Promise<{ username?: string; password?: string }> {
  const data = decoded(await client.get<DataObject>(SECRET, namespace, secretName));
  const config = JSON.parse(data[".dockerconfigjson"] ?? "{}") as {
    auths?: Record<string, { username?: string; password?: string; auth?: string }>;
  };
  const entry = Object.entries(config.auths ?? {}).find(([key]) =>
    key === host || key.replace(/^https?:\/\//, "").replace(/\/.*$/, "") === host
  )?.[1];
  if (!entry) return {};
  if (entry.username !== undefined) return { username: entry.username, password: entry.password ?? "" };
  if (entry.auth) {
    const text = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = text.indexOf(":");
    return { username: text.slice(0, colon), password: text.slice(colon + 1) };
  }
  return {};
}

function decoded(object: DataObject): Record<string, string> {
  return Object.fromEntries(
    Object.entries(object.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
  );
}
