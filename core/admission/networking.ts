/**
 * Services (defaults, the IP-family fields kube's allocator fills, validation, clusterIP immutability), Endpoints
 * and EndpointSlice port defaults, and Ingress validation.
 *
 * @module
 */

import type { StatusCause } from "../api/status.ts";
import { validatePortNumOrName } from "./container_validation.ts";
import {
  at,
  child,
  duplicate,
  forbidden,
  GoLiteral,
  goQuote,
  goStringSlice,
  invalid,
  invalidEach,
  notSupported,
  required,
} from "./field.ts";
import { validateLabels, validateObjectMeta, validateObjectMetaUpdate } from "./meta.ts";
import {
  invalidCIDRMessage,
  invalidIPMessage,
  isCIDR,
  isDNS1123Label,
  isDNS1123Subdomain,
  isIP,
  isQualifiedName,
  isValidPortName,
  isValidPortNum,
  isWildcardDNS1123Subdomain,
  nameIsDNS1035Label,
  nameIsDNSSubdomain,
} from "./names.ts";
import { ensureObj, isObj, list, num, type Obj, obj, objList, str } from "./object.ts";

const isHeadless = (spec: Obj) => list(spec.clusterIPs).length === 1 && list(spec.clusterIPs)[0] === "None";
const externallyAccessible = (spec: Obj) =>
  spec.type === "LoadBalancer" || spec.type === "NodePort" ||
  (spec.type === "ClusterIP" && list(spec.externalIPs).length > 0);

/**
 * Service defaults (`SetDefaults_Service`), plus what kube's service allocator settles before validation:
 * `clusterIP`/`clusterIPs` kept in step, `ipFamilyPolicy` (SingleStack, or RequireDualStack for a selector-less
 * headless Service) and `ipFamilies` (the family of the given clusterIP, else IPv4). Allocating the clusterIP
 * itself, node ports and the health-check node port stays with the caller.
 *
 * @example
 * ```ts
 * defaultService({ spec: { ports: [{ port: 80 }], selector: { app: "web" } } });
 * ```
 */
export function defaultService(svc: Obj): void {
  const spec = ensureObj(svc, "spec");
  if (!str(spec.sessionAffinity)) spec.sessionAffinity = "None";
  if (spec.sessionAffinity === "None") delete spec.sessionAffinityConfig;
  if (
    spec.sessionAffinity === "ClientIP" &&
    num(obj(obj(spec.sessionAffinityConfig).clientIP).timeoutSeconds) === undefined
  ) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  if (!str(spec.type)) spec.type = "ClusterIP";
  for (const port of objList(spec.ports)) {
    if (!str(port.protocol)) port.protocol = "TCP";
    if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === "") {
      port.targetPort = port.port;
    }
  }
  if (externallyAccessible(spec) && !str(spec.externalTrafficPolicy)) spec.externalTrafficPolicy = "Cluster";
  if (spec.internalTrafficPolicy == null && ["NodePort", "LoadBalancer", "ClusterIP"].includes(str(spec.type))) {
    spec.internalTrafficPolicy = "Cluster";
  }
  if (spec.type === "LoadBalancer" && spec.allocateLoadBalancerNodePorts == null) {
    spec.allocateLoadBalancerNodePorts = true;
  }
  if (spec.type === "ExternalName") return;
  const clusterIP = str(spec.clusterIP);
  if (clusterIP && list(spec.clusterIPs).length === 0) spec.clusterIPs = [clusterIP];
  if (!clusterIP && list(spec.clusterIPs).length > 0) spec.clusterIP = str(list(spec.clusterIPs)[0]);
  if (spec.ipFamilyPolicy == null) {
    const selectorless = Object.keys(obj(spec.selector)).length === 0;
    spec.ipFamilyPolicy = isHeadless(spec) && selectorless ? "RequireDualStack" : "SingleStack";
  }
  if (list(spec.ipFamilies).length === 0) {
    const first = str(list(spec.clusterIPs)[0]);
    spec.ipFamilies = [isIP(first) && first.includes(":") ? "IPv6" : "IPv4"];
  }
}

/**
 * Endpoints defaults: every port's protocol TCP.
 *
 * @example
 * ```ts
 * defaultEndpoints(endpoints);
 * ```
 */
