/**
 * The CRI v1 messages as the client sends and receives them: field names as in the protocol
 * (snake_case), enums as their names, 64-bit integers as numbers (nanosecond timestamps keep about
 * quarter-microsecond precision, which no caller needs finer), `bytes` as `Uint8Array`. What the client
 * sends has optional fields (proto3 leaves unset ones at their zero value); what it receives has every
 * scalar, list and map filled in, and unset messages as `null`.
 *
 * @module
 */

/** `runtime.v1.Protocol`. */
export type Protocol = "TCP" | "UDP" | "SCTP";
/** `runtime.v1.MountPropagation`. */
export type MountPropagation = "PROPAGATION_PRIVATE" | "PROPAGATION_HOST_TO_CONTAINER" | "PROPAGATION_BIDIRECTIONAL";
/** `runtime.v1.NamespaceMode`: POD shares the sandbox's, NODE the host's. */
export type NamespaceMode = "POD" | "CONTAINER" | "NODE" | "TARGET";
/** `runtime.v1.PodSandboxState`. */
export type PodSandboxState = "SANDBOX_READY" | "SANDBOX_NOTREADY";
/** `runtime.v1.ContainerState`. */
export type ContainerState = "CONTAINER_CREATED" | "CONTAINER_RUNNING" | "CONTAINER_EXITED" | "CONTAINER_UNKNOWN";

/** `runtime.v1.IDMapping`. */
export interface IDMapping {
  host_id: number;
  container_id: number;
  length: number;
}

/** `runtime.v1.ImageSpec`: an image reference (a tag, a digest or an image ID). */
export interface ImageSpec {
  image: string;
  annotations?: Record<string, string>;
  user_specified_image?: string;
  runtime_handler?: string;
}

/** `runtime.v1.KeyValue` (an environment variable). */
export interface KeyValue {
  key: string;
  value: string;
}

/** `runtime.v1.Mount`. */
export interface Mount {
  container_path: string;
  host_path: string;
  readonly?: boolean;
  selinux_relabel?: boolean;
  propagation?: MountPropagation;
  uidMappings?: IDMapping[];
  gidMappings?: IDMapping[];
  recursive_read_only?: boolean;
  image?: ImageSpec | null;
}

/** `runtime.v1.Device`. */
export interface Device {
  container_path: string;
  host_path: string;
  permissions: string;
}

/** `runtime.v1.PortMapping`. */
export interface PortMapping {
  protocol?: Protocol;
  container_port: number;
  host_port?: number;
  host_ip?: string;
}

/** `runtime.v1.DNSConfig`. */
export interface DNSConfig {
  servers?: string[];
  searches?: string[];
  options?: string[];
}

/** `runtime.v1.NamespaceOption`. */
export interface NamespaceOption {
  network?: NamespaceMode;
  pid?: NamespaceMode;
  ipc?: NamespaceMode;
  target_id?: string;
  userns_options?: { mode?: NamespaceMode; uids?: IDMapping[]; gids?: IDMapping[] } | null;
}

/** `runtime.v1.Int64Value`: an int64 that can be unset (as opposed to zero). */
export interface Int64Value {
  value: number;
}

/** `runtime.v1.UInt64Value`. */
export interface UInt64Value {
  value: number;
}

/** `runtime.v1.SELinuxOption`. */
export interface SELinuxOption {
  user?: string;
  role?: string;
  type?: string;
  level?: string;
}

/** `runtime.v1.SecurityProfile` (seccomp, AppArmor). */
export interface SecurityProfile {
  profile_type?: "RuntimeDefault" | "Unconfined" | "Localhost";
  localhost_ref?: string;
}

/** `runtime.v1.LinuxSandboxSecurityContext`. */
export interface LinuxSandboxSecurityContext {
  namespace_options?: NamespaceOption;
  selinux_options?: SELinuxOption;
  run_as_user?: Int64Value;
  run_as_group?: Int64Value;
  readonly_rootfs?: boolean;
  supplemental_groups?: number[];
  supplemental_groups_policy?: "Merge" | "Strict";
  privileged?: boolean;
  seccomp?: SecurityProfile;
  apparmor?: SecurityProfile;
}

