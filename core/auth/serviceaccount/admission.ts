/**
 * kube-apiserver's `ServiceAccount` admission plugin for pods being created: the pod runs as its namespace's
 * `default` ServiceAccount unless it names one, that ServiceAccount must exist, and unless the pod or the account
 * opts out, every container gets the account's credentials mounted at `/var/run/secrets/kubernetes.io/serviceaccount`
 * from a `kube-api-access-<random>` projected volume: a bound token the kubelet renews, the cluster CA from the
 * `kube-root-ca.crt` ConfigMap, and the namespace.
 *
 * @module
 */
import type { KubeObject } from "../../api/storage.ts";
import { forbiddenError } from "../authorization/forbidden.ts";

/** Where containers find the account's token, CA and namespace (client-go's in-cluster config reads it). */
export const SERVICE_ACCOUNT_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
/** The ConfigMap the root CA publisher keeps in every namespace. */
export const ROOT_CA_CONFIG_MAP = "kube-root-ca.crt";
/** The token lifetime kube-apiserver asks for: an hour, plus seven seconds to tell it from user-set ones. */
const TOKEN_EXPIRATION_SECONDS = 3607;
const VOLUME_PREFIX = "kube-api-access-";
/** `utilrand.String`'s alphabet: no vowels (no words) and no look-alike characters. */
const ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** Finds a ServiceAccount; undefined when there is none. */
export type ServiceAccountLookup = (namespace: string, name: string) => Promise<KubeObject | undefined>;

/**
 * kube's `getServiceAccount`: the informer's cache first, then the store; the `default` account is asked for ten
 * times over a second or two, since the ServiceAccount controller creates it right after its namespace.
 *
 * @example
 * ```ts
 * const lookup = serviceAccountLookup((ns, name) => cache.get(`${ns}/${name}`), (ns, name) => readLive(ns, name));
 * ```
 */
export function serviceAccountLookup(
  cached: (namespace: string, name: string) => KubeObject | undefined,
  live: ServiceAccountLookup,
): ServiceAccountLookup {
  return async (namespace, name) => {
    const hit = cached(namespace, name);
    if (hit) return hit;
    const attempts = name === "default" ? 10 : 1;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 100));
      const found = await live(namespace, name);
      if (found) return found;
    }
    return undefined;
  };
}

interface Mount {
  name?: string;
  mountPath?: string;
}

interface PodShape {
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
  spec?: {
    serviceAccountName?: string;
    serviceAccount?: string;
    automountServiceAccountToken?: boolean;
    volumes?: { name: string; projected?: unknown }[];
    containers?: { volumeMounts?: Mount[] }[];
    initContainers?: { volumeMounts?: Mount[] }[];
  };
}

/**
 * Admit `pod` (a create, before validation) against its ServiceAccount; throws kube's 403 when the account does not
 * exist.
 *
 * @example
 * ```ts
 * await admitServiceAccount(pod, (ns, name) => client.get(SERVICE_ACCOUNT, ns, name).catch(() => undefined));
 * pod.spec.volumes.at(-1).name; // "kube-api-access-x7k2p"
 * ```
 */
export async function admitServiceAccount(object: KubeObject, lookup: ServiceAccountLookup): Promise<void> {
  const pod = object as PodShape;
  // Static pods mirrored by a kubelet carry no credentials of the API's.
  if (pod.metadata?.annotations?.["kubernetes.io/config.mirror"] !== undefined) return;
  const spec = pod.spec ??= {};
  const name = spec.serviceAccountName || spec.serviceAccount || "default";
  spec.serviceAccountName = name;
  spec.serviceAccount = name;
  const namespace = pod.metadata?.namespace ?? "";
  const account = await lookup(namespace, name);
  if (!account) {
    throw forbiddenError(
      { group: "", resource: "pods" },
      pod.metadata?.name ?? "",
      `error looking up service account ${namespace}/${name}: serviceaccount ${JSON.stringify(name)} not found`,
    );
  }
  const automount = spec.automountServiceAccountToken ??
    (account as { automountServiceAccountToken?: boolean }).automountServiceAccountToken ?? true;
  if (automount) mountAccessVolume(spec);
}

function mountAccessVolume(spec: NonNullable<PodShape["spec"]>): void {
  const volumes = spec.volumes ??= [];
  let volume = volumes.find((v) => v.name.startsWith(VOLUME_PREFIX) && v.projected)?.name;
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const needing = containers.filter((c) =>
    !(c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH)
  );
  if (!needing.length) return;
  if (!volume) {
    const taken = new Set(volumes.map((v) => v.name));
    do volume = VOLUME_PREFIX + randomSuffix(); while (taken.has(volume));
    volumes.push({ name: volume, projected: accessProjection() });
  }
  for (const container of needing) {
    (container.volumeMounts ??= []).push(
      { name: volume, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH } as Mount,
    );
  }
}

function accessProjection() {
  return {
    sources: [
      { serviceAccountToken: { expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: "token" } },
      { configMap: { name: ROOT_CA_CONFIG_MAP, items: [{ key: "ca.crt", path: "ca.crt" }] } },
      {
        downwardAPI: {
          items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }],
        },
      },
    ],
    defaultMode: 0o644,
  };
}

function randomSuffix(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(5));
  return [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join("");
}
