/**
 * A transport from a kubeconfig file — what `k3s agent`, tests and tools on other machines use to reach
 * a server — reading the current context's cluster and user.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parse } from "yaml";
import { type HttpsTransport, httpsTransport, type HttpsTransportOptions } from "./https.ts";

interface Named<T> {
  name: string;
  [key: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}

type Fields = Record<string, string | undefined>;

interface Kubeconfig {
  "current-context"?: string;
  clusters?: Named<Fields>[];
  users?: Named<Fields>[];
  contexts?: Named<Fields>[];
}

/**
 * The server, CA and credentials of a kubeconfig's current context (or `context`). Embedded `*-data`
 * fields win over file paths, as in client-go; relative paths are read from the kubeconfig's folder.
 *
 * @example
 * ```ts
 * const { server, caPem } = await readKubeconfig("/etc/rancher/k3s/k3s.yaml");
 * ```
 */
export async function readKubeconfig(path: string, context?: string): Promise<HttpsTransportOptions> {
  const config = parse(await readFile(path, "utf8")) as Kubeconfig;
  const name = context ?? config["current-context"];
  const ctx = config.contexts?.find((c) => c.name === name)?.context;
  if (!ctx) throw new Error(`kubeconfig ${path}: no context named "${name ?? ""}"`);
  const cluster = config.clusters?.find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster?.server) throw new Error(`kubeconfig ${path}: cluster "${ctx.cluster}" has no server`);
  const user = config.users?.find((u) => u.name === ctx.user)?.user ?? {};
  const folder = dirname(path);
  const pem = async (fields: Fields, key: string): Promise<string | undefined> => {
    const data = fields[`${key}-data`];
    if (data) return Buffer.from(data, "base64").toString("utf8");
    const file = fields[key];
    return file ? await readFile(resolve(folder, file), "utf8") : undefined;
  };
  const caPem = await pem(cluster, "certificate-authority");
  if (!caPem) throw new Error(`kubeconfig ${path}: cluster "${ctx.cluster}" has no certificate-authority`);
  return {
    server: cluster.server,
    caPem,
    certPem: await pem(user, "client-certificate"),
    keyPem: await pem(user, "client-key"),
    token: user.token,
  };
}

/**
 * An HTTPS transport to the cluster a kubeconfig names.
 *
 * @example
 * ```ts
 * const transport = await transportFromKubeconfig(server.kubeconfigPath);
 * const client = new ApiClient(transport, new Registry());
 * ```
 */
export async function transportFromKubeconfig(path: string, context?: string): Promise<HttpsTransport> {
  return httpsTransport(await readKubeconfig(path, context));
}
