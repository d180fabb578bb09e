/**
 * The cluster DNS address the kubelet writes into pods' resolv.conf when `--cluster-dns` is not given: K3s takes the
 * tenth address of the service CIDR (`utilsnet.GetIndexedIP(serviceCIDR, 10)`), where its CoreDNS Service lives.
 *
 * @module
 */

/**
 * The tenth address of the (first, IPv4) service CIDR.
 *
 * @example
 * ```ts
 * defaultClusterDNS("10.43.0.0/16"); // "10.43.0.10"
 * ```
 */
export function defaultClusterDNS(serviceCIDR: string): string {
  const primary = serviceCIDR.split(",")[0].trim();
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(primary);
  const octets = match?.slice(1, 5).map(Number) ?? [];
  const prefix = Number(match?.[5]);
  if (!match || octets.some((o) => o > 255) || prefix > 28) {
    throw new Error(`cannot derive --cluster-dns from the service CIDR "${serviceCIDR}": pass --cluster-dns`);
  }
  const address = octets.reduce((n, o) => n * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const ip = address - (address % size) + 10;
  return [24, 16, 8, 0].map((shift) => Math.floor(ip / 2 ** shift) % 256).join(".");
}
