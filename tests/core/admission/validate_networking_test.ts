import assert from "node:assert/strict";
import { carryServiceAllocations } from "../../../core/admission/networking.ts";
import { type Any, create, labelMessage, lines, ns, stored, update } from "./support.ts";

function service(spec: Any, name = "web"): Any {
  return { metadata: { name, namespace: ns }, spec };
}

Deno.test("validate: a valid ClusterIP Service has no causes", () => {
  assert.deepEqual(create("", "Service", service({ selector: { app: "web" }, ports: [{ port: 80 }] })), []);
});

Deno.test("validate: Service names must be DNS-1035 labels (no leading digit)", () => {
  assert.deepEqual(lines(create("", "Service", service({ ports: [{ port: 80 }] }, "1web"))), [
    `metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
  ]);
});

Deno.test("validate: a Service needs ports, valid port numbers and protocols", () => {
  assert.deepEqual(lines(create("", "Service", service({}))), ["spec.ports: Required value"]);
  assert.deepEqual(lines(create("", "Service", service({ ports: [{ port: 70000, protocol: "HTTP" }] }))), [
    "spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
    'spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    "spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
  ]);
});

Deno.test("validate: several Service ports need names, unique ones, and unique port/protocol pairs", () => {
  const causes = create("", "Service", service({ ports: [{ port: 80 }, { name: "Http", port: 80 }] }));
  assert.deepEqual(lines(causes), [
    "spec.ports[0].name: Required value",
    `spec.ports[1].name: Invalid value: "Http": ${labelMessage}`,
    'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
  ]);
});

Deno.test("validate: Service type and session affinity values", () => {
  assert.deepEqual(
    lines(create("", "Service", service({ type: "Internal", sessionAffinity: "Sticky", ports: [{ port: 80 }] }))),
    [
      'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"',
      'spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ],
  );
});

Deno.test("validate: a ClusterIP Service may not set nodePort; an invalid clusterIP is refused", () => {
  assert.deepEqual(
    lines(create("", "Service", service({ clusterIP: "10.43.0.300", ports: [{ port: 80, nodePort: 30080 }] }))),
    [
      'spec.clusterIPs[0]: Invalid value: "10.43.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    ],
  );
});

Deno.test("validate: ExternalName Services need a DNS name", () => {
  assert.deepEqual(create("", "Service", service({ type: "ExternalName", externalName: "db.example.com." })), []);
  assert.deepEqual(lines(create("", "Service", service({ type: "ExternalName" }))), [
    "spec.externalName: Required value",
  ]);
});

Deno.test("validate: a LoadBalancer with externalTrafficPolicy Local needs a health-check node port", () => {
  const causes = create(
    "",
    "Service",
    service({ type: "LoadBalancer", externalTrafficPolicy: "Local", ports: [{ port: 80 }] }),
  );
  assert.deepEqual(lines(causes), ["spec.healthCheckNodePort: Required value"]);
  assert.deepEqual(lines(create("", "Service", service({ externalTrafficPolicy: "Local", ports: [{ port: 80 }] }))), [
    'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
  ]);
});

Deno.test("validate: a Service's clusterIP may not change once set", () => {
  const old = stored("", "Service", service({ clusterIP: "10.43.0.10", ports: [{ port: 53 }] }));
  const next = structuredClone(old);
  next.spec.clusterIP = "10.43.0.11";
  next.spec.clusterIPs = ["10.43.0.11"];
  assert.deepEqual(lines(update("", "Service", next, old)), [
    'spec.clusterIPs[0]: Invalid value: []string{"10.43.0.11"}: may not change once set',
  ]);
  const relabeled = structuredClone(old);
  relabeled.metadata.labels = { a: "b" };
  assert.deepEqual(update("", "Service", relabeled, old), []);
});

function ingress(spec: Any): Any {
  return { metadata: { name: "web", namespace: ns }, spec };
}

const backend = { service: { name: "web", port: { number: 80 } } };

Deno.test("validate: an Ingress needs rules or a default backend", () => {
  assert.deepEqual(lines(create("networking.k8s.io", "Ingress", ingress({}))), [
    "spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified",
  ]);
});

Deno.test("validate: Ingress paths need a pathType and an absolute path", () => {
  const causes = create(
    "networking.k8s.io",
    "Ingress",
    ingress({
      rules: [{
        host: "Example.com",
        http: {
          paths: [{ path: "/", backend }, { path: "api", pathType: "Prefix", backend }, {
            path: "/",
            pathType: "Glob",
            backend,
          }],
        },
      }],
    }),
  );
  assert.deepEqual(lines(causes), [
    `spec.rules[0].host: Invalid value: "Example.com": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified",
    'spec.rules[0].http.paths[1].path: Invalid value: "api": must be an absolute path',
    'spec.rules[0].http.paths[2].pathType: Unsupported value: "Glob": supported values: "Exact", "ImplementationSpecific", "Prefix"',
  ]);
});

Deno.test("validate: an Ingress backend needs a port name or number", () => {
  const causes = create("networking.k8s.io", "Ingress", ingress({ defaultBackend: { service: { name: "web" } } }));
  assert.deepEqual(lines(causes), ["spec.defaultBackend: Required value: port name or number is required"]);
  assert.deepEqual(
    create(
      "networking.k8s.io",
      "Ingress",
      ingress({ rules: [{ host: "*.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend }] } }] }),
    ),
    [],
  );
});

Deno.test("validate: a replaced Service keeps its allocated clusterIP and node ports once carried over", () => {
  const old = stored(
    "",
    "Service",
    service({ type: "NodePort", clusterIP: "10.43.0.20", ports: [{ name: "http", port: 80, nodePort: 30080 }] }),
  );
  const body = service({ type: "NodePort", ports: [{ name: "http", port: 80 }] });
  body.metadata = { ...old.metadata };
  assert.deepEqual(lines(update("", "Service", structuredClone(body), old)), [
    "spec.clusterIPs[0]: Invalid value: []string(nil): primary clusterIP can not be unset",
  ]);
  carryServiceAllocations(body, old);
  assert.deepEqual(update("", "Service", body, old), []);
  assert.equal(body.spec.clusterIP, "10.43.0.20");
  assert.equal(body.spec.ports[0].nodePort, 30080);
});
