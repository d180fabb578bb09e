/**
 * Helm 3's release storage (pkg/storage/driver): a release is JSON, gzipped at best compression and base64
 * encoded, kept in the Secret `sh.helm.release.v1.<name>.v<version>` of type `helm.sh/release.v1` under
 * `data.release` (which the Secret itself base64-encodes again on the wire), labelled `name`, `owner=helm`,
 * `status`, `version` and `createdAt`/`modifiedAt` — so the real `helm` CLI lists and manages these releases.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { gunzipSync, gzipSync } from "node:zlib";
import { Chart, type ChartFile } from "../chart/chart.ts";
import { ChartMetadata, decodeLock, decodeMetadata } from "../chart/metadata.ts";
import type { YamlValue } from "../chart/yaml/decode.ts";
import { marshal, unmarshal } from "../sprig/json.ts";
import { Hook, Info, Release, type ReleaseStatus } from "./release.ts";

/** The labels Helm reserves on a release record. */
export const SYSTEM_LABELS = ["name", "owner", "status", "version", "createdAt", "modifiedAt"];

/**
 * The name of the Secret holding revision `version` of release `name`.
 *
 * @example
 * ```ts
 * releaseSecretName("greeter", 2); // "sh.helm.release.v1.greeter.v2"
 * ```
 */
export function releaseSecretName(name: string, version: number): string {
  return `sh.helm.release.v1.${name}.v${version}`;
}

/**
 * Helm's `encodeRelease`: base64(gzip(JSON)).
 *
 * @example
 * ```ts
 * const data = encodeRelease(release); // "H4sIAAAAAAAC/..."
 * ```
 */
export function encodeRelease(release: Release): string {
  const json = marshal(release);
  return gzipSync(Buffer.from(json, "utf8"), { level: 9 }).toString("base64");
}

/**
 * Helm's `decodeRelease`: base64, then gunzip when the bytes are gzip, then JSON.
 *
 * @example
 * ```ts
 * decodeRelease(encodeRelease(release)).Info.Status; // "deployed"
 * ```
 */
export function decodeRelease(data: string): Release {
  let bytes: Uint8Array = Buffer.from(data, "base64");
  if (bytes.length > 3 && bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 0x08) bytes = gunzipSync(bytes);
  return releaseFromJson(unmarshal(new TextDecoder().decode(bytes)) as Record<string, unknown>);
}

/** A Kubernetes Secret as the API serves it (data values base64-encoded). */
export interface ReleaseSecret {
  apiVersion: "v1";
  kind: "Secret";
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  type: "helm.sh/release.v1";
  data: { release: string };
}

/**
 * Helm's `newSecretsObject`: the Secret storing `release`. Pass `createdAt` for a new record (Helm's `Create`)
 * or `modifiedAt` for an update, as Helm labels them.
 *
 * @example
 * ```ts
 * const secret = releaseSecret(release, { createdAt: new Date() });
 * await client.create(secret);
 * ```
 */
export function releaseSecret(release: Release, times: { createdAt?: Date; modifiedAt?: Date } = {}): ReleaseSecret {
  const labels: Record<string, string> = { ...release.Labels };
  if (times.createdAt) labels.createdAt = String(Math.floor(times.createdAt.getTime() / 1000));
  if (times.modifiedAt) labels.modifiedAt = String(Math.floor(times.modifiedAt.getTime() / 1000));
  labels.name = release.Name;
  labels.owner = "helm";
  labels.status = release.Info.Status;
  labels.version = String(release.Version);
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: releaseSecretName(release.Name, release.Version), namespace: release.Namespace, labels },
    type: "helm.sh/release.v1",
    data: { release: Buffer.from(encodeRelease(release), "utf8").toString("base64") },
  };
}

/**
 * The release a stored Secret holds (Helm's `Secrets.Get`), its custom labels without the system ones.
 *
 * @example
 * ```ts
 * releaseFromSecret(await client.get(SECRET, ns, releaseSecretName("greeter", 1))).Version; // 1
 * ```
 */
export function releaseFromSecret(
  secret: { data?: Record<string, string>; metadata?: { labels?: Record<string, string> } },
): Release {
  const data = secret.data?.release;
  if (data === undefined) throw new Error("release secret has no data.release");
  const release = decodeRelease(Buffer.from(data, "base64").toString("utf8"));
  for (const [k, v] of Object.entries(secret.metadata?.labels ?? {})) {
    if (!SYSTEM_LABELS.includes(k)) release.Labels[k] = v;
  }
  return release;
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function time(v: unknown): Date | null {
  if (typeof v !== "string" || v === "") return null;
  const date = new Date(v);
  return Number.isNaN(date.getTime()) ? null : date;
}

function files(v: unknown): ChartFile[] {
  if (!Array.isArray(v)) return [];
  return v.map((f) => ({ name: str(f?.name), data: Buffer.from(str(f?.data), "base64") }));
}

function chartFromJson(json: Record<string, unknown>): Chart {
  const chart = new Chart();
  chart.metadata = new ChartMetadata();
  decodeMetadata((json.metadata ?? null) as YamlValue, chart.metadata);
  chart.lock = json.lock ? decodeLock(json.lock as YamlValue) : null;
  chart.templates = files(json.templates);
  chart.values = (json.values ?? null) as Record<string, unknown> | null;
  chart.schema = typeof json.schema === "string" ? Buffer.from(json.schema, "base64") : null;
  chart.files = files(json.files);
  return chart;
}

function hookFromJson(json: Record<string, unknown>): Hook {
  const hook = new Hook();
  hook.Name = str(json.name);
  hook.Kind = str(json.kind);
  hook.Path = str(json.path);
  hook.Manifest = str(json.manifest);
  hook.Events = (Array.isArray(json.events) ? json.events : []) as Hook["Events"];
  const lastRun = (json.last_run ?? {}) as Record<string, unknown>;
  hook.LastRun.StartedAt = time(lastRun.started_at);
  hook.LastRun.CompletedAt = time(lastRun.completed_at);
  hook.LastRun.Phase = str(lastRun.phase);
  hook.Weight = typeof json.weight === "number" ? json.weight : 0;
  hook.DeletePolicies = (Array.isArray(json.delete_policies) ? json.delete_policies : []) as string[];
  hook.OutputLogPolicies = (Array.isArray(json.output_log_policies) ? json.output_log_policies : []) as string[];
  return hook;
}

function releaseFromJson(json: Record<string, unknown>): Release {
  const release = new Release();
  release.Name = str(json.name);
  const info = (json.info ?? {}) as Record<string, unknown>;
  release.Info = new Info();
  release.Info.FirstDeployed = time(info.first_deployed);
  release.Info.LastDeployed = time(info.last_deployed);
  release.Info.Deleted = time(info.deleted);
  release.Info.Description = str(info.description);
  release.Info.Status = (str(info.status) || "unknown") as ReleaseStatus;
  release.Info.Notes = str(info.notes);
  release.Chart = json.chart ? chartFromJson(json.chart as Record<string, unknown>) : null;
  release.Config = (json.config ?? null) as Record<string, unknown> | null;
  release.Manifest = str(json.manifest);
  release.Hooks = (Array.isArray(json.hooks) ? json.hooks : []).map((h) => hookFromJson(h as Record<string, unknown>));
  release.Version = typeof json.version === "number" ? json.version : 0;
  release.Namespace = str(json.namespace);
  return release;
}
