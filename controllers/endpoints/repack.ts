/**
 * Kube's `RepackSubsets`: the one-address-one-port subsets a sync collects, regrouped so that each
 * subset holds the addresses that offer exactly the same ports (with the same readiness), then sorted,
 * so the same pods always give the same `subsets`.
 *
 * @module
 */

/** An `ObjectReference` to the pod behind an address. */
export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

/** A `v1` EndpointAddress. */
export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: ObjectReference;
}

/** A `v1` EndpointPort. */
export interface EndpointPort {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
}

/** A `v1` EndpointSubset. */
export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

/** Stands in for "no port" (a headless Service without ports), so such addresses are kept too. */
const NO_PORT = "";

function addressKey(address: EndpointAddress): string {
  return `${address.ip}\u0000${address.targetRef?.uid ?? ""}`;
}

function portKey(port: EndpointPort): string {
  return JSON.stringify([port.name ?? "", port.port, port.protocol ?? "", port.appProtocol ?? ""]);
}

/**
 * Kube's `LessEndpointAddress` as a comparator: by IP, then by the pod's uid (no pod first).
 *
 * @example
 * ```ts
 * addresses.sort(compareAddresses);
 * ```
 */
export function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid, ub = b.targetRef?.uid;
  if (ua === ub) return 0;
  if (a.targetRef === undefined) return -1;
  if (b.targetRef === undefined) return 1;
  return (ua ?? "") < (ub ?? "") ? -1 : 1;
}

function comparePorts(a: EndpointPort, b: EndpointPort): number {
  const ka = portKey(a), kb = portKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * Regroup and sort subsets. An address not ready for a port stays not ready for it even if another
 * subset lists it as ready.
 *
 * Kube orders ports and subsets by hashes of their Go dump; here they are ordered by their content
 * (ports by name, number, protocol), which is as stable and needs no Go.
 *
 * @example
 * ```ts
 * repackSubsets([
 *   { addresses: [a], ports: [http] },
 *   { addresses: [b], ports: [http] },
 * ]); // [{ addresses: [a, b], ports: [http] }]
 * ```
 */
export function repackSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  const addresses = new Map<string, EndpointAddress>();
  const byPort = new Map<string, { port?: EndpointPort; ready: Map<string, boolean> }>();
  const add = (address: EndpointAddress, port: EndpointPort | undefined, ready: boolean) => {
    const key = addressKey(address);
    if (!addresses.has(key)) addresses.set(key, address);
    const pk = port ? portKey(port) : NO_PORT;
    let entry = byPort.get(pk);
    if (!entry) byPort.set(pk, entry = { port, ready: new Map() });
    if (entry.ready.get(key) !== false) entry.ready.set(key, ready);
  };
  for (const subset of subsets) {
    const ports: (EndpointPort | undefined)[] = subset.ports?.length ? subset.ports : [undefined];
    for (const port of ports) {
      for (const address of subset.addresses ?? []) add(address, port, true);
      for (const address of subset.notReadyAddresses ?? []) add(address, port, false);
    }
  }

  // Ports whose addresses (and their readiness) are the same share a subset.
  const groups = new Map<string, { ready: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const { port, ready } of byPort.values()) {
    const signature = JSON.stringify([...ready].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    let group = groups.get(signature);
    if (!group) groups.set(signature, group = { ready, ports: [] });
    if (port) group.ports.push(port);
  }

  const repacked = [...groups.values()].map(({ ready, ports }) => {
    const subset: EndpointSubset = {};
    const readyAddresses = [...ready].filter(([, r]) => r).map(([k]) => addresses.get(k)!).sort(compareAddresses);
    const notReady = [...ready].filter(([, r]) => !r).map(([k]) => addresses.get(k)!).sort(compareAddresses);
    if (readyAddresses.length > 0) subset.addresses = readyAddresses;
    if (notReady.length > 0) subset.notReadyAddresses = notReady;
    if (ports.length > 0) subset.ports = ports.sort(comparePorts);
    return { subset, order: JSON.stringify(subset) };
  });
  return repacked.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0)).map((r) => r.subset);
}