/** `runtime.v1.LinuxContainerResources`: what becomes the cgroup's limits. */
export interface LinuxContainerResources {
  cpu_period?: number;
  cpu_quota?: number;
  cpu_shares?: number;
  memory_limit_in_bytes?: number;
  oom_score_adj?: number;
  cpuset_cpus?: string;
  cpuset_mems?: string;
  hugepage_limits?: { page_size: string; limit: number }[];
  unified?: Record<string, string>;
  memory_swap_limit_in_bytes?: number;
}

/** `runtime.v1.LinuxPodSandboxConfig`. */
export interface LinuxPodSandboxConfig {
  cgroup_parent?: string;
  security_context?: LinuxSandboxSecurityContext;
  sysctls?: Record<string, string>;
  overhead?: LinuxContainerResources;
  resources?: LinuxContainerResources;
}

/** `runtime.v1.PodSandboxMetadata`: which pod a sandbox is for. */
export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt?: number;
}

/** `runtime.v1.PodSandboxConfig`: what RunPodSandbox (and CreateContainer) is given. */
export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  log_directory?: string;
  dns_config?: DNSConfig;
  port_mappings?: PortMapping[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  linux?: LinuxPodSandboxConfig;
}

/** `runtime.v1.Capability`. */
export interface Capability {
  add_capabilities?: string[];
  drop_capabilities?: string[];
  add_ambient_capabilities?: string[];
}

/** `runtime.v1.LinuxContainerSecurityContext`. */
export interface LinuxContainerSecurityContext {
  capabilities?: Capability;
  privileged?: boolean;
  namespace_options?: NamespaceOption;
  selinux_options?: SELinuxOption;
  run_as_user?: Int64Value;
  run_as_group?: Int64Value;
  run_as_username?: string;
  readonly_rootfs?: boolean;
  supplemental_groups?: number[];
  supplemental_groups_policy?: "Merge" | "Strict";
  no_new_privs?: boolean;
  masked_paths?: string[];
  readonly_paths?: string[];
  seccomp?: SecurityProfile;
  apparmor?: SecurityProfile;
}

/** `runtime.v1.ContainerMetadata`. */
export interface ContainerMetadata {
  name: string;
  attempt?: number;
}

/** `runtime.v1.ContainerConfig`: what CreateContainer is given. */
export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: ImageSpec;
  command?: string[];
  args?: string[];
  working_dir?: string;
  envs?: KeyValue[];
  mounts?: Mount[];
  devices?: Device[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Relative to the sandbox's `log_directory`. */
  log_path?: string;
  stdin?: boolean;
  stdin_once?: boolean;
  tty?: boolean;
  linux?: { resources?: LinuxContainerResources; security_context?: LinuxContainerSecurityContext };
}

/** `runtime.v1.VersionResponse`. */
export interface VersionResponse {
  version: string;
  runtime_name: string;
  runtime_version: string;
  runtime_api_version: string;
}

/** `runtime.v1.RuntimeCondition`: `RuntimeReady` and `NetworkReady` are the ones a kubelet reads. */
export interface RuntimeCondition {
  type: string;
  status: boolean;
  reason: string;
  message: string;
}

/** `runtime.v1.StatusResponse`. */
export interface StatusResponse {
  status: { conditions: RuntimeCondition[] } | null;
  info: Record<string, string>;
  runtime_handlers: {
    name: string;
    features: { recursive_read_only_mounts: boolean; user_namespaces: boolean } | null;
  }[];
  features: { supplemental_groups_policy: boolean } | null;
}

/** `runtime.v1.PodSandboxStatus`. */
export interface PodSandboxStatus {
  id: string;
  metadata: Required<PodSandboxMetadata> | null;
  state: PodSandboxState;
  created_at: number;
  network: { ip: string; additional_ips: { ip: string }[] } | null;
  linux: { namespaces: { options: NamespaceOption | null } | null } | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runtime_handler: string;
}

/** `runtime.v1.PodSandboxStatusResponse`. */
export interface PodSandboxStatusResponse {
  status: PodSandboxStatus | null;
  /** Runtime-specific details; only with `verbose`. */
  info: Record<string, string>;
  containers_statuses: ContainerStatus[];
  timestamp: number;
}

/** `runtime.v1.PodSandboxFilter`. */
export interface PodSandboxFilter {
  id?: string;
  state?: { state: PodSandboxState };
  label_selector?: Record<string, string>;
}

/** `runtime.v1.PodSandbox`: an item of ListPodSandbox. */
export interface PodSandbox {
  id: string;
  metadata: Required<PodSandboxMetadata> | null;
  state: PodSandboxState;
  created_at: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runtime_handler: string;
}

