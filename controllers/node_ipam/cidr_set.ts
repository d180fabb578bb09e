/**
 * The cluster CIDR cut into equal node ranges, after kube's `cidrset.CidrSet`: range `i` is the `i`-th
 * block of the node mask size inside the cluster CIDR. IPv4 only.
 *
 * @module
 */

function parseIPv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

function formatIPv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join(".");
}

/**
 * An IPv4 CIDR as its network number and prefix length; `undefined` when it is not one.
 *
 * @example
 * ```ts
 * parseCIDR("10.42.1.7/24"); // { network: 0x0a2a0100, prefix: 24 } (host bits cleared)
 * ```
 */
export function parseCIDR(text: string): { network: number; prefix: number } | undefined {
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const ip = parseIPv4(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (ip === undefined || !/^\d{1,2}$/.test(prefixText) || Number(prefixText) > 32) return undefined;
  const prefix = Number(prefixText);
  const size = 2 ** (32 - prefix);
  return { network: ip - (ip % size), prefix };
}

/**
 * The canonical spelling of an IPv4 CIDR (host bits cleared), or the text itself when it is not one.
 *
 * @example
 * ```ts
 * canonicalCIDR("10.42.1.7/24"); // "10.42.1.0/24"
 * ```
 */
export function canonicalCIDR(text: string): string {
  const cidr = parseCIDR(text);
  return cidr ? `${formatIPv4(cidr.network)}/${cidr.prefix}` : text;
}

/**
 * The node ranges of a cluster CIDR.
 *
 * @example
 * ```ts
 * const set = new CidrSet("10.42.0.0/16", 24);
 * set.size; // 256
 * set.subnet(1); // "10.42.1.0/24"
 * ```
 */
export class CidrSet {
  readonly #network: number;
  readonly #blockSize: number;
  /** How many node ranges there are. */
  readonly size: number;

  constructor(readonly clusterCIDR: string, readonly nodeMaskSize: number) {
    const cidr = parseCIDR(clusterCIDR);
    if (!cidr) {
      throw new Error(`cluster CIDR "${clusterCIDR}" is not an IPv4 CIDR (dual-stack and IPv6 are not supported)`);
    }
    if (!Number.isInteger(nodeMaskSize) || nodeMaskSize < cidr.prefix || nodeMaskSize > 32) {
      throw new Error(`node CIDR mask size ${nodeMaskSize} must be between ${cidr.prefix} and 32 for ${clusterCIDR}`);
    }
    // Kube refuses sets of more than 2^16 ranges; a bigger one would be a typo.
    if (nodeMaskSize - cidr.prefix > 16) {
      throw new Error(`node CIDR mask size ${nodeMaskSize} cuts ${clusterCIDR} into more than 65536 ranges`);
    }
    this.#network = cidr.network;
    this.#blockSize = 2 ** (32 - nodeMaskSize);
    this.size = 2 ** (nodeMaskSize - cidr.prefix);
  }

  /** The `index`-th node range. */
  subnet(index: number): string {
    return `${formatIPv4(this.#network + index * this.#blockSize)}/${this.nodeMaskSize}`;
  }
}
