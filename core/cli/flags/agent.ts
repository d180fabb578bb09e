/**
 * `k3s agent`'s flags (K3s 1.32, `pkg/cli/cmds/agent.go` and `docs/cli/agent.md`). The node
 * settings are shared with `k3s server`, which also runs an agent; those the node agent honours are
 * marked implemented.
 *
 * @module
 */
import type { FlagSpec } from "../flag.ts";
import { COMMON_FLAGS } from "./common.ts";

/** The node settings both `k3s server` and `k3s agent` act on (commander's camelCase of each flag). */
export interface NodeFlags {
  nodeName?: string;
  nodeLabel: string[];
  nodeTaint: string[];
  nodeIp: string[];
  containerRuntimeEndpoint?: string;
  pauseImage: string;
  resolvConf?: string;
  kubeletArg: string[];
}

/** The parsed `k3s agent` options this distribution acts on. */
export interface AgentFlags extends NodeFlags {
  debug: boolean;
  server?: string;
  token?: string;
  tokenFile?: string;
  dataDir: string;
  /** `--lb-server-port`: where the agent's client load balancer over the servers listens on 127.0.0.1. */
  lbServerPort: number;
}

/** The node settings the agent honours. */
const IMPLEMENTED = new Set([
  "token",
  "token-file",
  "server",
  "data-dir",
  "node-name",
  "node-label",
  "node-taint",
  "container-runtime-endpoint",
  "pause-image",
  "node-ip",
  "resolv-conf",
  "kubelet-arg",
  // A server's agent runs in-process and reaches its own API directly, so there the port is accepted and unused.
  "lb-server-port",
]);

const node = (spec: Omit<FlagSpec, "implemented">): FlagSpec => ({ ...spec, implemented: IMPLEMENTED.has(spec.name) });

/** The node flags `k3s server` accepts too, keyed by name so each command lists them in K3s's order. */
export const NODE_FLAGS: Readonly<Record<string, FlagSpec>> = Object.fromEntries([
  node({ name: "node-name", usage: "(agent/node) Node name", env: "K3S_NODE_NAME", type: "string" }),
  node({ name: "with-node-id", usage: "(agent/node) Append id to node name", type: "bool" }),
  node({ name: "node-label", usage: "(agent/node) Registering and starting kubelet with set of labels", type: "list" }),
  node({ name: "node-taint", usage: "(agent/node) Registering kubelet with set of taints", type: "list" }),
  node({
    name: "image-credential-provider-bin-dir",
    usage: "(agent/node) The path to the directory where credential provider plugin binaries are located",
    type: "string",
    default: "/var/lib/rancher/credentialprovider/bin",
  }),
  node({
    name: "image-credential-provider-config",
    usage: "(agent/node) The path to the credential provider plugin config file",
    type: "string",
    default: "/var/lib/rancher/credentialprovider/config.yaml",
  }),
  node({ name: "selinux", usage: "(agent/node) Enable SELinux in containerd", env: "K3S_SELINUX", type: "bool" }),
  node({
    name: "lb-server-port",
    usage: "(agent/node) Local port for supervisor client load-balancer. If the supervisor and apiserver are not " +
      "colocated an additional port 1 less than this port will also be used for the apiserver client load-balancer.",
    env: "K3S_LB_SERVER_PORT",
    type: "int",
    default: 6444,
  }),
  node({
    name: "protect-kernel-defaults",
    usage: "(agent/node) Kernel tuning behavior. If set, error if kernel tunables are different than kubelet defaults.",
    type: "bool",
  }),
  node({
    name: "container-runtime-endpoint",
    usage: "(agent/runtime) Disable embedded containerd and use the CRI socket at the given path; " +
      "when used with --docker this sets the docker socket path",
    type: "string",
  }),
  node({ name: "default-runtime", usage: "(agent/runtime) Set the default runtime in containerd", type: "string" }),
  node({
    name: "image-service-endpoint",
    usage: "(agent/runtime) Disable embedded containerd image service and use remote image service socket at the " +
      "given path. If not specified, defaults to --container-runtime-endpoint.",
    type: "string",
  }),
  node({
    name: "pause-image",
    usage: "(agent/runtime) Customized pause image for containerd or docker sandbox",
    type: "string",
    default: "rancher/mirrored-pause:3.6",
  }),
  node({
    name: "snapshotter",
    usage: "(agent/runtime) Override default containerd snapshotter",
    type: "string",
    default: "overlayfs",
  }),
  node({
    name: "private-registry",
    usage: "(agent/runtime) Private registry configuration file",
    type: "string",
    default: "/etc/rancher/k3s/registries.yaml",
  }),
  node({
    name: "disable-default-registry-endpoint",
    usage: "(agent/containerd) Disables containerd fallback default registry endpoint when a mirror is configured " +
      "for that registry",
    type: "bool",
  }),
  node({
    name: "nonroot-devices",
    usage: "(agent/containerd) Allows non-root pods to access devices by setting " +
      "device_ownership_from_security_context=true in the containerd CRI config",
    type: "bool",
  }),
  node({
    name: "node-ip",
    short: "i",
    usage: "(agent/networking) IPv4/IPv6 addresses to advertise for node",
    type: "list",
    commaSeparated: true,
  }),
  node({
    name: "node-external-ip",
    usage: "(agent/networking) IPv4/IPv6 external IP addresses to advertise for node",
    type: "list",
    commaSeparated: true,
  }),
  node({
    name: "node-internal-dns",
    usage: "(agent/networking) internal DNS addresses to advertise for node",
    type: "list",
    commaSeparated: true,
  }),
  node({
    name: "node-external-dns",
    usage: "(agent/networking) external DNS addresses to advertise for node",
    type: "list",
    commaSeparated: true,
  }),
  node({
    name: "resolv-conf",
    usage: "(agent/networking) Kubelet resolv.conf file",
    env: "K3S_RESOLV_CONF",
    type: "string",
  }),
  node({ name: "flannel-iface", usage: "(agent/networking) Override default flannel interface", type: "string" }),
  node({ name: "flannel-conf", usage: "(agent/networking) Override default flannel config file", type: "string" }),
  node({
    name: "flannel-cni-conf",
    usage: "(agent/networking) Override default flannel cni config file",
    type: "string",
  }),
  node({
    name: "vpn-auth",
    usage: "(agent/networking) (experimental) Credentials for the VPN provider. It must include the provider name " +
      "and join key in the format name=<vpn-provider>,joinKey=<key>[,controlServerURL=<url>][,extraArgs=<args>]",
    env: "K3S_VPN_AUTH",
    type: "string",
  }),
  node({
    name: "vpn-auth-file",
    usage: "(agent/networking) (experimental) File containing credentials for the VPN provider. It must include the " +
      "provider name and join key in the format name=<vpn-provider>,joinKey=<key>[,controlServerURL=<url>]" +
      "[,extraArgs=<args>]",
    env: "K3S_VPN_AUTH_FILE",
    type: "string",
  }),
  node({ name: "kubelet-arg", usage: "(agent/flags) Customized flag for kubelet process", type: "list" }),
  node({ name: "kube-proxy-arg", usage: "(agent/flags) Customized flag for kube-proxy process", type: "list" }),
  node({ name: "enable-pprof", usage: "(experimental) Enable pprof endpoint on supervisor port", type: "bool" }),
  node({ name: "rootless", usage: "(experimental) Run rootless", type: "bool" }),
  node({
    name: "prefer-bundled-bin",
    usage: "(experimental) Prefer bundled userspace binaries over host binaries",
    type: "bool",
  }),
  node({ name: "docker", usage: "(agent/runtime) (experimental) Use cri-dockerd instead of containerd", type: "bool" }),
].map((spec) => [spec.name, spec]));

