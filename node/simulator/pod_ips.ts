/**
 * Pod IPs for one node, handed out from the node's pod range the way the host-local IPAM plugin does
 * it: the first address is the node's bridge (the gateway), the last is broadcast, and pods get the
 * lowest free address in between. Each pod keeps its address until it is released.
 *
 * @module
 */

function parseIPv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

function formatIPv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join(".");
}

/**
 * The pod addresses of one node range.
 *
 * @example
 * ```ts
 * const ips = new PodIPs("10.42.3.0/24");
 * ips.allocate("default/web", "uid-1"); // "10.42.3.2"
 * ips.release("default/web");
 * ```
 */
export class PodIPs {
  readonly #first: number;
  readonly #last: number;
  readonly #taken = new Set<number>();
  /** pod key → address and pod uid */
  readonly #byPod = new Map<string, { ip: number; uid: string }>();

  constructor(readonly cidr: string) {
    const slash = cidr.indexOf("/");
    const network = parseIPv4(cidr.slice(0, slash));
    const prefix = Number(cidr.slice(slash + 1));
    if (slash < 0 || network === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 30) {
      throw new Error(`pod range "${cidr}" is not an IPv4 CIDR with room for pods`);
    }
    const size = 2 ** (32 - prefix);
    const base = network - (network % size);
    this.#first = base + 2;
    this.#last = base + size - 2;
  }

  /** Whether `ip` is an address this range gives to pods. */
  contains(ip: string): boolean {
    const value = parseIPv4(ip);
    return value !== undefined && value >= this.#first && value <= this.#last;
  }

  /**
   * The pod's address: the one it holds, `preferred` when that is free and in range (a pod that already
   * shows an IP keeps it), else the lowest free one; `undefined` when the range is full.
   */
  allocate(key: string, uid: string, preferred?: string): string | undefined {
    const held = this.#byPod.get(key);
    if (held && held.uid === uid) return formatIPv4(held.ip);
    if (held) this.release(key);
    const wanted = preferred !== undefined && this.contains(preferred) ? parseIPv4(preferred)! : undefined;
    if (wanted !== undefined && !this.#taken.has(wanted)) return this.#take(key, uid, wanted);
    for (let ip = this.#first; ip <= this.#last; ip++) {
      if (!this.#taken.has(ip)) return this.#take(key, uid, ip);
    }
    return undefined;
  }

  /** Free the address of pod `key`. */
  release(key: string): void {
    const held = this.#byPod.get(key);
    if (!held) return;
    this.#byPod.delete(key);
    this.#taken.delete(held.ip);
  }

  #take(key: string, uid: string, ip: number): string {
    this.#taken.add(ip);
    this.#byPod.set(key, { ip, uid });
    return formatIPv4(ip);
  }
}
