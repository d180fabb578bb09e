// A real in-process server for the release actions: a Configuration over its Client and Registry, charts of our
// own loaded from memory, and small readers of what landed in the cluster.
import type { Client } from "../../../../core/client/mod.ts";
import type { KubeObject } from "../../../../core/operator/mod.ts";
import type { Registry } from "../../../../core/registry/registry.ts";
import { type Chart, loadFiles } from "../../../../addons/helm-controller/chart/mod.ts";
import { Configuration } from "../../../../addons/helm-controller/release/mod.ts";
import { withCluster } from "../../../support/cluster.ts";
import { type ChartTexts, memoryFiles } from "../chart/fixture.ts";

export const CONFIG_MAP = { apiVersion: "v1", kind: "ConfigMap" };
export const SECRET = { apiVersion: "v1", kind: "Secret" };
export const NAMESPACE = "apps";

/** Runs `fn` with a Configuration for namespace `apps` (created) on a fresh server running no controllers. */
export async function withReleases(
  fn: (cfg: Configuration, client: Client, registry: Registry) => Promise<void>,
): Promise<void> {
  let registry: Registry | undefined;
  await withCluster((deps) => {
    registry = deps.registry;
    return [];
  }, async (client) => {
    await client.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE } });
    await fn(new Configuration({ client, registry: registry! }, NAMESPACE), client, registry!);
  });
}

/** A chart from texts (a fresh copy each time, as each action loads its chart). */
export function chartOf(texts: ChartTexts): Chart {
  return loadFiles(memoryFiles(texts));
}

/** A ConfigMap template named `name` with `data`, as template text. */
export function configMap(
  name: string,
  data: Record<string, string> = {},
  annotations: Record<string, string> = {},
): string {
  const meta = Object.keys(annotations).length
    ? `\n  annotations:\n${
      Object.entries(annotations).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join("\n")
    }`
    : "";
  const body = Object.entries(data).map(([k, v]) => `  ${k}: ${v}`).join("\n");
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}${meta}\ndata:\n${body || "  {}"}\n`;
}

/** The ConfigMaps of `apps`, by name. */
export async function configMaps(client: Client): Promise<Map<string, KubeObject>> {
  const list = await client.list<KubeObject>(CONFIG_MAP, NAMESPACE);
  return new Map(
    list.items.filter((cm) => cm.metadata?.name !== "kube-root-ca.crt").map((cm) => [cm.metadata!.name!, cm]),
  );
}

/** The release Secrets of `name` in `apps`: name → labels. */
export async function releaseSecrets(client: Client, name: string): Promise<Map<string, Record<string, string>>> {
  const list = await client.list(SECRET, NAMESPACE, { labelSelector: `owner=helm,name=${name}` });
  return new Map(list.items.map((s) => [s.metadata!.name!, s.metadata!.labels as Record<string, string>]));
}