const pick = (...names: string[]): FlagSpec[] => names.map((name) => NODE_FLAGS[name]);

/** Every flag of `k3s agent`, in the order its `--help` lists them. */
export const AGENT_FLAGS: readonly FlagSpec[] = [
  ...COMMON_FLAGS,
  node({
    name: "token",
    short: "t",
    usage: "(cluster) Token to use for authentication",
    env: "K3S_TOKEN",
    type: "string",
  }),
  node({
    name: "token-file",
    usage: "(cluster) Token file to use for authentication",
    env: "K3S_TOKEN_FILE",
    type: "string",
  }),
  node({ name: "server", short: "s", usage: "(cluster) Server to connect to", env: "K3S_URL", type: "string" }),
  node({
    name: "data-dir",
    short: "d",
    usage: "(agent/data) Folder to hold state",
    env: "K3S_DATA_DIR",
    type: "string",
    default: "/var/lib/rancher/k3s",
  }),
  ...pick("node-name", "with-node-id", "node-label", "node-taint"),
  ...pick("image-credential-provider-bin-dir", "image-credential-provider-config", "selinux", "lb-server-port"),
  ...pick("protect-kernel-defaults", "container-runtime-endpoint", "default-runtime", "image-service-endpoint"),
  ...pick("pause-image", "snapshotter", "private-registry", "disable-default-registry-endpoint", "nonroot-devices"),
  ...pick("node-ip"),
  node({ name: "bind-address", usage: "(listener) k3s bind address", type: "string", default: "0.0.0.0" }),
  ...pick("node-external-ip", "node-internal-dns", "node-external-dns", "resolv-conf"),
  ...pick("flannel-iface", "flannel-conf", "flannel-cni-conf", "kubelet-arg", "kube-proxy-arg"),
  ...pick("enable-pprof", "rootless", "prefer-bundled-bin", "docker", "vpn-auth", "vpn-auth-file"),
  node({
    name: "disable-apiserver-lb",
    usage: "(agent/networking) (experimental) Disable the agent client-side load-balancer and connect directly to " +
      "the configured server address",
    type: "bool",
  }),
];
