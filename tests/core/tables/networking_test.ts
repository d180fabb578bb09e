import assert from "node:assert/strict";
import { toTable } from "../../../core/tables/table.ts";
import { ago, cells, names, narrowNames, NOW, row, wideNames } from "./helpers.ts";

type Obj = Record<string, unknown>;

function svc(spec: Obj, status: Obj = {}): Obj {
  return { metadata: { name: "s", creationTimestamp: ago(45) }, spec, status };
}

function svcRow(spec: Obj, status?: Obj): Record<string, unknown> {
  return row(toTable("Service", "", [svc(spec, status)], { now: NOW }));
}

Deno.test("services: columns and a ClusterIP service", () => {
  const table = toTable("Service", "", [svc({
    type: "ClusterIP",
    clusterIP: "10.43.0.10",
    clusterIPs: ["10.43.0.10"],
    ports: [{ name: "dns", port: 53, protocol: "UDP" }, { name: "dns-tcp", port: 53, protocol: "TCP" }],
    selector: { "k8s-app": "kube-dns" },
  })], { now: NOW });
  assert.deepEqual(narrowNames(table), ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age"]);
  assert.deepEqual(wideNames(table), ["Selector"]);
  assert.deepEqual(cells(table)[0], [
    "s",
    "ClusterIP",
    "10.43.0.10",
    "<none>",
    "53/UDP,53/TCP",
    "45s",
    "k8s-app=kube-dns",
  ]);
});

Deno.test("services: external IP per type, node ports, headless and port-less", () => {
  assert.equal(
    svcRow({
      type: "NodePort",
      clusterIP: "10.43.1.1",
      ports: [{ port: 80, nodePort: 30080, protocol: "TCP" }],
    })["Port(s)"],
    "80:30080/TCP",
  );
  assert.equal(
    svcRow({ type: "NodePort", externalIPs: ["192.0.2.1", "192.0.2.2"] })["External-IP"],
    "192.0.2.1,192.0.2.2",
  );
  assert.equal(svcRow({ type: "LoadBalancer" })["External-IP"], "<pending>");
  assert.equal(
    svcRow({ type: "LoadBalancer" }, {
      loadBalancer: { ingress: [{ ip: "192.168.1.20" }, { ip: "192.168.1.10" }, { hostname: "lb.example.com" }] },
    })["External-IP"],
    // Sorted, and never clipped: the server prints the wide form.
    "192.168.1.10,192.168.1.20,lb.example.com",
  );
  assert.equal(
    svcRow({ type: "LoadBalancer", externalIPs: ["203.0.113.5"] }, { loadBalancer: { ingress: [{ ip: "10.0.0.1" }] } })[
      "External-IP"
    ],
    "10.0.0.1,203.0.113.5",
  );
  const external = svcRow({ type: "ExternalName", externalName: "db.example.com" });
  assert.equal(external["External-IP"], "db.example.com");
  assert.equal(external["Cluster-IP"], "<none>");
  assert.equal(external["Port(s)"], "<none>");
  assert.equal(svcRow({ clusterIP: "None", ports: [{ port: 5432 }] })["Cluster-IP"], "None");
  // Type and protocol default as the API server defaults them.
  assert.equal(svcRow({ clusterIP: "None", ports: [{ port: 5432 }] }).Type, "ClusterIP");
  assert.equal(svcRow({ clusterIP: "None", ports: [{ port: 5432 }] })["Port(s)"], "5432/TCP");
});

Deno.test("endpoints: ip:port list, headless, more than three, none", () => {
  const ep = (subsets: unknown) =>
    row(toTable("Endpoints", "", [{ metadata: { name: "e", creationTimestamp: ago(5) }, subsets }], { now: NOW }));
  assert.deepEqual(names(toTable("Endpoints", "", [], { now: NOW })), ["Name", "Endpoints", "Age"]);
  assert.equal(ep(undefined).Endpoints, "<none>");
  assert.equal(
    ep([{ addresses: [{ ip: "10.42.0.5" }, { ip: "10.42.0.6" }], ports: [{ port: 80 }] }]).Endpoints,
    "10.42.0.5:80,10.42.0.6:80",
  );
  assert.equal(ep([{ addresses: [{ ip: "10.42.0.5" }] }]).Endpoints, "10.42.0.5");
  assert.equal(ep([{ addresses: [{ ip: "fd00::5" }], ports: [{ port: 443 }] }]).Endpoints, "[fd00::5]:443");
  assert.equal(
    ep([{ addresses: [{ ip: "a" }, { ip: "b" }, { ip: "c" }], ports: [{ port: 1 }, { port: 2 }] }]).Endpoints,
    "a:1,b:1,c:1 + 3 more...",
  );
  assert.equal(ep([{ notReadyAddresses: [{ ip: "10.42.0.7" }], ports: [{ port: 80 }] }]).Endpoints, "");
});

Deno.test("endpointslices: address type, ports, endpoints", () => {
  const table = toTable("EndpointSlice", "discovery.k8s.io", [{
    metadata: { name: "web-abc12", creationTimestamp: ago(20) },
    addressType: "IPv4",
    ports: [{ name: "http", port: 80, protocol: "TCP" }, { name: "https", port: 443 }],
    endpoints: [{ addresses: ["10.42.0.5"] }, { addresses: ["10.42.0.6"] }, { addresses: ["10.42.0.7"] }, {
      addresses: ["10.42.0.8"],
    }],
  }, { metadata: { name: "empty", creationTimestamp: ago(20) }, addressType: "IPv6", ports: [{}], endpoints: [] }], {
    now: NOW,
  });
  assert.deepEqual(names(table), ["Name", "AddressType", "Ports", "Endpoints", "Age"]);
  assert.deepEqual(cells(table), [
    ["web-abc12", "IPv4", "80,443", "10.42.0.5,10.42.0.6,10.42.0.7 + 1 more...", "20s"],
    ["empty", "IPv6", "*", "<unset>", "20s"],
  ]);
});

Deno.test("ingresses and ingressclasses", () => {
  const table = toTable("Ingress", "networking.k8s.io", [{
    metadata: { name: "web", creationTimestamp: ago(3600 * 5) },
    spec: {
      ingressClassName: "traefik",
      rules: [{ host: "a.example.com" }, { host: "b.example.com" }],
      tls: [{ hosts: ["a.example.com"] }],
    },
    status: { loadBalancer: { ingress: [{ ip: "192.168.1.10" }] } },
  }, {
    metadata: { name: "catchall", creationTimestamp: ago(30) },
    spec: { defaultBackend: { service: { name: "x", port: { number: 80 } } } },
  }, {
    metadata: { name: "many", creationTimestamp: ago(30) },
    spec: { rules: [{ host: "1" }, {}, { host: "3" }, { host: "4" }, { host: "5" }] },
  }], { now: NOW });
  assert.deepEqual(names(table), ["Name", "Class", "Hosts", "Address", "Ports", "Age"]);
  assert.deepEqual(cells(table), [
    ["web", "traefik", "a.example.com,b.example.com", "192.168.1.10", "80, 443", "5h"],
    ["catchall", "<none>", "*", "", "80", "30s"],
    ["many", "<none>", "1,3,4 + 2 more...", "", "80", "30s"],
  ]);

  const classes = toTable("IngressClass", "networking.k8s.io", [{
    metadata: { name: "traefik", creationTimestamp: ago(60) },
    spec: { controller: "traefik.io/ingress-controller" },
  }, {
    metadata: { name: "nginx", creationTimestamp: ago(60) },
    spec: {
      controller: "k8s.io/ingress-nginx",
      parameters: { apiGroup: "k8s.example.com", kind: "IngressParameters", name: "p" },
    },
  }], { now: NOW });
  assert.deepEqual(names(classes), ["Name", "Controller", "Parameters", "Age"]);
  assert.deepEqual(cells(classes), [
    ["traefik", "traefik.io/ingress-controller", "<none>", "60s"],
    ["nginx", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/p", "60s"],
  ]);
});

Deno.test("networkpolicies: pod selector", () => {
  const table = toTable("NetworkPolicy", "networking.k8s.io", [
    { metadata: { name: "deny-all", creationTimestamp: ago(5) }, spec: { podSelector: {} } },
    { metadata: { name: "web", creationTimestamp: ago(5) }, spec: { podSelector: { matchLabels: { app: "web" } } } },
  ], { now: NOW });
  assert.deepEqual(names(table), ["Name", "Pod-Selector", "Age"]);
  assert.deepEqual(cells(table), [["deny-all", "<none>", "5s"], ["web", "app=web", "5s"]]);
});
