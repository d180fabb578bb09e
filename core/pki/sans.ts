/**
 * Subject alternative names: which DNS names and IP addresses the API server's certificate must
 * cover, computed the way K3s does (in-cluster service names, loopback, the host's name and
 * addresses, the first service IP, and every `--tls-san`).
 *
 * @module
 */
import { isIP } from "node:net";
import { hostname as osHostname, networkInterfaces } from "node:os";

/** DNS names and IP addresses of a certificate, IPs in canonical text form. */
export interface SubjectAltNames {
  dns: string[];
  ips: string[];
}

/** K3s's default `--service-cidr`. */
export const DEFAULT_SERVICE_CIDR = "10.43.0.0/16";

/** K3s's default `--cluster-domain`. */
export const DEFAULT_CLUSTER_DOMAIN = "cluster.local";

/**
 * The canonical text of an IP address (IPv6 compressed and lower-cased), or `undefined` when the
 * text is not an IP, so differently written forms of one address compare equal.
 *
 * @example
 * ```ts
 * normalizeIP("0:0:0:0:0:0:0:1"); // "::1"
 * normalizeIP("example.com");     // undefined
 * ```
 */
export function normalizeIP(text: string): string | undefined {
  const version = isIP(text);
  if (version === 4) return text;
  if (version !== 6) return undefined;
  try {
    // The URL parser is the web platform's IPv6 serializer (RFC 5952 compression).
    return new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return undefined; // e.g. a zone index such as fe80::1%eth0
  }
}

/**
 * Sort names into DNS names and IPs, dropping blanks and duplicates but keeping first-seen order
 * (K3s's `addSANs`: anything that parses as an IP is an IP SAN).
 *
 * @example
 * ```ts
 * splitSANs(["k3s.example.com", "10.0.0.5", "k3s.example.com"]);
 * // { dns: ["k3s.example.com"], ips: ["10.0.0.5"] }
 * ```
 */
export function splitSANs(names: Iterable<string>): SubjectAltNames {
  const dns = new Set<string>();
  const ips = new Set<string>();
  for (const raw of names) {
    const name = raw.trim();
    if (!name) continue;
    const ip = normalizeIP(name);
    if (ip) ips.add(ip);
    else dns.add(name);
  }
  return { dns: [...dns], ips: [...ips] };
}

/**
 * The first usable address of the primary (first) range of a `--service-cidr`: the ClusterIP of
 * the `kubernetes` Service, which in-cluster clients dial.
 *
 * @example
 * ```ts
 * firstServiceIP("10.43.0.0/16");                 // "10.43.0.1"
 * firstServiceIP("fd00:43::/112,10.43.0.0/16");   // "fd00:43::1"
 * ```
 */
export function firstServiceIP(serviceCIDR: string): string {
  const primary = serviceCIDR.split(",")[0].trim();
  const [address, bits, extra] = primary.split("/");
  const ip = normalizeIP(address ?? "");
  const width = ip?.includes(":") ? 128 : 32;
  const prefix = Number(bits);
  if (!ip || extra !== undefined || !/^\d+$/.test(bits ?? "") || prefix > width - 1) {
    throw new Error(`invalid service CIDR "${serviceCIDR}": expected a range such as ${DEFAULT_SERVICE_CIDR}`);
  }
  const hostBits = BigInt(width - prefix);
  const network = (ipToBigInt(ip) >> hostBits) << hostBits;
  return bigIntToIP(network + 1n, width);
}

/**
 * The host's own non-loopback addresses, IPv4 and IPv6 (link-local IPv6 is left out: it needs a
 * zone to be dialled, so no client could use it from a certificate).
 *
 * @example
 * ```ts
 * localAddresses(); // ["192.0.2.2", "fd00::2"]
 * ```
 */
export function localAddresses(
  interfaces: Record<string, { address: string; internal: boolean }[] | undefined> = networkInterfaces(),
): string[] {
  const out: string[] = [];
  for (const list of Object.values(interfaces)) {
    for (const entry of list ?? []) {
      if (entry.internal) continue;
      const ip = normalizeIP(entry.address);
      if (!ip || /^fe[89ab]/i.test(ip)) continue;
      if (!out.includes(ip)) out.push(ip);
    }
  }
  return out;
}

/**
 * The host's first non-loopback IPv4 address (127.0.0.1 without one): K3s's default for `--advertise-address` and
 * `--node-ip`.
 *
 * @example
 * ```ts
 * firstIPv4(); // "192.0.2.2"
 * ```
 */
export function firstIPv4(): string {
  return localAddresses().find((ip) => !ip.includes(":")) ?? "127.0.0.1";
}

/** What decides the API server certificate's names. */
export interface APIServerSANOptions {
  /** `--tls-san` values: DNS names or IPs. */
  tlsSans?: string[];
  /** `--service-cidr` (default 10.43.0.0/16). */
  serviceCIDR?: string;
  /** `--cluster-domain` (default cluster.local). */
  clusterDomain?: string;
  /** The node name (default: the host name, lower-cased as K3s does). */
  hostname?: string;
  /** The node's addresses (default: {@link localAddresses}). */
  addresses?: string[];
}

/**
 * Every name the API server's serving certificate must carry, in K3s's order.
 *
 * @example
 * ```ts
 * apiServerSANs({ tlsSans: ["k3s.example.com"], hostname: "node1", addresses: ["192.0.2.2"] });
 * // dns: kubernetes, kubernetes.default, …, k3s.example.com, localhost, node1
 * // ips: 127.0.0.1, ::1, 192.0.2.2, 10.43.0.1
 * ```
 */
export function apiServerSANs(options: APIServerSANOptions = {}): SubjectAltNames {
  const domain = options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN;
  return splitSANs([
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    `kubernetes.default.svc.${domain}`,
    ...(options.tlsSans ?? []),
    "127.0.0.1",
    "::1",
    "localhost",
    (options.hostname ?? osHostname()).toLowerCase(),
    ...(options.addresses ?? localAddresses()),
    firstServiceIP(options.serviceCIDR ?? DEFAULT_SERVICE_CIDR),
  ]);
}

function ipToBigInt(ip: string): bigint {
  if (!ip.includes(":")) return ip.split(".").reduce((n, octet) => (n << 8n) | BigInt(Number(octet)), 0n);
  const [head, tail] = ip.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return groups.reduce((n, group) => (n << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function bigIntToIP(n: bigint, width: number): string {
  if (width === 32) return [24n, 16n, 8n, 0n].map((shift) => Number((n >> shift) & 0xffn)).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => ((n >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  return normalizeIP(groups.join(":"))!;
}
