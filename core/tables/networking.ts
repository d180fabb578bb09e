/**
 * Services and traffic: Service, Endpoints, EndpointSlice, Ingress, IngressClass, NetworkPolicy.
 *
 * @module
 */

import {
  age,
  ageColumn,
  column,
  compare,
  formatLabels,
  formatLabelSelector,
  int,
  list,
  listWithMore,
  meta,
  nameColumn,
  type Obj,
  type Printers,
  rec,
  str,
  wide,
} from "./format.ts";

function name(obj: Obj): string {
  return str(meta(obj).name);
}

/**
 * Load-balancer ingress points (IP, else hostname), de-duplicated and sorted as kube's string set does.
 * The server prints the wide form, so the text is never clipped.
 *
 * @example loadBalancerAddresses({ ingress: [{ ip: "10.0.0.2" }, { hostname: "lb.example" }] }) // "10.0.0.2,lb.example"
 */
export function loadBalancerAddresses(loadBalancer: unknown): string {
  const seen = new Set<string>();
  for (const raw of list(rec(loadBalancer).ingress)) {
    const point = rec(raw);
    const address = str(point.ip) || str(point.hostname);
    if (address) seen.add(address);
  }
  return [...seen].sort(compare).join(",");
}

/**
 * The EXTERNAL-IP cell of a Service.
 *
 * @example serviceExternalIP({ spec: { type: "LoadBalancer" } }) // "<pending>"
 */
export function serviceExternalIP(svc: Obj): string {
  const spec = rec(svc.spec);
  const externalIPs = list(spec.externalIPs).map(str);
  switch (serviceType(spec)) {
    case "ClusterIP":
    case "NodePort":
      return externalIPs.length > 0 ? externalIPs.join(",") : "<none>";
    case "LoadBalancer": {
      const lb = loadBalancerAddresses(rec(svc.status).loadBalancer);
      if (externalIPs.length > 0) return [...(lb ? lb.split(",") : []), ...externalIPs].join(",");
      return lb || "<pending>";
    }
    case "ExternalName":
      return str(spec.externalName);
  }
  return "<unknown>";
}

/** The API server defaults `type` to ClusterIP. */
function serviceType(spec: Obj): string {
  return spec.type === undefined || spec.type === null ? "ClusterIP" : str(spec.type);
}

/**
 * The PORT(S) cell: `port/protocol`, or `port:nodePort/protocol`, comma-joined.
 *
 * @example servicePorts([{ port: 80, nodePort: 30080, protocol: "TCP" }]) // "80:30080/TCP"
 */
export function servicePorts(ports: unknown): string {
  return list(ports).map(rec).map((p) => {
    // The API server defaults the protocol to TCP.
    const protocol = str(p.protocol) || "TCP";
    return int(p.nodePort) > 0 ? `${int(p.port)}:${int(p.nodePort)}/${protocol}` : `${int(p.port)}/${protocol}`;
  }).join(",");
}

/** Go's `net.JoinHostPort`: IPv6 hosts get brackets. */
function joinHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The ENDPOINTS cell of an Endpoints object: up to three `ip:port`, then "+ N more...".
 *
 * @example formatEndpoints(endpoints) // "10.42.0.5:80,10.42.0.6:80"
 */
export function formatEndpoints(endpoints: Obj): string {
  const subsets = list(endpoints.subsets).map(rec);
  if (subsets.length === 0) return "<none>";
  const max = 3;
  const shown: string[] = [];
  let count = 0;
  let more = false;
  for (const subset of subsets) {
    const addresses = list(subset.addresses).map(rec);
    const ports = list(subset.ports).map(rec);
    // Headless services without ports list bare addresses.
    const pairs = ports.length === 0 ? [undefined] : ports.map((p) => int(p.port));
    for (const port of pairs) {
      count += addresses.length;
      for (const address of addresses) {
        if (shown.length === max) {
          more = true;
          break;
        }
        const ip = str(address.ip);
        shown.push(port === undefined ? ip : joinHostPort(ip, port));
      }
    }
  }
  const joined = shown.join(",");
  return more ? `${joined} + ${count - max} more...` : joined;
}

function sliceEndpoints(slice: Obj): string {
  const addresses = list(slice.endpoints).flatMap((e) => list(rec(e).addresses).map(str));
  return listWithMore(addresses, 3);
}

