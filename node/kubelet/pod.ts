/**
 * The parts of a `v1.Pod` the kubelet reads, typed loosely: the API hands it plain JSON and only the fields below
 * drive what runs on the node.
 *
 * @module
 */
import type { PodStatus } from "../pod_status.ts";

/** `v1.ExecAction` / `HTTPGetAction` / `TCPSocketAction` / `GRPCAction` / `SleepAction` (probes and hooks). */
export interface Handler {
  exec?: { command?: string[] };
  httpGet?: {
    path?: string;
    port: number | string;
    host?: string;
    scheme?: string;
    httpHeaders?: { name: string; value: string }[];
  };
  tcpSocket?: { port: number | string; host?: string };
  grpc?: { port: number; service?: string };
  sleep?: { seconds: number };
}

/** `v1.Probe`. */
export interface Probe extends Handler {
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

/** `v1.EnvVar`. */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    fieldRef?: { fieldPath: string; apiVersion?: string };
    resourceFieldRef?: { containerName?: string; resource: string; divisor?: string | number };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    secretKeyRef?: { name: string; key: string; optional?: boolean };
  };
}

/** `v1.VolumeMount`. */
export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
  subPathExpr?: string;
  mountPropagation?: string;
}

/** `v1.Container`. */
export interface Container {
  name: string;
  image?: string;
  imagePullPolicy?: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: {
    prefix?: string;
    configMapRef?: { name: string; optional?: boolean };
    secretRef?: { name: string; optional?: boolean };
  }[];
  ports?: { name?: string; containerPort: number; hostPort?: number; hostIP?: string; protocol?: string }[];
  resources?: { limits?: Record<string, string | number>; requests?: Record<string, string | number> };
  volumeMounts?: VolumeMount[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { postStart?: Handler; preStop?: Handler };
  terminationMessagePath?: string;
  terminationMessagePolicy?: string;
  restartPolicy?: string;
  securityContext?: SecurityContext;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
}

/** `v1.SecurityContext` (the container's) with the pod-level fields it inherits. */
export interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  supplementalGroups?: number[];
  fsGroup?: number;
  sysctls?: { name: string; value: string }[];
}

/** `v1.Volume`: one source is set. */
export interface Volume {
  name: string;
  [source: string]: unknown;
}

/** `v1.Pod`. */
export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
    deletionGracePeriodSeconds?: number;
    [field: string]: unknown;
  };
  spec: {
    nodeName?: string;
    hostNetwork?: boolean;
    hostPID?: boolean;
    hostIPC?: boolean;
    hostname?: string;
    subdomain?: string;
    dnsPolicy?: string;
    dnsConfig?: { nameservers?: string[]; searches?: string[]; options?: { name: string; value?: string }[] };
    hostAliases?: { ip: string; hostnames?: string[] }[];
    restartPolicy?: string;
    terminationGracePeriodSeconds?: number;
    activeDeadlineSeconds?: number;
    serviceAccountName?: string;
    automountServiceAccountToken?: boolean;
    enableServiceLinks?: boolean;
    securityContext?: SecurityContext;
    containers: Container[];
    initContainers?: Container[];
    volumes?: Volume[];
    readinessGates?: { conditionType: string }[];
    [field: string]: unknown;
  };
  status?: PodStatus;
}

/**
 * `namespace/name` of a pod, as kubelet logs name it.
 *
 * @example
 * ```ts
 * podKey({ metadata: { namespace: "default", name: "web" } } as Pod); // "default/web"
 * ```
 */
export function podKey(pod: Pick<Pod, "metadata">): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

/**
 * Whether an init container is a sidecar (a restartable init container, `restartPolicy: Always`).
 *
 * @example
 * ```ts
 * isSidecar({ name: "proxy", restartPolicy: "Always" }); // true
 * ```
 */
export function isSidecar(container: Container): boolean {
  return container.restartPolicy === "Always";
}