/** `runtime.v1.ContainerFilter`. */
export interface ContainerFilter {
  id?: string;
  state?: { state: ContainerState };
  pod_sandbox_id?: string;
  label_selector?: Record<string, string>;
}

/** `runtime.v1.Container`: an item of ListContainers. */
export interface Container {
  id: string;
  pod_sandbox_id: string;
  metadata: Required<ContainerMetadata> | null;
  image: ImageSpec | null;
  image_ref: string;
  state: ContainerState;
  created_at: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  image_id: string;
}

/** `runtime.v1.ContainerStatus`. */
export interface ContainerStatus {
  id: string;
  metadata: Required<ContainerMetadata> | null;
  state: ContainerState;
  /** Nanoseconds since the epoch; 0 when it has not happened. */
  created_at: number;
  started_at: number;
  finished_at: number;
  exit_code: number;
  image: ImageSpec | null;
  image_ref: string;
  /** Why it is in this state, e.g. `Completed`, `Error`, `OOMKilled`. */
  reason: string;
  message: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  mounts: Mount[];
  /** The absolute path of the container's CRI-format log file. */
  log_path: string;
  resources: { linux: LinuxContainerResources | null } | null;
  image_id: string;
  user: { linux: { uid: number; gid: number; supplemental_groups: number[] } | null } | null;
}

/** `runtime.v1.ContainerStatusResponse`. */
export interface ContainerStatusResponse {
  status: ContainerStatus | null;
  info: Record<string, string>;
}

/** `runtime.v1.ExecSyncResponse`. */
export interface ExecSyncResponse {
  stdout: Uint8Array;
  stderr: Uint8Array;
  exit_code: number;
}

/** `runtime.v1.ExecRequest`. */
export interface ExecRequest {
  container_id: string;
  cmd: string[];
  tty?: boolean;
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}

/** `runtime.v1.AttachRequest`. */
export interface AttachRequest {
  container_id: string;
  stdin?: boolean;
  tty?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}

/** `runtime.v1.PortForwardRequest`. */
export interface PortForwardRequest {
  pod_sandbox_id: string;
  port?: number[];
}

/** `runtime.v1.FilesystemUsage`. */
export interface FilesystemUsage {
  timestamp: number;
  fs_id: { mountpoint: string } | null;
  used_bytes: UInt64Value | null;
  inodes_used: UInt64Value | null;
}

/** `runtime.v1.ContainerStats`. */
export interface ContainerStats {
  attributes: {
    id: string;
    metadata: Required<ContainerMetadata> | null;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  } | null;
  cpu: { timestamp: number; usage_core_nano_seconds: UInt64Value | null; usage_nano_cores: UInt64Value | null } | null;
  memory: {
    timestamp: number;
    working_set_bytes: UInt64Value | null;
    available_bytes: UInt64Value | null;
    usage_bytes: UInt64Value | null;
    rss_bytes: UInt64Value | null;
    page_faults: UInt64Value | null;
    major_page_faults: UInt64Value | null;
  } | null;
  writable_layer: FilesystemUsage | null;
  swap: { timestamp: number; swap_available_bytes: UInt64Value | null; swap_usage_bytes: UInt64Value | null } | null;
}

/** `runtime.v1.ContainerStatsFilter`. */
export interface ContainerStatsFilter {
  id?: string;
  pod_sandbox_id?: string;
  label_selector?: Record<string, string>;
}

/** `runtime.v1.Image`. */
export interface Image {
  /** The image ID (`sha256:` of its config). */
  id: string;
  repo_tags: string[];
  repo_digests: string[];
  size: number;
  uid: Int64Value | null;
  username: string;
  spec: ImageSpec | null;
  pinned: boolean;
}

/** `runtime.v1.ImageStatusResponse`: `image` is null when the image is not present. */
export interface ImageStatusResponse {
  image: Image | null;
  info: Record<string, string>;
}

/** `runtime.v1.AuthConfig`: registry credentials for PullImage. */
export interface AuthConfig {
  username?: string;
  password?: string;
  auth?: string;
  server_address?: string;
  identity_token?: string;
  registry_token?: string;
}

/** `runtime.v1.ImageFsInfoResponse`. */
export interface ImageFsInfoResponse {
  image_filesystems: FilesystemUsage[];
  container_filesystems: FilesystemUsage[];
}
