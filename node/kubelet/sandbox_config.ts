/**
 * The CRI sandbox a pod runs in, as the kubelet's `generatePodSandboxConfig` builds it: the pod's identity labels,
 * hostname, DNS (by `dnsPolicy`), host ports, log directory, cgroup parent and namespaces.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { DNSConfig, PodSandboxConfig, PortMapping, Protocol } from "../cri/mod.ts";
import type { Pod } from "./pod.ts";
import { type CgroupDriver, podCgroupParent } from "./resources.ts";

/** The CRI labels naming a pod (upstream's `io.kubernetes.pod.*`). */
export const POD_NAME_LABEL = "io.kubernetes.pod.name";
export const POD_NAMESPACE_LABEL = "io.kubernetes.pod.namespace";
export const POD_UID_LABEL = "io.kubernetes.pod.uid";
/** The CRI label naming a container within its pod. */
export const CONTAINER_NAME_LABEL = "io.kubernetes.container.name";
/** The CRI annotation carrying a container's restart count. */
export const RESTART_COUNT_ANNOTATION = "io.kubernetes.container.restartCount";

/** What the node contributes to sandboxes. */
export interface SandboxSettings {
  podLogsDir: string;
  cgroupDriver: CgroupDriver;
  clusterDNS: string[];
  clusterDomain: string;
  /** The node's resolv.conf (for `dnsPolicy: Default` and host-network pods). */
  resolvConf: string;
}

/**
 * The pod's log directory: `<podLogsDir>/<namespace>_<name>_<uid>`.
 *
 * @example
 * ```ts
 * podLogDirectory("/var/log/pods", pod); // "/var/log/pods/default_web_0f…"
 * ```
 */
export function podLogDirectory(podLogsDir: string, pod: Pod): string {
  return join(podLogsDir, `${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`);
}

/**
 * The pod's identity labels (sandbox and containers carry them).
 *
 * @example
 * ```ts
 * podLabels(pod)["io.kubernetes.pod.uid"]; // pod.metadata.uid
 * ```
 */
export function podLabels(pod: Pod): Record<string, string> {
  return {
    [POD_NAME_LABEL]: pod.metadata.name,
    [POD_NAMESPACE_LABEL]: pod.metadata.namespace,
    [POD_UID_LABEL]: pod.metadata.uid,
  };
}

/**
 * The sandbox config of `pod`, attempt `attempt`.
 *
 * @example
 * ```ts
 * const id = await runtime.runPodSandbox(sandboxConfig(pod, 0, settings));
 * ```
 */
export function sandboxConfig(pod: Pod, attempt: number, settings: SandboxSettings): PodSandboxConfig {
  const spec = pod.spec;
  const portMappings: PortMapping[] = [];
  for (const container of spec.containers) {
    for (const port of container.ports ?? []) {
      if (!port.hostPort) continue;
      portMappings.push({
        protocol: (port.protocol ?? "TCP") as Protocol,
        container_port: port.containerPort,
        host_port: port.hostPort,
        host_ip: port.hostIP ?? "",
      });
    }
  }
  const hostNetwork = spec.hostNetwork ?? false;
  const runAsUser = spec.securityContext?.runAsUser;
  const runAsGroup = spec.securityContext?.runAsGroup;
  return {
    metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid, attempt },
    // A host-network pod keeps the node's UTS namespace: the runtime refuses a hostname there.
    hostname: hostNetwork ? "" : podHostname(pod),
    log_directory: podLogDirectory(settings.podLogsDir, pod),
    dns_config: dnsConfig(pod, settings),
    port_mappings: portMappings,
    labels: { ...podLabels(pod), ...(pod.metadata.labels ?? {}) },
    annotations: pod.metadata.annotations ?? {},
    linux: {
      cgroup_parent: podCgroupParent(pod, settings.cgroupDriver),
      sysctls: Object.fromEntries((spec.securityContext?.sysctls ?? []).map((s) => [s.name, s.value])),
      security_context: {
        namespace_options: {
          network: hostNetwork ? "NODE" : "POD",
          pid: spec.hostPID ? "NODE" : "CONTAINER",
          ipc: spec.hostIPC ? "NODE" : "POD",
        },
        ...(runAsUser !== undefined ? { run_as_user: { value: runAsUser } } : {}),
        ...(runAsGroup !== undefined ? { run_as_group: { value: runAsGroup } } : {}),
        supplemental_groups: [
          ...(spec.securityContext?.fsGroup !== undefined ? [spec.securityContext.fsGroup] : []),
          ...(spec.securityContext?.supplementalGroups ?? []),
        ],
      },
    },
  };
}

/** `spec.hostname`, else the pod name cut to a valid hostname (63 characters, no trailing dot or dash). */
function podHostname(pod: Pod): string {
  const name = pod.spec.hostname ?? pod.metadata.name;
  return name.length <= 63 ? name : name.slice(0, 63).replace(/[-.]+$/, "");
}

/** The kubelet's `GetPodDNS`: the resolver a container gets, by `dnsPolicy`. */
function dnsConfig(pod: Pod, settings: SandboxSettings): DNSConfig {
  const policy = pod.spec.dnsPolicy ?? "ClusterFirst";
  const host = hostResolver(settings.resolvConf);
  let config: DNSConfig;
  const clusterFirst = policy === "ClusterFirst" && !pod.spec.hostNetwork || policy === "ClusterFirstWithHostNet";
  if (policy === "None") config = { servers: [], searches: [], options: [] };
  else if (clusterFirst && settings.clusterDNS.length > 0) {
    const ns = pod.metadata.namespace;
    const domain = settings.clusterDomain;
    config = {
      servers: [...settings.clusterDNS],
      searches: [`${ns}.svc.${domain}`, `svc.${domain}`, domain, ...(host.searches ?? [])],
      options: ["ndots:5"],
    };
  } else config = host;
  const extra = pod.spec.dnsConfig;
  if (extra) {
    config.servers = [...new Set([...(config.servers ?? []), ...(extra.nameservers ?? [])])];
    config.searches = [...new Set([...(config.searches ?? []), ...(extra.searches ?? [])])];
    const options = new Map((config.options ?? []).map((o) => [o.split(":")[0], o]));
    for (const o of extra.options ?? []) options.set(o.name, o.value !== undefined ? `${o.name}:${o.value}` : o.name);
    config.options = [...options.values()];
  }
  // glibc reads at most 3 nameservers and 32 search domains.
  config.servers = (config.servers ?? []).slice(0, 3);
  config.searches = (config.searches ?? []).slice(0, 32);
  return config;
}

function hostResolver(path: string): DNSConfig {
  let text = "";
  try {
    text = readFileSync(path, "utf8");
  } catch {
    // No resolv.conf: containers get none either.
  }
  const servers: string[] = [];
  const searches: string[] = [];
  const options: string[] = [];
  for (const line of text.split("\n")) {
    const [key, ...values] = line.trim().split(/\s+/);
    if (key === "nameserver" && values[0]) servers.push(values[0]);
    else if (key === "search") searches.splice(0, searches.length, ...values);
    else if (key === "options") options.push(...values);
  }
  return { servers, searches, options };
}
