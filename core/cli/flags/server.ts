/**
 * `k3s server`'s flags (K3s 1.32, `pkg/cli/cmds/server.go` and `docs/cli/server.md`), in the order
 * its `--help` lists them, plus this distribution's own `--simulated-nodes`. A server also runs an
 * agent, so it takes the node flags too.
 *
 * @module
 */
import { defaultKubeconfigPath } from "../../kubeconfig/mod.ts";
import { defaultDataDir } from "../../server/paths.ts";
import type { FlagSpec } from "../flag.ts";
import { NODE_FLAGS, type NodeFlags } from "./agent.ts";
import { COMMON_FLAGS } from "./common.ts";
import { parseCount, parseIPv4CIDR, parsePort } from "./values.ts";

/** The parsed `k3s server` options this distribution acts on (commander's camelCase of each flag). */
export interface ServerFlags extends NodeFlags {
  config: string;
  debug: boolean;
  dataDir: string;
  bindAddress: string;
  httpsListenPort: number;
  advertiseAddress?: string;
  tlsSan: string[];
  clusterCidr: string;
  serviceCidr: string;
  serviceNodePortRange: string;
  writeKubeconfig: string;
  writeKubeconfigMode?: string;
  datastoreEndpoint?: string;
  datastoreCafile?: string;
  datastoreCertfile?: string;
  datastoreKeyfile?: string;
  /** `--disable`: packaged components (or manifest basenames) not to deploy, comma lists split. */
  disable: string[];
  disableAgent: boolean;
  clusterDns: string[];
  clusterDomain: string;
  simulatedNodes: number;
  secretsEncryption: boolean;
  disableHelmController: boolean;
  token?: string;
  tokenFile?: string;
  agentToken?: string;
  agentTokenFile?: string;
}

/** The packaged components `--disable` names (K3s's `DisableItems`). */
export const DISABLE_ITEMS: readonly string[] = [
  "coredns",
  "servicelb",
  "traefik",
  "local-storage",
  "metrics-server",
  "runtimes",
];

const later = (spec: Omit<FlagSpec, "implemented">): FlagSpec => ({ ...spec, implemented: false });
const done = (spec: Omit<FlagSpec, "implemented">): FlagSpec => ({ ...spec, implemented: true });
const node = (...names: string[]): FlagSpec[] => names.map((name) => NODE_FLAGS[name]);

