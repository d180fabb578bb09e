import assert from "node:assert/strict";
import { defaultPullPolicy } from "../../../core/admission/pod_defaults.ts";
import { type Any, container, defaults } from "./support.ts";

function pod(spec: Any): Any {
  return defaults("", "Pod", { metadata: { name: "p", namespace: "default" }, spec });
}

Deno.test("defaults: a Pod spec gets restartPolicy, dnsPolicy, schedulerName, grace period and securityContext", () => {
  const { spec } = pod({ containers: [container()] });
  assert.equal(spec.restartPolicy, "Always");
  assert.equal(spec.dnsPolicy, "ClusterFirst");
  assert.equal(spec.schedulerName, "default-scheduler");
  assert.equal(spec.terminationGracePeriodSeconds, 30);
  assert.deepEqual(spec.securityContext, {});
});

Deno.test("defaults: only a real Pod gets enableServiceLinks true", () => {
  assert.equal(pod({ containers: [container()] }).spec.enableServiceLinks, true);
  const d = defaults("apps", "Deployment", { spec: { template: { spec: { containers: [container()] } } } });
  assert.equal(d.spec.template.spec.enableServiceLinks, undefined);
});

Deno.test("defaults: imagePullPolicy is Always for latest or untagged images, else IfNotPresent", () => {
  assert.equal(defaultPullPolicy("nginx"), "Always");
  assert.equal(defaultPullPolicy("nginx:latest"), "Always");
  assert.equal(defaultPullPolicy("nginx:1.27"), "IfNotPresent");
  assert.equal(defaultPullPolicy("localhost:5000/app"), "Always");
  assert.equal(defaultPullPolicy("registry:5000/team/app:v2"), "IfNotPresent");
  assert.equal(defaultPullPolicy("nginx@sha256:" + "a".repeat(64)), "IfNotPresent");
  assert.equal(pod({ containers: [container("a", "busybox")] }).spec.containers[0].imagePullPolicy, "Always");
});

Deno.test("defaults: containers get termination message defaults, TCP ports and resources {}", () => {
  const c =
    pod({ containers: [{ ...container(), ports: [{ containerPort: 80 }, { containerPort: 53, protocol: "UDP" }] }] })
      .spec.containers[0];
  assert.equal(c.terminationMessagePath, "/dev/termination-log");
  assert.equal(c.terminationMessagePolicy, "File");
  assert.deepEqual(c.ports.map((p: Any) => p.protocol), ["TCP", "UDP"]);
  assert.deepEqual(c.resources, {});
});

Deno.test("defaults: a Pod's requests default to its limits, in canonical quantities", () => {
  const c = pod({ containers: [{ ...container(), resources: { limits: { cpu: "0.5", memory: "1024Mi" } } }] })
    .spec.containers[0];
  assert.deepEqual(c.resources, { limits: { cpu: "500m", memory: "1Gi" }, requests: { cpu: "500m", memory: "1Gi" } });
});

Deno.test("defaults: probes get timeout 1, period 10, thresholds 1 and 3, httpGet path / and scheme HTTP", () => {
  const c = pod({
    containers: [{
      ...container(),
      livenessProbe: { httpGet: { port: 8080 } },
      readinessProbe: { grpc: { port: 9000 }, periodSeconds: 5 },
      lifecycle: { preStop: { httpGet: { port: 80 } } },
    }],
  }).spec.containers[0];
  assert.deepEqual(c.livenessProbe, {
    httpGet: { port: 8080, path: "/", scheme: "HTTP" },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  assert.equal(c.readinessProbe.periodSeconds, 5);
  assert.deepEqual(c.readinessProbe.grpc, { port: 9000, service: "" });
  assert.deepEqual(c.lifecycle.preStop.httpGet, { port: 80, path: "/", scheme: "HTTP" });
});

Deno.test("defaults: volumes get emptyDir when sourceless, modes 0644, hostPath type and token expiry", () => {
  const { spec } = pod({
    containers: [container()],
    volumes: [
      { name: "scratch" },
      { name: "conf", configMap: { name: "c" } },
      { name: "creds", secret: { secretName: "s" } },
      { name: "host", hostPath: { path: "/var/log" } },
      { name: "token", projected: { sources: [{ serviceAccountToken: { path: "t" } }] } },
      { name: "info", downwardAPI: { items: [{ path: "n", fieldRef: { fieldPath: "metadata.name" } }] } },
    ],
  });
  const [scratch, conf, creds, host, token, info] = spec.volumes;
  assert.deepEqual(scratch.emptyDir, {});
  assert.equal(conf.configMap.defaultMode, 420);
  assert.equal(creds.secret.defaultMode, 420);
  assert.equal(host.hostPath.type, "");
  assert.equal(token.projected.defaultMode, 420);
  assert.equal(token.projected.sources[0].serviceAccountToken.expirationSeconds, 3600);
  assert.equal(info.downwardAPI.items[0].fieldRef.apiVersion, "v1");
});

Deno.test("defaults: env fieldRefs get apiVersion v1", () => {
  const c = pod({
    containers: [{ ...container(), env: [{ name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }] }],
  }).spec.containers[0];
  assert.equal(c.env[0].valueFrom.fieldRef.apiVersion, "v1");
});

Deno.test("defaults: with hostNetwork a Pod's container ports get hostPort = containerPort", () => {
  const c =
    pod({ hostNetwork: true, containers: [{ ...container(), ports: [{ containerPort: 8080 }] }] }).spec.containers[0];
  assert.equal(c.ports[0].hostPort, 8080);
});

Deno.test("defaults: explicit values are kept", () => {
  const { spec } = pod({
    restartPolicy: "Never",
    dnsPolicy: "Default",
    terminationGracePeriodSeconds: 0,
    enableServiceLinks: false,
    containers: [{ ...container(), imagePullPolicy: "Never" }],
  });
  assert.equal(spec.restartPolicy, "Never");
  assert.equal(spec.dnsPolicy, "Default");
  assert.equal(spec.terminationGracePeriodSeconds, 0);
  assert.equal(spec.enableServiceLinks, false);
  assert.equal(spec.containers[0].imagePullPolicy, "Never");
});