function slicePorts(slice: Obj): string {
  const ports = list(slice.ports).map(rec).map((p) => {
    if (typeof p.port === "number") return String(Math.trunc(p.port));
    if (typeof p.name === "string") return p.name;
    return "*";
  });
  return listWithMore(ports, 3);
}

/**
 * The HOSTS cell of an Ingress: up to three hosts, `*` when no rule names one.
 *
 * @example ingressHosts([{ host: "a.example" }, {}]) // "a.example"
 */
export function ingressHosts(rules: unknown): string {
  const all = list(rules).map(rec);
  const max = 3;
  const hosts: string[] = [];
  let more = false;
  for (const rule of all) {
    if (hosts.length === max) more = true;
    if (!more && str(rule.host)) hosts.push(str(rule.host));
  }
  if (hosts.length === 0) return "*";
  // kube counts every rule beyond the third, with or without a host.
  return more ? `${hosts.join(",")} + ${all.length - max} more...` : hosts.join(",");
}

function ingressClassParameters(spec: Obj): string {
  const params = spec.parameters;
  if (params === undefined || params === null) return "<none>";
  const p = rec(params);
  const kind = typeof p.apiGroup === "string" ? `${str(p.kind)}.${p.apiGroup}` : str(p.kind);
  return `${kind}/${str(p.name)}`;
}

/** Printers for the networking family. */
export const networkingPrinters: Printers = {
  "/Service": {
    columns: [
      nameColumn(),
      column("Type", "type determines how the Service is exposed."),
      column("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly."),
      column(
        "External-IP",
        "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.",
      ),
      column("Port(s)", "The list of ports that are exposed by this service."),
      ageColumn(),
      wide("Selector", "Route service traffic to pods with label keys and values matching this selector."),
    ],
    cells(svc, now) {
      const spec = rec(svc.spec);
      // v1 objects may carry only clusterIP; kube's conversion fills clusterIPs from it.
      const clusterIP = str(list(spec.clusterIPs)[0]) || str(spec.clusterIP) || "<none>";
      return [
        name(svc),
        serviceType(spec),
        clusterIP,
        serviceExternalIP(svc),
        servicePorts(spec.ports) || "<none>",
        age(svc, now),
        formatLabels(spec.selector),
      ];
    },
  },
  "/Endpoints": {
    columns: [nameColumn(), column("Endpoints", "The set of all endpoints is the union of all subsets."), ageColumn()],
    cells: (obj, now) => [name(obj), formatEndpoints(obj), age(obj, now)],
  },
  "discovery.k8s.io/EndpointSlice": {
    columns: [
      nameColumn(),
      column("AddressType", "addressType specifies the type of address carried by this EndpointSlice."),
      column("Ports", "ports specifies the list of network ports exposed by each endpoint in this slice."),
      column("Endpoints", "endpoints is a list of unique endpoints in this slice."),
      ageColumn(),
    ],
    cells: (obj, now) => [name(obj), str(obj.addressType), slicePorts(obj), sliceEndpoints(obj), age(obj, now)],
  },
  "networking.k8s.io/Ingress": {
    columns: [
      nameColumn(),
      column("Class", "The name of the IngressClass resource that should be used for additional configuration"),
      column("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
      column("Address", "Address is a list containing ingress points for the load-balancer"),
      column("Ports", "Ports of TLS configurations that open"),
      ageColumn(),
    ],
    cells(obj, now) {
      const spec = rec(obj.spec);
      return [
        name(obj),
        typeof spec.ingressClassName === "string" ? spec.ingressClassName : "<none>",
        ingressHosts(spec.rules),
        loadBalancerAddresses(rec(obj.status).loadBalancer),
        list(spec.tls).length > 0 ? "80, 443" : "80",
        age(obj, now),
      ];
    },
  },
  "networking.k8s.io/IngressClass": {
    columns: [
      nameColumn(),
      column("Controller", "Controller that is responsible for handling this class"),
      column("Parameters", "A reference to a resource with additional parameters"),
      ageColumn(),
    ],
    cells(obj, now) {
      const spec = rec(obj.spec);
      return [name(obj), str(spec.controller), ingressClassParameters(spec), age(obj, now)];
    },
  },
  "networking.k8s.io/NetworkPolicy": {
    columns: [
      nameColumn(),
      column("Pod-Selector", "Selects the pods to which this NetworkPolicy object applies."),
      ageColumn(),
    ],
    cells: (obj, now) => [name(obj), formatLabelSelector(rec(obj.spec).podSelector), age(obj, now)],
  },
};