/** Every flag of `k3s server`. */
export const SERVER_FLAGS: readonly FlagSpec[] = [
  ...COMMON_FLAGS,
  done({ name: "bind-address", usage: "(listener) k3s bind address", type: "string", default: "0.0.0.0" }),
  done({
    name: "https-listen-port",
    usage: "(listener) HTTPS listen port",
    type: "int",
    default: 6443,
    parse: parsePort,
  }),
  done({
    name: "advertise-address",
    usage: "(listener) IPv4/IPv6 address that apiserver uses to advertise to members of the cluster",
    type: "string",
    defaultText: "node-external-ip/node-ip",
  }),
  later({
    name: "advertise-port",
    usage: "(listener) Port that apiserver uses to advertise to members of the cluster",
    type: "int",
    defaultText: "listen-port",
  }),
  done({
    name: "tls-san",
    usage: "(listener) Add additional hostnames or IPv4/IPv6 addresses as Subject Alternative Names on the server " +
      "TLS cert",
    type: "list",
    commaSeparated: true,
  }),
  later({
    name: "tls-san-security",
    usage: "(listener) Protect the server TLS cert by refusing to add Subject Alternative Names not associated with " +
      "the kubernetes apiserver service, server nodes, or values of the tls-san option",
    type: "bool",
    default: true,
  }),
  done({
    name: "data-dir",
    short: "d",
    usage: "(data) Folder to hold state (/var/lib/rancher/k3s as root, ${HOME}/.rancher/k3s otherwise)",
    env: "K3S_DATA_DIR",
    type: "string",
    default: defaultDataDir(),
  }),
  done({
    name: "cluster-cidr",
    usage: "(networking) IPv4 network CIDR to use for pod IPs",
    type: "string",
    default: "10.42.0.0/16",
    parse: parseIPv4CIDR,
  }),
  done({
    name: "service-cidr",
    usage: "(networking) IPv4 network CIDR to use for service IPs",
    type: "string",
    default: "10.43.0.0/16",
    parse: parseIPv4CIDR,
  }),
  done({
    name: "service-node-port-range",
    usage: "(networking) Port range to reserve for services with NodePort visibility",
    type: "string",
    default: "30000-32767",
  }),
  done({
    name: "cluster-dns",
    usage: "(networking) IPv4 Cluster IP for coredns service. Should be in your service-cidr range",
    type: "list",
    commaSeparated: true,
    defaultText: "10.43.0.10",
  }),
  done({ name: "cluster-domain", usage: "(networking) Cluster Domain", type: "string", default: "cluster.local" }),
  later({
    name: "flannel-backend",
    usage: "(networking) Backend (valid values: 'none', 'vxlan', 'host-gw', 'wireguard-native'",
    type: "string",
    default: "vxlan",
  }),
  later({ name: "flannel-ipv6-masq", usage: "(networking) Enable IPv6 masquerading for pod", type: "bool" }),
  later({
    name: "flannel-external-ip",
    usage: "(networking) Use node external IP addresses for Flannel traffic",
    type: "bool",
  }),
  later({
    name: "egress-selector-mode",
    usage: "(networking) One of 'agent', 'cluster', 'pod', 'disabled'",
    type: "string",
    default: "agent",
  }),
  later({
    name: "servicelb-namespace",
    usage: "(networking) Namespace of the pods for the servicelb component",
    type: "string",
    default: "kube-system",
  }),
  done({
    name: "write-kubeconfig",
    short: "o",
    usage: "(client) Write kubeconfig for admin client to this file",
    env: "K3S_KUBECONFIG_OUTPUT",
    type: "string",
    default: defaultKubeconfigPath(),
  }),
  done({
    name: "write-kubeconfig-mode",
    usage: "(client) Write kubeconfig with this mode",
    env: "K3S_KUBECONFIG_MODE",
    type: "string",
    defaultText: "0600",
  }),
  later({
    name: "write-kubeconfig-group",
    usage: "(client) Write kubeconfig with this group",
    env: "K3S_KUBECONFIG_GROUP",
    type: "string",
  }),
  later({ name: "helm-job-image", usage: "(helm) Default image to use for helm jobs", type: "string" }),
  done({
    name: "token",
    short: "t",
    usage: "(cluster) Shared secret used to join a server or agent to a cluster",
    env: "K3S_TOKEN",
    type: "string",
  }),
  done({ name: "token-file", usage: "(cluster) File containing the token", env: "K3S_TOKEN_FILE", type: "string" }),
  done({
    name: "agent-token",
    usage: "(cluster) Shared secret used to join agents to the cluster, but not servers",
    env: "K3S_AGENT_TOKEN",
    type: "string",
  }),
  done({
    name: "agent-token-file",
    usage: "(cluster) File containing the agent secret",
    env: "K3S_AGENT_TOKEN_FILE",
    type: "string",
  }),
  later({
    name: "server",
    short: "s",
    usage: "(cluster) Server to connect to, used to join a cluster",
    env: "K3S_URL",
    type: "string",
  }),
  later({
    name: "cluster-init",
    usage: "(cluster) Initialize a new cluster using embedded Etcd",
    env: "K3S_CLUSTER_INIT",
    type: "bool",
  }),
  later({
    name: "cluster-reset",
    usage: "(cluster) Forget all peers and become sole member of a new cluster",
    env: "K3S_CLUSTER_RESET",
    type: "bool",
  }),
  later({ name: "cluster-reset-restore-path", usage: "(db) Path to snapshot file to be restored", type: "string" }),
  later({ name: "kube-apiserver-arg", usage: "(flags) Customized flag for kube-apiserver process", type: "list" }),
  later({ name: "etcd-arg", usage: "(flags) Customized flag for etcd process", type: "list" }),
  later({
    name: "kube-controller-manager-arg",
    usage: "(flags) Customized flag for kube-controller-manager process",
    type: "list",
  }),
  later({ name: "kube-scheduler-arg", usage: "(flags) Customized flag for kube-scheduler process", type: "list" }),
  later({
    name: "kube-cloud-controller-manager-arg",
    usage: "(flags) Customized flag for kube-cloud-controller-manager process",
    type: "list",
  }),
  done({
    name: "datastore-endpoint",
    usage: "(db) Specify etcd, NATS, MySQL, Postgres, or SQLite (default) data source name",
    env: "K3S_DATASTORE_ENDPOINT",
    type: "string",
  }),
  done({
    name: "datastore-cafile",
    usage: "(db) TLS Certificate Authority file used to secure datastore backend communication",
    env: "K3S_DATASTORE_CAFILE",
    type: "string",
  }),
  done({
    name: "datastore-certfile",
    usage: "(db) TLS certification file used to secure datastore backend communication",
    env: "K3S_DATASTORE_CERTFILE",
    type: "string",
  }),
  done({
    name: "datastore-keyfile",
    usage: "(db) TLS key file used to secure datastore backend communication",
    env: "K3S_DATASTORE_KEYFILE",
    type: "string",
  }),
  later({ name: "etcd-expose-metrics", usage: "(db) Expose etcd metrics to client interface.", type: "bool" }),
  later({ name: "etcd-disable-snapshots", usage: "(db) Disable automatic etcd snapshots", type: "bool" }),
  later({
    name: "etcd-snapshot-name",
    usage: "(db) Set the base name of etcd snapshots (default: etcd-snapshot-<unix-timestamp>)",
    type: "string",
    default: "etcd-snapshot",
  }),
  later({
    name: "etcd-snapshot-schedule-cron",
    usage: "(db) Snapshot interval time in cron spec. eg. every 5 hours '0 */5 * * *'",
    type: "string",
    default: "0 */12 * * *",
  }),
  later({ name: "etcd-snapshot-retention", usage: "(db) Number of snapshots to retain", type: "int", default: 5 }),
  later({
    name: "etcd-snapshot-dir",
    usage: "(db) Directory to save db snapshots.",
    type: "string",
    defaultText: "${data-dir}/db/snapshots",
  }),
  later({ name: "etcd-snapshot-compress", usage: "(db) Compress etcd snapshot", type: "bool" }),
  later({ name: "etcd-s3", usage: "(db) Enable backup to S3", type: "bool" }),
  later({ name: "etcd-s3-endpoint", usage: "(db) S3 endpoint url", type: "string", default: "s3.amazonaws.com" }),
  later({ name: "etcd-s3-endpoint-ca", usage: "(db) S3 custom CA cert to connect to S3 endpoint", type: "string" }),
  later({ name: "etcd-s3-skip-ssl-verify", usage: "(db) Disables S3 SSL certificate validation", type: "bool" }),
  later({ name: "etcd-s3-access-key", usage: "(db) S3 access key", env: "AWS_ACCESS_KEY_ID", type: "string" }),
  later({ name: "etcd-s3-secret-key", usage: "(db) S3 secret key", env: "AWS_SECRET_ACCESS_KEY", type: "string" }),
  later({ name: "etcd-s3-bucket", usage: "(db) S3 bucket name", type: "string" }),
  later({
    name: "etcd-s3-region",
    usage: "(db) S3 region / bucket location (optional)",
    type: "string",
    default: "us-east-1",
  }),
  later({ name: "etcd-s3-folder", usage: "(db) S3 folder", type: "string" }),
  later({
    name: "etcd-s3-proxy",
    usage: "(db) Proxy server to use when connecting to S3, overriding any proxy-releated environment variables",
    type: "string",
  }),
  later({
    name: "etcd-s3-config-secret",
    usage: "(db) Name of secret in the kube-system namespace used to configure S3, if etcd-s3 is enabled and no " +
      "other etcd-s3 options are set",
    type: "string",
  }),
  later({ name: "etcd-s3-insecure", usage: "(db) Disables S3 over HTTPS", type: "bool" }),
  later({ name: "etcd-s3-timeout", usage: "(db) S3 timeout", type: "duration", default: "5m0s" }),
  later({
    name: "default-local-storage-path",
    usage: "(storage) Default local storage path for local provisioner storage class",
    type: "string",
  }),
  done({
    name: "disable",
    usage: "(components) Do not deploy packaged components and delete any deployed components (valid items: " +
      `${DISABLE_ITEMS.join(", ")})`,
    type: "list",
    commaSeparated: true,
  }),
  later({ name: "disable-scheduler", usage: "(components) Disable Kubernetes default scheduler", type: "bool" }),
  later({
    name: "disable-cloud-controller",
    usage: "(components) Disable k3s default cloud controller manager",
    type: "bool",
  }),
  later({ name: "disable-kube-proxy", usage: "(components) Disable running kube-proxy", type: "bool" }),
  later({
    name: "disable-network-policy",
    usage: "(components) Disable k3s default network policy controller",
    type: "bool",
  }),
  done({ name: "disable-helm-controller", usage: "(components) Disable Helm controller", type: "bool" }),
  later({
    name: "embedded-registry",
    usage: "(experimental/components) Enable embedded distributed container registry; requires use of embedded " +
      "containerd; when enabled agents will also listen on the supervisor port",
    type: "bool",
  }),
  later({
    name: "supervisor-metrics",
    usage: "(experimental/components) Enable serving k3s internal metrics on the supervisor port; when enabled " +
      "agents will also listen on the supervisor port",
    type: "bool",
  }),
  ...node("node-name", "with-node-id", "node-label", "node-taint"),
  ...node("image-credential-provider-bin-dir", "image-credential-provider-config", "docker"),
  ...node("container-runtime-endpoint", "default-runtime", "image-service-endpoint"),
  ...node("disable-default-registry-endpoint", "nonroot-devices", "pause-image", "snapshotter", "private-registry"),
  later({
    name: "system-default-registry",
    usage: "(agent/runtime) Private registry to be used for all system images",
    env: "K3S_SYSTEM_DEFAULT_REGISTRY",
    type: "string",
  }),
  ...node("node-ip", "node-external-ip", "node-internal-dns", "node-external-dns", "resolv-conf"),
  ...node("flannel-iface", "flannel-conf", "flannel-cni-conf", "vpn-auth", "vpn-auth-file"),
  ...node("kubelet-arg", "kube-proxy-arg", "protect-kernel-defaults"),
  done({ name: "secrets-encryption", usage: "Enable secret encryption at rest", type: "bool" }),
  later({
    name: "secrets-encryption-provider",
    usage: "Encryption provider to use",
    type: "string",
    default: "aescbc",
  }),
  ...node("enable-pprof", "rootless", "prefer-bundled-bin", "selinux", "lb-server-port"),
  done({
    name: "disable-agent",
    usage: "Do not run a local agent and register a local kubelet",
    type: "bool",
  }),
  done({
    name: "simulated-nodes",
    usage: "Register N simulated nodes that run pods without containers (for testing)",
    type: "int",
    default: 0,
    placeholder: "N",
    parse: parseCount,
  }),
  later({
    name: "disable-apiserver",
    usage: "(experimental/components) Disable running api server",
    type: "bool",
    hidden: true,
  }),
  later({
    name: "disable-controller-manager",
    usage: "(experimental/components) Disable running kube-controller-manager",
    type: "bool",
    hidden: true,
  }),
  later({ name: "disable-etcd", usage: "(experimental/components) Disable running etcd", type: "bool", hidden: true }),
];
