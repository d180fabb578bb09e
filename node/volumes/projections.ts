/**
 * The files of ConfigMap, Secret, downward API and projected volumes, as the kubelet's volume plugins compute them
 * (`items` with paths and modes, `defaultMode`, `optional`), ready for the atomic writer.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { type Client, isNotFound } from "../../core/client/mod.ts";
import { podField, resourceField } from "../env/mod.ts";
import type { Pod } from "../kubelet/pod.ts";
import type { Payload } from "./atomic_writer.ts";
import { VolumeError } from "./errors.ts";

/** Upstream's default file mode of these volumes (0644). */
export const DEFAULT_MODE = 0o644;

interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

/** `configMap` / `secret` volume or projection source. */
export interface KeySource {
  name?: string;
  secretName?: string;
  items?: KeyToPath[];
  defaultMode?: number;
  optional?: boolean;
}

/** `downwardAPI` items. */
export interface DownwardItem {
  path: string;
  fieldRef?: { fieldPath: string };
  resourceFieldRef?: { containerName?: string; resource: string; divisor?: string | number };
  mode?: number;
}

/** What resolving a projection needs. */
export interface ProjectionDeps {
  client: Client;
  nodeName: string;
  nodeIP: string;
  podIPs: string[];
  /** The node's allocatable CPU (cores) and memory (bytes), for limits a container leaves unset. */
  nodeAllocatable?: { cpu: number; memory: number };
  /** Tokens already issued for this pod, so a refresh asks for a new one only when the old one ages. */
  tokens?: Map<string, IssuedToken>;
}

/** A token from the TokenRequest API and when the kubelet renews it. */
export interface IssuedToken {
  token: string;
  renewAt: number;
}

/** The token manager renews at 80% of a token's lifetime, and at least daily. */
const RENEW_FRACTION = 0.8;
const MAX_TOKEN_AGE_MS = 24 * 3600_000;

function bytes(text: string, encoding: "utf8" | "base64"): Uint8Array {
  return new Uint8Array(Buffer.from(text, encoding));
}

/**
 * The files of a ConfigMap or Secret source; a missing object is an error unless `optional` (then no files).
 *
 * @example
 * ```ts
 * await keyFiles("ConfigMap", pod, { name: "cfg", items: [{ key: "key", path: "k.txt" }] }, deps);
 * ```
 */
export async function keyFiles(
  kind: "ConfigMap" | "Secret",
  pod: Pod,
  source: KeySource,
  deps: ProjectionDeps,
  defaultMode = source.defaultMode ?? DEFAULT_MODE,
): Promise<Record<string, Payload>> {
  const name = (kind === "Secret" ? source.secretName ?? source.name : source.name) ?? "";
  let object: { data?: Record<string, string>; binaryData?: Record<string, string> };
  try {
    object = await deps.client.get({ apiVersion: "v1", kind }, pod.metadata.namespace, name);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    if (source.optional) return {};
    throw new VolumeError(`${kind.toLowerCase()} "${name}" not found`);
  }
  const values = new Map<string, Uint8Array>();
  for (const [key, value] of Object.entries(object.data ?? {})) {
    values.set(key, bytes(value, kind === "Secret" ? "base64" : "utf8"));
  }
  for (const [key, value] of Object.entries(object.binaryData ?? {})) values.set(key, bytes(value, "base64"));
  const files: Record<string, Payload> = {};
  if (!source.items?.length) {
    for (const [key, data] of values) files[key] = { data, mode: defaultMode };
    return files;
  }
  for (const item of source.items) {
    const data = values.get(item.key);
    if (!data) {
      if (source.optional) continue;
      throw new VolumeError(
        kind === "Secret"
          ? `references non-existent secret key: ${item.key}`
          : `configmap references non-existent config key: ${item.key}`,
      );
    }
    files[item.path] = { data, mode: item.mode ?? defaultMode };
  }
  return files;
}

/**
 * The files of downward API items.
 *
 * @example
 * ```ts
 * downwardFiles(pod, [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }], 0o644, deps);
 * ```
 */
export function downwardFiles(
  pod: Pod,
  items: DownwardItem[],
  defaultMode: number,
  deps: ProjectionDeps,
): Record<string, Payload> {
  const files: Record<string, Payload> = {};
  for (const item of items) {
    let text = "";
    if (item.fieldRef) text = podField(pod, item.fieldRef.fieldPath, deps);
    else if (item.resourceFieldRef) {
      const container = pod.spec.containers.find((c) => c.name === item.resourceFieldRef!.containerName) ??
        pod.spec.containers[0];
      text = resourceField(pod, container, item.resourceFieldRef, deps);
    }
    files[item.path] = { data: bytes(text, "utf8"), mode: item.mode ?? defaultMode };
  }
  return files;
}

/**
 * A service account token for the pod (the TokenRequest API, bound to the pod), as a projected file.
 *
 * @example
 * ```ts
 * await tokenFile(pod, { path: "token", expirationSeconds: 3607 }, 0o644, deps);
 * ```
 */
export async function tokenFile(
  pod: Pod,
  source: { path: string; audience?: string; expirationSeconds?: number },
  mode: number,
  deps: ProjectionDeps,
): Promise<Record<string, Payload>> {
  const account = pod.spec.serviceAccountName || "default";
  const expirationSeconds = source.expirationSeconds ?? 3600;
  const key = `${account}|${source.audience ?? ""}|${expirationSeconds}`;
  const cached = deps.tokens?.get(key);
  if (cached && Date.now() < cached.renewAt) {
    return { [source.path]: { data: bytes(cached.token, "utf8"), mode } };
  }
  const request = {
    apiVersion: "authentication.k8s.io/v1",
    kind: "TokenRequest",
    spec: {
      audiences: source.audience ? [source.audience] : [],
      expirationSeconds,
      boundObjectRef: { apiVersion: "v1", kind: "Pod", name: pod.metadata.name, uid: pod.metadata.uid },
    },
  };
  const issued = Date.now();
  const answer = await deps.client.createSubresource<{
    spec?: { expirationSeconds?: number };
    status?: { token?: string };
  }>(
    { apiVersion: "v1", kind: "ServiceAccount" },
    pod.metadata.namespace,
    account,
    "token",
    request,
  ).catch((error) => {
    throw new VolumeError(`failed to fetch token: ${(error as Error).message}`);
  });
  const token = answer.status?.token ?? "";
  // The server may grant a longer lifetime than asked (the extended kube-api-access tokens): age by what it granted.
  const lifetimeMs = (answer.spec?.expirationSeconds ?? expirationSeconds) * 1000;
  deps.tokens?.set(key, { token, renewAt: issued + Math.min(lifetimeMs * RENEW_FRACTION, MAX_TOKEN_AGE_MS) });
  return { [source.path]: { data: bytes(token, "utf8"), mode } };
}
