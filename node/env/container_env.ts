/**
 * A container's environment as the kubelet's `makeEnvironmentVariables` builds it: `envFrom` sources, then `env`
 * entries (values expanded against what came before, `valueFrom` resolved from ConfigMaps, Secrets, the pod's fields
 * and its resources), then the service links the container does not define itself.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { type Client, isNotFound } from "../../core/client/mod.ts";
import { quantityValue } from "../../controllers/scheduler/resources.ts";
import type { Container, Pod } from "../kubelet/pod.ts";
import { expand } from "./expand.ts";
import { type LinkedService, serviceEnv } from "./service_links.ts";

/** Why a container cannot be configured: kubelet shows the message as `CreateContainerConfigError`. */
export class EnvError extends Error {}

/** What resolving needs besides the pod. */
export interface EnvDeps {
  client: Client;
  nodeName: string;
  nodeIP: string;
  podIPs: string[];
  /** The node's allocatable CPU (cores) and memory (bytes): a `resourceFieldRef` limit defaults to them. */
  nodeAllocatable?: { cpu: number; memory: number };
}

interface Source {
  data?: Record<string, string>;
}

/** A C identifier, as env var names from `envFrom` must be (others are skipped, as upstream does). */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * The environment of `container` in `pod`.
 *
 * @example
 * ```ts
 * const envs = await containerEnv(pod, pod.spec.containers[0], { client, nodeName: "n1", nodeIP: "10.0.0.2", podIPs: ["10.42.0.5"] });
 * ```
 */
export async function containerEnv(
  pod: Pod,
  container: Container,
  deps: EnvDeps,
): Promise<{ name: string; value: string }[]> {
  const ns = pod.metadata.namespace;
  const sources = new Map<string, Promise<Source | undefined>>();
  const load = (kind: "ConfigMap" | "Secret", name: string) => {
    const key = `${kind}/${name}`;
    if (!sources.has(key)) {
      sources.set(
        key,
        deps.client.get<Source>({ apiVersion: "v1", kind }, ns, name).catch((error) => {
          if (isNotFound(error)) return undefined;
          throw error;
        }),
      );
    }
    return sources.get(key)!;
  };
  // Upstream reads only `data` here: a ConfigMap's binaryData never becomes an environment variable.
  const value = (kind: "ConfigMap" | "Secret", source: Source, key: string): string | undefined => {
    const text = source.data?.[key];
    if (text === undefined || kind === "ConfigMap") return text;
    return Buffer.from(text, "base64").toString("utf8");
  };

  const services = await linkedServiceEnv(deps.client, ns, pod.spec.enableServiceLinks !== false);
  const result = new Map<string, string>();
  const lookup = (name: string) => result.get(name) ?? services[name];

  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const kind = from.configMapRef ? "ConfigMap" : "Secret";
    const source = await load(kind, ref.name);
    if (!source) {
      if (ref.optional) continue;
      throw new EnvError(`${kind.toLowerCase()} "${ref.name}" not found`);
    }
    for (const key of Object.keys(source.data ?? {})) {
      const name = (from.prefix ?? "") + key;
      if (!ENV_NAME.test(name)) continue;
      result.set(name, value(kind, source, key) ?? "");
    }
  }

  for (const env of container.env ?? []) {
    const from = env.valueFrom;
    if (!from) {
      result.set(env.name, expand(env.value ?? "", lookup));
      continue;
    }
    const keyRef = from.configMapKeyRef ?? from.secretKeyRef;
    if (keyRef) {
      const kind = from.configMapKeyRef ? "ConfigMap" : "Secret";
      const source = await load(kind, keyRef.name);
      if (!source) {
        if (keyRef.optional) continue;
        throw new EnvError(`${kind.toLowerCase()} "${keyRef.name}" not found`);
      }
      const v = value(kind, source, keyRef.key);
      if (v === undefined) {
        if (keyRef.optional) continue;
        throw new EnvError(`couldn't find key ${keyRef.key} in ${kind} ${ns}/${keyRef.name}`);
      }
      result.set(env.name, v);
    } else if (from.fieldRef) {
      result.set(env.name, podField(pod, from.fieldRef.fieldPath, deps));
    } else if (from.resourceFieldRef) {
      result.set(env.name, resourceField(pod, container, from.resourceFieldRef, deps));
    }
  }

  for (const [name, v] of Object.entries(services)) if (!result.has(name)) result.set(name, v);
  return [...result].map(([name, v]) => ({ name, value: v }));
}

