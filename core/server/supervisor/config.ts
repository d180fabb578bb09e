/**
 * What `GET /v1-k3s/config` tells an agent: the part of K3s's `config.Control` an agent reads, under K3s's own field
 * names. K3s encodes its CIDRs as Go's `net.IPNet` structs; here they are the CIDR strings the flags take, and the
 * node port range is its flag text.
 *
 * @module
 */

/** The server configuration an agent joins with (K3s's `config.Control` names). */
export interface ControlConfig {
  /** The first `--cluster-dns` address. */
  ClusterDNS: string;
  ClusterDNSs: string[];
  ClusterDomain: string;
  /** The first `--cluster-cidr`. */
  ClusterIPRange: string;
  ClusterIPRanges: string[];
  /** The first `--service-cidr`. */
  ServiceIPRange: string;
  ServiceIPRanges: string[];
  /** `--service-node-port-range`, e.g. `30000-32767`. */
  ServiceNodePortRange: string;
  /** Where kubectl and kubelets reach the API (`--https-listen-port`). */
  HTTPSPort: number;
  /** Where the supervisor (`/v1-k3s/…`) answers; the same port here, as in K3s. */
  SupervisorPort: number;
  /** The API server's own port; the same port here (K3s runs kube-apiserver behind its proxy on 6444). */
  APIServerPort: number;
  FlannelBackend: string;
  EgressSelectorMode: string;
  DisableKubeProxy: boolean;
  DisableNPC: boolean;
  DisableServiceLB: boolean;
  SystemDefaultRegistry: string;
  ServerNodeName: string;
}

/** The server flags the agent configuration comes from; unset ones take K3s's defaults. */
export interface ControlConfigOptions {
  /** `--https-listen-port` as bound (the real port when 0 was asked for). */
  httpsPort: number;
  /** `--cluster-dns` (cli.ts derives K3s's default, the tenth address of the service CIDR). */
  clusterDNS: string[];
  /** `--cluster-domain` (default `cluster.local`). */
  clusterDomain?: string;
  /** `--cluster-cidr`, comma-separated (default `10.42.0.0/16`). */
  clusterCIDR?: string;
  /** `--service-cidr`, comma-separated (default `10.43.0.0/16`). */
  serviceCIDR?: string;
  /** `--service-node-port-range` (default `30000-32767`). */
  serviceNodePortRange?: string;
  /** `--flannel-backend` (default `vxlan`). */
  flannelBackend?: string;
  /** `--egress-selector-mode` (default `agent`). */
  egressSelectorMode?: string;
  disableKubeProxy?: boolean;
  disableNetworkPolicy?: boolean;
  disableServiceLB?: boolean;
  systemDefaultRegistry?: string;
  /** This server's own node name (empty with `--disable-agent`). */
  serverNodeName?: string;
}

/**
 * The configuration `/v1-k3s/config` answers, from the server's flags.
 *
 * @example
 * ```ts
 * controlConfig({ httpsPort: 6443, clusterDNS: ["10.43.0.10"] }).ServiceIPRange; // "10.43.0.0/16"
 * ```
 */
export function controlConfig(options: ControlConfigOptions): ControlConfig {
  const list = (text: string) => text.split(",").map((part) => part.trim()).filter(Boolean);
  const clusterCIDRs = list(options.clusterCIDR ?? "10.42.0.0/16");
  const serviceCIDRs = list(options.serviceCIDR ?? "10.43.0.0/16");
  return {
    ClusterDNS: options.clusterDNS[0] ?? "",
    ClusterDNSs: [...options.clusterDNS],
    ClusterDomain: options.clusterDomain ?? "cluster.local",
    ClusterIPRange: clusterCIDRs[0] ?? "",
    ClusterIPRanges: clusterCIDRs,
    ServiceIPRange: serviceCIDRs[0] ?? "",
    ServiceIPRanges: serviceCIDRs,
    ServiceNodePortRange: options.serviceNodePortRange ?? "30000-32767",
    HTTPSPort: options.httpsPort,
    SupervisorPort: options.httpsPort,
    APIServerPort: options.httpsPort,
    FlannelBackend: options.flannelBackend ?? "vxlan",
    EgressSelectorMode: options.egressSelectorMode ?? "agent",
    DisableKubeProxy: options.disableKubeProxy ?? false,
    DisableNPC: options.disableNetworkPolicy ?? false,
    DisableServiceLB: options.disableServiceLB ?? false,
    SystemDefaultRegistry: options.systemDefaultRegistry ?? "",
    ServerNodeName: options.serverNodeName ?? "",
  };
}
