/**
 * ClusterIPs from `--service-cidr` and NodePorts from `--service-node-port-range`, claimed as keys in
 * the Store so that two servers sharing a datastore can never hand out the same one.
 *
 * @module
 */
import { KeyExistsError, KeyNotFoundError, type Store } from "../../datastore/mod.ts";
import { invalid } from "./status.ts";
import type { KubeObject } from "./storage.ts";

const IP_PREFIX = "/registry/ranges/serviceips/";
const PORT_PREFIX = "/registry/ranges/servicenodeports/";

interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  nodePort?: number;
}

interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: ServicePort[];
}

function ipToNumber(ip: string): number {
  return ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

function numberToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/**
 * Hands out and takes back Service addresses and node ports.
 *
 * @example
 * ```ts
 * const allocator = new ServiceAllocator(store, "10.43.0.0/16", "30000-32767");
 * await allocator.allocate(service, false); // fills spec.clusterIP and nodePorts
 * ```
 */
export class ServiceAllocator {
  readonly #first: number;
  readonly #size: number;
  readonly #ports: [number, number];

  constructor(private readonly store: Store, readonly cidr: string, portRange: string) {
    const [base, bits] = cidr.split("/");
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(base) || !(Number(bits) >= 8 && Number(bits) <= 30)) {
      throw new Error(`--service-cidr ${cidr} is not an IPv4 CIDR between /8 and /30`);
    }
    this.#size = 2 ** (32 - Number(bits));
    this.#first = ipToNumber(base) & ~(this.#size - 1);
    const [lo, hi] = portRange.split("-").map(Number);
    if (!(lo > 0 && hi >= lo && hi < 65536)) {
      throw new Error(`--service-node-port-range ${portRange} is not a range like 30000-32767`);
    }
    this.#ports = [lo, hi];
  }

  /** Fill in (or claim the requested) ClusterIP and NodePorts of a new Service. */
  async allocate(service: KubeObject, dryRun: boolean): Promise<void> {
    const spec = (service.spec ??= {}) as ServiceSpec;
    const owner = `${service.metadata?.namespace}/${service.metadata?.name}`;
    const name = service.metadata?.name ?? "";
    const claimed: string[] = [];
    try {
      if (spec.type !== "ExternalName" && spec.clusterIP !== "None") {
        if (spec.clusterIP) {
          if (!this.#inRange(spec.clusterIP)) {
            throw invalid({ group: "", kind: "Service" }, name, [{
              type: "FieldValueInvalid",
              field: "spec.clusterIPs",
              message:
                `Invalid value: []string{"${spec.clusterIP}"}: failed to allocate IP ${spec.clusterIP}: the provided IP (${spec.clusterIP}) is not in the valid range. The range of valid IPs is ${this.cidr}`,
            }]);
          }
          if (!dryRun && !(await this.#claim(IP_PREFIX + spec.clusterIP, owner))) {
            throw invalid({ group: "", kind: "Service" }, name, [{
              type: "FieldValueInvalid",
              field: "spec.clusterIPs",
              message:
                `Invalid value: []string{"${spec.clusterIP}"}: failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`,
            }]);
          }
        } else {
          spec.clusterIP = dryRun ? numberToIp(this.#first + 2) : await this.#allocateIP(owner);
        }
        if (!dryRun) claimed.push(IP_PREFIX + spec.clusterIP);
        spec.clusterIPs = [spec.clusterIP];
      } else if (spec.clusterIP === "None") {
        spec.clusterIPs = ["None"];
      }
      if (spec.type === "NodePort" || spec.type === "LoadBalancer") {
        for (const port of spec.ports ?? []) {
          if (port.nodePort) {
            if (port.nodePort < this.#ports[0] || port.nodePort > this.#ports[1]) {
              throw invalid({ group: "", kind: "Service" }, name, [{
                type: "FieldValueInvalid",
                field: "spec.ports[0].nodePort",
                message:
                  `Invalid value: ${port.nodePort}: provided port is not in the valid range. The range of valid ports is ${
                    this.#ports[0]
                  }-${this.#ports[1]}`,
              }]);
            }
            if (!dryRun && !(await this.#claim(PORT_PREFIX + port.nodePort, owner))) {
              throw invalid({ group: "", kind: "Service" }, name, [{
                type: "FieldValueInvalid",
                field: "spec.ports[0].nodePort",
                message: `Invalid value: ${port.nodePort}: provided port is already allocated`,
              }]);
            }
          } else {
            port.nodePort = dryRun ? this.#ports[0] : await this.#allocatePort(owner);
          }
          if (!dryRun) claimed.push(PORT_PREFIX + port.nodePort);
        }
      }
    } catch (error) {
      await Promise.all(claimed.map((key) => this.#unclaim(key)));
      throw error;
    }
  }

  /** Give back a deleted Service's addresses. */
  async release(service: KubeObject): Promise<void> {
    const spec = (service.spec ?? {}) as ServiceSpec;
    const owner = `${service.metadata?.namespace}/${service.metadata?.name}`;
    if (spec.clusterIP && spec.clusterIP !== "None") await this.#unclaim(IP_PREFIX + spec.clusterIP, owner);
    for (const port of spec.ports ?? []) if (port.nodePort) await this.#unclaim(PORT_PREFIX + port.nodePort, owner);
  }

  #inRange(ip: string): boolean {
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return false;
    const n = ipToNumber(ip);
    return n > this.#first && n < this.#first + this.#size - 1;
  }

  async #allocateIP(owner: string): Promise<string> {
    // Random first, like kube-apiserver, then a scan so a nearly full range still finds the holes.
    // Offset 1 is reserved for the `kubernetes` Service, claimed explicitly at start.
    const usable = this.#size - 3;
    for (let attempt = 0; attempt < 32; attempt++) {
      const ip = numberToIp(this.#first + 2 + Math.floor(Math.random() * usable));
      if (await this.#claim(IP_PREFIX + ip, owner)) return ip;
    }
    for (let offset = 2; offset < this.#size - 1; offset++) {
      const ip = numberToIp(this.#first + offset);
      if (await this.#claim(IP_PREFIX + ip, owner)) return ip;
    }
    throw invalid({ group: "", kind: "Service" }, owner.split("/")[1], [{
      type: "FieldValueInvalid",
      field: "spec.clusterIPs",
      message: `Internal error: failed to allocate a serviceIP: range is full`,
    }]);
  }

  async #allocatePort(owner: string): Promise<number> {
    const [lo, hi] = this.#ports;
    for (let attempt = 0; attempt < 32; attempt++) {
      const port = lo + Math.floor(Math.random() * (hi - lo + 1));
      if (await this.#claim(PORT_PREFIX + port, owner)) return port;
    }
    for (let port = lo; port <= hi; port++) if (await this.#claim(PORT_PREFIX + port, owner)) return port;
    throw invalid({ group: "", kind: "Service" }, owner.split("/")[1], [{
      type: "FieldValueInvalid",
      field: "spec.ports[0].nodePort",
      message: "Internal error: failed to allocate a nodePort: range is full",
    }]);
  }

  async #claim(key: string, owner: string): Promise<boolean> {
    try {
      await this.store.create(key, new TextEncoder().encode(owner));
      return true;
    } catch (error) {
      if (error instanceof KeyExistsError) {
        const { kv } = await this.store.get(key);
        return kv !== undefined && new TextDecoder().decode(kv.value) === owner;
      }
      throw error;
    }
  }

  async #unclaim(key: string, owner?: string): Promise<void> {
    try {
      const { kv } = await this.store.get(key);
      if (!kv || (owner && new TextDecoder().decode(kv.value) !== owner)) return;
      await this.store.delete(key, kv.modRevision);
    } catch (error) {
      if (!(error instanceof KeyNotFoundError)) throw error;
    }
  }

  /** Claim an address for a Service created at start (the `kubernetes` Service's first IP). */
  claimIP(ip: string, owner: string): Promise<boolean> {
    return this.#claim(IP_PREFIX + ip, owner);
  }
}