export function defaultEndpoints(ep: Obj): void {
  for (const subset of objList(ep.subsets)) {
    for (const port of objList(subset.ports)) if (!str(port.protocol)) port.protocol = "TCP";
  }
}

/**
 * discovery/v1 EndpointSlice defaults: every port's name "" and protocol TCP.
 *
 * @example
 * ```ts
 * defaultEndpointSlice(slice);
 * ```
 */
export function defaultEndpointSlice(slice: Obj): void {
  for (const port of objList(slice.ports)) {
    if (port.name == null) port.name = "";
    if (port.protocol == null) port.protocol = "TCP";
  }
}

const protocols = ["SCTP", "TCP", "UDP"];

function goServicePort(protocol: string, port: number): GoLiteral {
  return new GoLiteral(
    `core.ServicePort{Name:"", Protocol:${
      goQuote(protocol)
    }, AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
  );
}

function validateServicePorts(spec: Obj): StatusCause[] {
  const errs: StatusCause[] = [];
  const ports = objList(spec.ports);
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = at("spec.ports", i);
    const name = str(port.name);
    if (ports.length > 1 && !name) errs.push(required(child(p, "name")));
    else if (name) {
      errs.push(...invalidEach(child(p, "name"), name, isDNS1123Label(name)));
      if (names.has(name)) errs.push(duplicate(child(p, "name"), name));
      else names.add(name);
    }
    const number = num(port.port) ?? 0;
    errs.push(...invalidEach(child(p, "port"), number, isValidPortNum(number)));
    const protocol = str(port.protocol);
    if (!protocol) errs.push(required(child(p, "protocol")));
    else if (!protocols.includes(protocol)) errs.push(notSupported(child(p, "protocol"), protocol, protocols));
    errs.push(...validatePortNumOrName(port.targetPort, child(p, "targetPort")));
    if (typeof port.appProtocol === "string") {
      errs.push(...invalidEach(child(p, "appProtocol"), port.appProtocol, isQualifiedName(port.appProtocol)));
    }
  });
  return errs;
}

function validateClusterIPs(spec: Obj): StatusCause[] {
  if (spec.type === "ExternalName") return [];
  const errs: StatusCause[] = [];
  const clusterIP = str(spec.clusterIP);
  const clusterIPs = list(spec.clusterIPs).map(str);
  if (clusterIP) {
    if (clusterIPs.length === 0) errs.push(required("spec.clusterIPs"));
    else if (clusterIPs[0] !== clusterIP) {
      errs.push(invalid("spec.clusterIPs", goStringSlice(clusterIPs), "first value must match `clusterIP`"));
    }
  } else if (clusterIPs.length > 0) {
    errs.push(invalid("spec.clusterIPs", goStringSlice(clusterIPs), "must be empty when `clusterIP` is not specified"));
  }
  const seen = new Set<string>();
  list(spec.ipFamilies).map(str).forEach((family, i) => {
    if (family !== "IPv4" && family !== "IPv6") {
      errs.push(notSupported(at("spec.ipFamilies", i), family, ["IPv4", "IPv6"]));
    }
    if (seen.has(family)) errs.push(duplicate(at("spec.ipFamilies", i), family));
    seen.add(family);
  });
  if (spec.ipFamilyPolicy != null) {
    const policies = ["PreferDualStack", "RequireDualStack", "SingleStack"];
    if (!policies.includes(str(spec.ipFamilyPolicy))) {
      errs.push(notSupported("spec.ipFamilyPolicy", str(spec.ipFamilyPolicy), policies));
    }
  }
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === "None") {
      if (clusterIPs.length > 1) {
        errs.push(invalid("spec.clusterIPs", goStringSlice(clusterIPs), "'None' must be the first and only value"));
      }
      return;
    }
    if (!isIP(ip)) errs.push(invalid(at("spec.clusterIPs", i), ip, invalidIPMessage));
  });
  return errs;
}

// External IPs may not be unspecified, loopback or link-local: those mean something else on every node.
function validateNonSpecialIP(ip: string, path: string): StatusCause[] {
  if (!isIP(ip)) return [invalid(path, ip, invalidIPMessage)];
  const errs: StatusCause[] = [];
  const v6 = ip.includes(":");
  const lower = ip.toLowerCase();
  if (v6 ? /^[0:]+$/.test(lower) : /^0+\.0+\.0+\.0+$/.test(ip)) {
    errs.push(invalid(path, ip, `may not be unspecified (${ip})`));
  }
  if (v6 ? /^(0*:)*0*1$/.test(lower) && lower.startsWith(":") : Number(ip.split(".")[0]) === 127) {
    errs.push(invalid(path, ip, "may not be in the loopback range (127.0.0.0/8, ::1/128)"));
  }
  if (v6 ? /^fe[89ab]/.test(lower) : ip.startsWith("169.254.")) {
    errs.push(invalid(path, ip, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"));
  }
  if (v6 ? lower.startsWith("ff02:") : ip.startsWith("224.0.0.")) {
    errs.push(invalid(path, ip, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"));
  }
  return errs;
}

function validateServiceSpec(svc: Obj): StatusCause[] {
  const spec = obj(svc.spec);
  const type = str(spec.type);
  const errs: StatusCause[] = [];
  const annotations = obj(obj(svc.metadata).annotations);
  const hints = annotations["service.kubernetes.io/topology-aware-hints"];
  const mode = annotations["service.kubernetes.io/topology-mode"];
  if (hints !== undefined && mode !== undefined && hints !== mode) {
    errs.push(
      invalid(
        "metadata.annotations[service.kubernetes.io/topology-mode]",
        str(mode),
        "must match annotations[service.kubernetes.io/topology-aware-hints] when both are specified",
      ),
    );
  }
  const ports = objList(spec.ports);
  if (ports.length === 0 && !isHeadless(spec) && type !== "ExternalName") errs.push(required("spec.ports"));
  if (type === "LoadBalancer") {
    ports.forEach((port, i) => {
      if (port.port === 10250) {
        errs.push(
          invalid(at("spec.ports", i), 10250, "may not expose port 10250 externally since it is used by kubelet"),
        );
      }
    });
    if (isHeadless(spec)) {
      errs.push(invalid("spec.clusterIPs[0]", "None", "may not be set to 'None' for LoadBalancer services"));
    }
  } else if (type === "NodePort") {
    if (isHeadless(spec)) {
      errs.push(invalid("spec.clusterIPs[0]", "None", "may not be set to 'None' for NodePort services"));
    }
  } else if (type === "ExternalName") {
    if (list(spec.clusterIPs).length > 0) {
      errs.push(forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
    }
    if (list(spec.ipFamilies).length > 0) {
      errs.push(forbidden("spec.ipFamilies", "may not be set for ExternalName services"));
    }
    if (spec.ipFamilyPolicy != null) {
      errs.push(forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"));
    }
    const cname = str(spec.externalName).replace(/\.$/, "");
    if (cname) errs.push(...invalidEach("spec.externalName", cname, isDNS1123Subdomain(cname)));
    else errs.push(required("spec.externalName"));
  }
  errs.push(...validateServicePorts(spec));
  if (spec.selector != null) errs.push(...validateLabels(spec.selector, "spec.selector"));
  const affinity = str(spec.sessionAffinity);
  if (!affinity) errs.push(required("spec.sessionAffinity"));
  else if (affinity !== "ClientIP" && affinity !== "None") {
    errs.push(notSupported("spec.sessionAffinity", affinity, ["ClientIP", "None"]));
  }
  if (affinity === "ClientIP") {
    const config = spec.sessionAffinityConfig;
    const detail = "when session affinity type is ClientIP";
    if (!isObj(config)) errs.push(required("spec.sessionAffinityConfig", detail));
    else if (!isObj(config.clientIP)) errs.push(required("spec.sessionAffinityConfig.clientIP", detail));
    else if (config.clientIP.timeoutSeconds == null) {
      errs.push(required("spec.sessionAffinityConfig.clientIP.timeoutSeconds", detail));
    } else {
      const timeout = num(config.clientIP.timeoutSeconds) ?? 0;
      if (timeout <= 0 || timeout > 86400) {
        errs.push(
          invalid(
            "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
            timeout,
            "must be greater than 0 and less than 86400",
          ),
        );
      }
    }
  } else if (affinity === "None" && spec.sessionAffinityConfig != null) {
    errs.push(forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"));
  }
  errs.push(...validateClusterIPs(spec));
  list(spec.externalIPs).map(str).forEach((ip, i) => errs.push(...validateNonSpecialIP(ip, at("spec.externalIPs", i))));
  const types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
  if (!type) errs.push(required("spec.type"));
  else if (!types.includes(type)) errs.push(notSupported("spec.type", type, types));
  if (type === "ClusterIP") {
    ports.forEach((port, i) => {
      if (num(port.nodePort)) {
        errs.push(forbidden(child(at("spec.ports", i), "nodePort"), "may not be used when `type` is 'ClusterIP'"));
      }
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((port, i) => {
    const nodePort = num(port.nodePort) ?? 0;
    if (!nodePort) return;
    const key = `${str(port.protocol)}/${nodePort}`;
    if (nodePorts.has(key)) errs.push(duplicate(child(at("spec.ports", i), "nodePort"), nodePort));
    nodePorts.add(key);
  });
  const seenPorts = new Set<string>();
  ports.forEach((port, i) => {
    const key = `${str(port.protocol)}/${num(port.port) ?? 0}`;
    if (seenPorts.has(key)) {
      errs.push(duplicate(at("spec.ports", i), goServicePort(str(port.protocol), num(port.port) ?? 0)));
    }
    seenPorts.add(key);
  });
  const ranges = list(spec.loadBalancerSourceRanges).map(str);
  if (ranges.length > 0) {
    // kube spells this path with a capital L.
    if (type !== "LoadBalancer") {
      errs.push(forbidden("spec.LoadBalancerSourceRanges", "may only be used when `type` is 'LoadBalancer'"));
    }
    ranges.forEach((r, i) => {
      const value = r.trim();
      if (!isCIDR(value)) errs.push(invalid(at("spec.LoadBalancerSourceRanges", i), value, invalidCIDRMessage));
    });
  } else if (typeof annotations["service.beta.kubernetes.io/load-balancer-source-ranges"] === "string") {
    const path = "metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]";
    if (type !== "LoadBalancer") errs.push(forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
    const value = str(annotations["service.beta.kubernetes.io/load-balancer-source-ranges"]).trim();
    if (value) {
      for (const cidr of value.split(",").map((c) => c.trim())) {
        if (!isCIDR(cidr)) errs.push(invalid(path, cidr, invalidCIDRMessage));
      }
    }
  }
  if (spec.allocateLoadBalancerNodePorts != null && type !== "LoadBalancer") {
    errs.push(forbidden("spec.allocateLoadBalancerNodePorts", "may only be used when `type` is 'LoadBalancer'"));
  }
  // kube omits the `spec.` prefix on this one.
  if (type === "LoadBalancer" && spec.allocateLoadBalancerNodePorts == null) {
    errs.push(required("allocateLoadBalancerNodePorts"));
  }
  if (spec.loadBalancerClass != null) {
    if (type !== "LoadBalancer") {
      errs.push(forbidden("spec.loadBalancerClass", "may only be used when `type` is 'LoadBalancer'"));
    } else {
      const lbClass = str(spec.loadBalancerClass);
      errs.push(...invalidEach("spec.loadBalancerClass", lbClass, isQualifiedName(lbClass)));
    }
  }
  const etp = str(spec.externalTrafficPolicy);
  if (!externallyAccessible(spec)) {
    if (etp) {
      errs.push(invalid("spec.externalTrafficPolicy", etp, "may only be set for externally-accessible services"));
    }
  } else if (!etp) errs.push(required("spec.externalTrafficPolicy"));
  else if (etp !== "Cluster" && etp !== "Local") {
    errs.push(notSupported("spec.externalTrafficPolicy", etp, ["Cluster", "Local"]));
  }
  const hcnp = num(spec.healthCheckNodePort) ?? 0;
  if (!(type === "LoadBalancer" && etp === "Local")) {
    if (hcnp !== 0) {
      errs.push(
        invalid(
          "spec.healthCheckNodePort",
          hcnp,
          "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
        ),
      );
    }
  } else if (hcnp === 0) errs.push(required("spec.healthCheckNodePort"));
  else errs.push(...invalidEach("spec.healthCheckNodePort", hcnp, isValidPortNum(hcnp)));
  if (spec.internalTrafficPolicy == null) {
    if (["NodePort", "LoadBalancer", "ClusterIP"].includes(type)) errs.push(required("spec.internalTrafficPolicy"));
  } else if (!["Cluster", "Local"].includes(str(spec.internalTrafficPolicy))) {
    errs.push(notSupported("spec.internalTrafficPolicy", str(spec.internalTrafficPolicy), ["Cluster", "Local"]));
  }
  if (spec.trafficDistribution != null && spec.trafficDistribution !== "PreferClose") {
    errs.push(notSupported("spec.trafficDistribution", str(spec.trafficDistribution), ["PreferClose"]));
  }
  return errs;
}

/**
 * Create validation of a Service (its name must be a DNS-1035 label: it becomes a DNS name and env-var prefix).
 *
 * @example
 * ```ts
 * validateService(svc);
 * ```
 */
export function validateService(svc: Obj): StatusCause[] {
  return [
    ...validateObjectMeta(svc.metadata, { nameFn: nameIsDNS1035Label, namespaced: true }),
    ...validateServiceSpec(svc),
  ];
}

/**
 * Update validation of a Service: the primary clusterIP and IP family may not change once set (outside
 * ExternalName), nor the load-balancer class or health-check node port.
 *
 * @example
 * ```ts
 * validateServiceUpdate(next, old);
 * ```
 */
export function validateServiceUpdate(svc: Obj, old: Obj): StatusCause[] {
  const errs = validateObjectMetaUpdate(svc.metadata, old.metadata);
  const spec = obj(svc.spec);
  const oldSpec = obj(old.spec);
  if (spec.type !== "ExternalName" && oldSpec.type !== "ExternalName" && !(isHeadless(spec) && isHeadless(oldSpec))) {
    const ips = list(spec.clusterIPs).map(str);
    const oldIPs = list(oldSpec.clusterIPs).map(str);
    const shown = goStringSlice(spec.clusterIPs);
    if (ips.length === oldIPs.length) {
      oldIPs.forEach((ip, i) => {
        if (ip !== ips[i]) errs.push(invalid("spec.clusterIPs[0]", shown, "may not change once set"));
      });
    } else if (oldIPs.length > ips.length) {
      if (ips.length === 0) errs.push(invalid("spec.clusterIPs[0]", shown, "primary clusterIP can not be unset"));
      if (oldIPs.length > 0 && ips.length > 0 && ips[0] !== oldIPs[0]) {
        errs.push(invalid("spec.clusterIPs[0]", shown, "may not change once set"));
      }
      if (ips.length === 1 && spec.ipFamilyPolicy !== "SingleStack") {
        errs.push(
          invalid(
            "spec.clusterIPs[0]",
            shown,
            "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary clusterIP",
          ),
        );
      }
    } else if (oldIPs.length > 0 && ips[0] !== oldIPs[0]) {
      errs.push(invalid("spec.clusterIPs[0]", shown, "may not change once set"));
    }
    const families = list(spec.ipFamilies).map(str);
    const oldFamilies = list(oldSpec.ipFamilies).map(str);
    if (families.length > 0 && oldFamilies.length > 0 && families[0] !== oldFamilies[0]) {
      errs.push(invalid("spec.ipFamilies[0]", goStringSlice(families, "[]core.IPFamily"), "may not change once set"));
    }
  }
  if (oldSpec.type === "LoadBalancer" && spec.type === "LoadBalancer" && oldSpec.loadBalancerClass != null) {
    if (spec.loadBalancerClass !== oldSpec.loadBalancerClass) {
      errs.push(
        invalid(
          "spec.loadBalancerClass",
          spec.loadBalancerClass == null ? null : str(spec.loadBalancerClass),
          "may not change once set",
        ),
      );
    }
  }
  const needsHealthCheck = (s: Obj) => s.type === "LoadBalancer" && s.externalTrafficPolicy === "Local";
  if (needsHealthCheck(spec) && needsHealthCheck(oldSpec) && spec.healthCheckNodePort !== oldSpec.healthCheckNodePort) {
    errs.push(forbidden("spec.healthCheckNodePort", "field is immutable"));
  }
  errs.push(...validateServiceSpec(svc));
  return errs;
}

/**
 * Create validation of Endpoints and EndpointSlices: their metadata (the controllers write the rest).
 *
 * @example
 * ```ts
 * validateEndpoints(endpoints);
 * ```
 */
export function validateEndpoints(ep: Obj): StatusCause[] {
  return validateObjectMeta(ep.metadata, { nameFn: nameIsDNSSubdomain, namespaced: true });
}

const pathTypes = ["Exact", "ImplementationSpecific", "Prefix"];

function validateIngressBackend(backend: Obj, path: string): StatusCause[] {
  const hasResource = isObj(backend.resource);
  const hasService = isObj(backend.service);
  if (hasResource && hasService) return [invalid(path, "", "cannot set both resource and service backends")];
  if (hasResource) {
    const r = obj(backend.resource);
    const errs: StatusCause[] = [];
    if (!str(r.kind)) errs.push(required(child(path, "resource", "kind")));
    if (!str(r.name)) errs.push(required(child(path, "resource", "name")));
    return errs;
  }
  if (!hasService) return [invalid(path, "", "resource or service backend is required")];
  const service = obj(backend.service);
  const errs: StatusCause[] = [];
  const name = str(service.name);
  if (!name) errs.push(required(child(path, "service", "name")));
  else errs.push(...invalidEach(child(path, "service", "name"), name, nameIsDNS1035Label(name, false)));
  const port = obj(service.port);
  const portName = str(port.name);
  const portNumber = num(port.number) ?? 0;
  if (portName && portNumber) errs.push(invalid(path, "", "cannot set both port name & port number"));
  else if (portName) {
    errs.push(...invalidEach(child(path, "service", "port", "name"), portName, isValidPortName(portName)));
  } else if (portNumber) {
    errs.push(...invalidEach(child(path, "service", "port", "number"), portNumber, isValidPortNum(portNumber)));
  } else errs.push(required(path, "port name or number is required"));
  return errs;
}

function validateIngressPath(p: Obj, path: string): StatusCause[] {
  if (p.pathType == null) return [required(child(path, "pathType"), "pathType must be specified")];
  const errs: StatusCause[] = [];
  const pathType = str(p.pathType);
  const value = str(p.path);
  if (pathType === "Exact" || pathType === "Prefix") {
    if (!value.startsWith("/")) errs.push(invalid(child(path, "path"), value, "must be an absolute path"));
    if (value) {
      for (const seq of ["//", "/./", "/../", "%2f", "%2F"]) {
        if (value.includes(seq)) errs.push(invalid(child(path, "path"), value, `must not contain '${seq}'`));
      }
      for (const suffix of ["/..", "/."]) {
        if (value.endsWith(suffix)) errs.push(invalid(child(path, "path"), value, `cannot end with '${suffix}'`));
      }
    }
  } else if (pathType === "ImplementationSpecific") {
    if (value && !value.startsWith("/")) errs.push(invalid(child(path, "path"), value, "must be an absolute path"));
  } else errs.push(notSupported(child(path, "pathType"), pathType, pathTypes));
  errs.push(...validateIngressBackend(obj(p.backend), child(path, "backend")));
  return errs;
}

function validateHost(host: string, path: string): StatusCause[] {
  if (host.includes("*")) return invalidEach(path, host, isWildcardDNS1123Subdomain(host));
  return invalidEach(path, host, isDNS1123Subdomain(host));
}

/**
 * Create and update validation of a networking.k8s.io/v1 Ingress.
 *
 * @example
 * ```ts
 * validateIngress(ingress);
 * ```
 */
export function validateIngress(ing: Obj): StatusCause[] {
  const errs = validateObjectMeta(ing.metadata, { nameFn: nameIsDNSSubdomain, namespaced: true });
  const spec = obj(ing.spec);
  const rules = objList(spec.rules);
  if (rules.length === 0 && !isObj(spec.defaultBackend)) {
    const shown = Array.isArray(spec.rules) ? "[]networking.IngressRule{}" : "[]networking.IngressRule(nil)";
    errs.push(invalid("spec", new GoLiteral(shown), "either `defaultBackend` or `rules` must be specified"));
  }
  if (isObj(spec.defaultBackend)) errs.push(...validateIngressBackend(spec.defaultBackend, "spec.defaultBackend"));
  rules.forEach((rule, i) => {
    const p = at("spec.rules", i);
    const host = str(rule.host);
    if (host) {
      if (isIP(host)) errs.push(invalid(child(p, "host"), host, "must be a DNS name, not an IP address"));
      errs.push(...validateHost(host, child(p, "host")));
    }
    if (isObj(rule.http)) {
      const paths = objList(rule.http.paths);
      if (paths.length === 0) errs.push(required(child(p, "http", "paths")));
      paths.forEach((path, j) => errs.push(...validateIngressPath(path, at(child(p, "http", "paths"), j))));
    }
  });
  objList(spec.tls).forEach((tls, i) => {
    const p = at("spec.tls", i);
    list(tls.hosts).map(str).forEach((host, j) => errs.push(...validateHost(host, at(child(p, "hosts"), j))));
    const secretName = str(tls.secretName);
    if (secretName) {
      errs.push(...invalidEach(child(p, "secretName"), secretName, nameIsDNSSubdomain(secretName, false)));
    }
  });
  if (typeof spec.ingressClassName === "string") {
    errs.push(
      ...invalidEach("spec.ingressClassName", spec.ingressClassName, nameIsDNSSubdomain(spec.ingressClassName, false)),
    );
  }
  return errs;
}

/**
 * Update validation of an Ingress.
 *
 * @example
 * ```ts
 * validateIngressUpdate(next, old);
 * ```
 */
export function validateIngressUpdate(ing: Obj, old: Obj): StatusCause[] {
  return [...validateObjectMetaUpdate(ing.metadata, old.metadata), ...validateIngress(ing)];
}

/**
 * networking.k8s.io NetworkPolicy defaults: ports' protocol TCP, and `policyTypes` of [Ingress] (plus Egress when
 * egress rules are given) when unset.
 *
 * @example
 * ```ts
 * defaultNetworkPolicy({ spec: { podSelector: {}, egress: [{}] } }); // policyTypes: ["Ingress", "Egress"]
 * ```
 */
export function defaultNetworkPolicy(np: Obj): void {
  const spec = ensureObj(np, "spec");
  for (const key of ["ingress", "egress"]) {
    for (const rule of objList(spec[key])) {
      for (const port of objList(rule.ports)) if (port.protocol == null) port.protocol = "TCP";
    }
  }
  if (list(spec.policyTypes).length === 0) {
    spec.policyTypes = list(spec.egress).length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
  }
}

const needsNodePort = (spec: Obj) =>
  spec.type === "NodePort" || (spec.type === "LoadBalancer" && spec.allocateLoadBalancerNodePorts !== false);

/**
 * What kube's Service REST storage copies from the stored object into an update body that leaves allocated values
 * out (`kubectl replace` of a manifest): clusterIP(s), node ports (matched by port name) and the health-check node
 * port. Call it before `applyDefaults(…, "update")` and `validateUpdate`, or the update reads as unsetting them.
 *
 * @example
 * ```ts
 * carryServiceAllocations(body, stored); // body.spec.clusterIP === stored.spec.clusterIP
 * ```
 */
export function carryServiceAllocations(svc: Obj, old: Obj): Obj {
  const spec = ensureObj(svc, "spec");
  const oldSpec = obj(old.spec);
  const type = (s: Obj) => str(s.type) || "ClusterIP";
  if (type(spec) !== "ExternalName" && type(oldSpec) !== "ExternalName") {
    if (!str(spec.clusterIP) && str(oldSpec.clusterIP)) spec.clusterIP = oldSpec.clusterIP;
    if (list(spec.clusterIPs).length === 0 && list(oldSpec.clusterIPs).length > 0) {
      spec.clusterIPs = [...list(oldSpec.clusterIPs)];
    }
  }
  const withType = { ...spec, type: type(spec) };
  if (needsNodePort({ ...oldSpec, type: type(oldSpec) }) && needsNodePort(withType)) {
    const ports = objList(spec.ports);
    const inNew = new Set(ports.map((p) => num(p.nodePort) ?? 0).filter((n) => n !== 0));
    const used = new Set(objList(oldSpec.ports).map((p) => num(p.nodePort) ?? 0).filter((n) => inNew.has(n)));
    const byName = new Map(objList(oldSpec.ports).map((p) => [str(p.name), num(p.nodePort) ?? 0]));
    for (const p of ports) {
      const previous = byName.get(str(p.name)) ?? 0;
      if (!num(p.nodePort) && previous && !used.has(previous)) p.nodePort = previous;
    }
  }
  const needsHealthCheck = (s: Obj) => type(s) === "LoadBalancer" && s.externalTrafficPolicy === "Local";
  if (needsHealthCheck(oldSpec) && needsHealthCheck(spec) && !num(spec.healthCheckNodePort)) {
    spec.healthCheckNodePort = oldSpec.healthCheckNodePort;
  }
  return svc;
}
