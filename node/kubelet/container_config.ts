/**
 * The CRI config of one container start, as the kubelet's `generateContainerConfig` builds it: command and args with
 * `$(VAR)` expanded, the environment, mounts (volumes, the managed `/etc/hosts`, the termination-message file),
 * resources, the security context, and its labels and log path.
 *
 * @module
 */
import type { ContainerConfig, KeyValue, LinuxContainerSecurityContext, Mount } from "../cri/mod.ts";
import { expand } from "../env/mod.ts";
import type { Container, Pod, SecurityContext } from "./pod.ts";
import { CONTAINER_NAME_LABEL, podLabels, RESTART_COUNT_ANNOTATION } from "./sandbox_config.ts";
import { containerResources } from "./resources.ts";

/** The default `terminationMessagePath`. */
export const TERMINATION_MESSAGE_PATH = "/dev/termination-log";

/** What a container start is made of besides the spec. */
export interface ContainerInputs {
  attempt: number;
  imageRef: string;
  env: { name: string; value: string }[];
  volumeMounts: Mount[];
  /** The managed hosts file, mounted at /etc/hosts unless a volume is. */
  etcHosts?: string;
  /** The host file behind `terminationMessagePath`. */
  terminationMessageFile: string;
  memoryCapacity: number;
}

/**
 * The container's log path, relative to the sandbox's log directory: `<name>/<attempt>.log`.
 *
 * @example
 * ```ts
 * containerLogPath("web", 2); // "web/2.log"
 * ```
 */
export function containerLogPath(name: string, attempt: number): string {
  return `${name}/${attempt}.log`;
}

/**
 * The CRI config.
 *
 * @example
 * ```ts
 * const id = await runtime.createContainer(sandboxId, containerConfig(pod, container, inputs), sandbox);
 * ```
 */
export function containerConfig(pod: Pod, container: Container, inputs: ContainerInputs): ContainerConfig {
  const env = new Map(inputs.env.map((e) => [e.name, e.value]));
  const lookup = (name: string) => env.get(name);
  const envs: KeyValue[] = inputs.env.map((e) => ({ key: e.name, value: e.value }));
  const mounts = [...inputs.volumeMounts];
  const mounted = new Set(mounts.map((m) => m.container_path));
  if (inputs.etcHosts && !mounted.has("/etc/hosts")) {
    mounts.push({ container_path: "/etc/hosts", host_path: inputs.etcHosts });
  }
  const terminationPath = container.terminationMessagePath ?? TERMINATION_MESSAGE_PATH;
  if (!mounted.has(terminationPath)) {
    mounts.push({ container_path: terminationPath, host_path: inputs.terminationMessageFile });
  }
  return {
    metadata: { name: container.name, attempt: inputs.attempt },
    image: { image: inputs.imageRef, user_specified_image: container.image },
    command: container.command?.map((c) => expand(c, lookup)),
    args: container.args?.map((a) => expand(a, lookup)),
    working_dir: container.workingDir ?? "",
    envs,
    mounts,
    labels: { ...podLabels(pod), [CONTAINER_NAME_LABEL]: container.name },
    annotations: {
      [RESTART_COUNT_ANNOTATION]: String(inputs.attempt),
      "io.kubernetes.container.terminationMessagePath": terminationPath,
      "io.kubernetes.pod.terminationGracePeriod": String(pod.spec.terminationGracePeriodSeconds ?? 30),
    },
    log_path: containerLogPath(container.name, inputs.attempt),
    stdin: container.stdin ?? false,
    stdin_once: container.stdinOnce ?? false,
    tty: container.tty ?? false,
    linux: {
      resources: containerResources(pod, container, inputs.memoryCapacity),
      security_context: securityContext(pod, container),
    },
  };
}

function securityContext(pod: Pod, container: Container): LinuxContainerSecurityContext {
  const podContext: SecurityContext = pod.spec.securityContext ?? {};
  const own: SecurityContext = container.securityContext ?? {};
  const runAsUser = own.runAsUser ?? podContext.runAsUser;
  const runAsGroup = own.runAsGroup ?? podContext.runAsGroup;
  const capability = (names?: string[]) =>
    (names ?? []).map((n) => n.toUpperCase().startsWith("CAP_") ? n : `CAP_${n}`);
  return {
    privileged: own.privileged ?? false,
    capabilities: {
      add_capabilities: capability(own.capabilities?.add),
      drop_capabilities: capability(own.capabilities?.drop),
    },
    ...(runAsUser !== undefined ? { run_as_user: { value: runAsUser } } : {}),
    ...(runAsGroup !== undefined ? { run_as_group: { value: runAsGroup } } : {}),
    readonly_rootfs: own.readOnlyRootFilesystem ?? false,
    no_new_privs: own.allowPrivilegeEscalation === false,
    supplemental_groups: [
      ...(podContext.fsGroup !== undefined ? [podContext.fsGroup] : []),
      ...(podContext.supplementalGroups ?? []),
    ],
    namespace_options: {
      network: pod.spec.hostNetwork ? "NODE" : "POD",
      pid: pod.spec.hostPID ? "NODE" : "CONTAINER",
      ipc: pod.spec.hostIPC ? "NODE" : "POD",
    },
  };
}

/**
 * The managed `/etc/hosts` of a pod with its own network: localhost entries, the pod's IP with its hostname (and
 * FQDN with a subdomain), then `hostAliases`.
 *
 * @example
 * ```ts
 * etcHostsContent(pod, "10.42.0.5", "cluster.local");
 * ```
 */
export function etcHostsContent(pod: Pod, podIP: string, clusterDomain: string): string {
  const hostname = pod.spec.hostname ?? pod.metadata.name;
  const names = pod.spec.subdomain
    ? `${hostname}.${pod.spec.subdomain}.${pod.metadata.namespace}.svc.${clusterDomain}\t${hostname}`
    : hostname;
  const lines = [
    "# Kubernetes-managed hosts file.",
    "127.0.0.1\tlocalhost",
    "::1\tlocalhost ip6-localhost ip6-loopback",
    "fe00::0\tip6-localnet",
    "fe00::0\tip6-mcastprefix",
    "fe00::1\tip6-allnodes",
    "fe00::2\tip6-allrouters",
    ...(podIP ? [`${podIP}\t${names}`] : []),
  ];
  const aliases = pod.spec.hostAliases ?? [];
  if (aliases.length) {
    lines.push("", "# Entries added by HostAliases.");
    for (const alias of aliases) lines.push(`${alias.ip}\t${(alias.hostnames ?? []).join("\t")}`);
  }
  return lines.join("\n") + "\n";
}