async function linkedServiceEnv(
  client: Client,
  namespace: string,
  enableServiceLinks: boolean,
): Promise<Record<string, string>> {
  const ref = { apiVersion: "v1", kind: "Service" };
  // Every pod sees the API server's service, whatever its namespace and enableServiceLinks; a service of the same
  // name in the pod's own namespace takes its place.
  const byName = new Map<string, LinkedService>();
  const kubernetes = await client.get<LinkedService>(ref, "default", "kubernetes").catch((error) => {
    if (isNotFound(error)) return undefined;
    throw error;
  });
  if (kubernetes) byName.set("kubernetes", kubernetes);
  if (enableServiceLinks) {
    for (const service of (await client.list<LinkedService>(ref, namespace)).items) {
      byName.set(service.metadata.name, service);
    }
  }
  return serviceEnv([...byName.values()]);
}

/**
 * The value of a downward-API field path (`metadata.name`, `metadata.labels['app']`, `status.podIP`, …).
 *
 * @example
 * ```ts
 * podField(pod, "metadata.labels['app']", deps); // "web"
 * ```
 */
export function podField(pod: Pod, path: string, deps: Pick<EnvDeps, "nodeName" | "nodeIP" | "podIPs">): string {
  const mapKey = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (mapKey) return (pod.metadata[mapKey[1] as "labels" | "annotations"] ?? {})[mapKey[2]] ?? "";
  switch (path) {
    case "metadata.name":
      return pod.metadata.name;
    case "metadata.namespace":
      return pod.metadata.namespace;
    case "metadata.uid":
      return pod.metadata.uid;
    case "metadata.labels":
    case "metadata.annotations":
      return Object.entries(pod.metadata[path.slice(9) as "labels" | "annotations"] ?? {})
        .sort(([a], [b]) => a < b ? -1 : 1)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join("\n");
    case "spec.nodeName":
      return pod.spec.nodeName ?? deps.nodeName;
    case "spec.serviceAccountName":
      return pod.spec.serviceAccountName ?? "";
    case "status.hostIP":
      return deps.nodeIP;
    case "status.hostIPs":
      return deps.nodeIP;
    case "status.podIP":
      return deps.podIPs[0] ?? "";
    case "status.podIPs":
      return deps.podIPs.join(",");
  }
  throw new EnvError(`unsupported fieldPath: ${path}`);
}

/**
 * A `resourceFieldRef`'s value: the container's request or limit in units of the divisor, rounded up; a limit that
 * is not set is the node's allocatable amount.
 *
 * @example
 * ```ts
 * resourceField(pod, container, { resource: "limits.memory", divisor: "1Mi" }, deps); // "16"
 * ```
 */
export function resourceField(
  pod: Pod,
  container: Container,
  ref: { containerName?: string; resource: string; divisor?: string | number },
  deps: Pick<EnvDeps, "nodeAllocatable">,
): string {
  const target = ref.containerName
    ? [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((c) => c.name === ref.containerName)
    : container;
  if (!target) throw new EnvError(`container ${ref.containerName} not found in pod ${pod.metadata.name}`);
  const [kind, resource] = ref.resource.split(".") as ["limits" | "requests", string];
  const known = resource === "cpu" || resource === "memory" || resource === "ephemeral-storage" ||
    resource?.startsWith("hugepages-");
  if ((kind !== "limits" && kind !== "requests") || !known) {
    throw new EnvError(`unsupported container resource : ${ref.resource}`);
  }
  const set = target.resources?.[kind]?.[resource] ??
    (kind === "requests" ? target.resources?.limits?.[resource] : undefined);
  const cpu = resource === "cpu";
  let amount: number; // in milli-units for CPU, units otherwise
  if (set !== undefined) amount = quantityValue(set, cpu);
  else if (kind === "limits" && deps.nodeAllocatable && (cpu || resource === "memory")) {
    amount = cpu ? deps.nodeAllocatable.cpu * 1000 : deps.nodeAllocatable.memory;
  } else amount = 0;
  const divisor = quantityValue(ref.divisor ?? 1, cpu) || (cpu ? 1000 : 1);
  return String(Math.ceil(amount / divisor));
}
