// The Docker-link style service variables, as upstream's envvars.FromServices names them.
import assert from "node:assert/strict";
import { serviceEnv } from "../../../node/env/mod.ts";

Deno.test("serviceEnv names host, ports and docker links of every port", () => {
  const env = serviceEnv([{
    metadata: { name: "redis-primary" },
    spec: { clusterIP: "10.43.0.11", ports: [{ port: 6379 }, { name: "metrics", port: 9121, protocol: "UDP" }] },
  }]);
  assert.deepEqual(env, {
    REDIS_PRIMARY_SERVICE_HOST: "10.43.0.11",
    REDIS_PRIMARY_SERVICE_PORT: "6379",
    REDIS_PRIMARY_SERVICE_PORT_METRICS: "9121",
    REDIS_PRIMARY_PORT: "tcp://10.43.0.11:6379",
    REDIS_PRIMARY_PORT_6379_TCP: "tcp://10.43.0.11:6379",
    REDIS_PRIMARY_PORT_6379_TCP_PROTO: "tcp",
    REDIS_PRIMARY_PORT_6379_TCP_PORT: "6379",
    REDIS_PRIMARY_PORT_6379_TCP_ADDR: "10.43.0.11",
    REDIS_PRIMARY_PORT_9121_UDP: "udp://10.43.0.11:9121",
    REDIS_PRIMARY_PORT_9121_UDP_PROTO: "udp",
    REDIS_PRIMARY_PORT_9121_UDP_PORT: "9121",
    REDIS_PRIMARY_PORT_9121_UDP_ADDR: "10.43.0.11",
  });
});

Deno.test("serviceEnv brackets IPv6 cluster IPs in URLs", () => {
  const env = serviceEnv([{ metadata: { name: "web" }, spec: { clusterIP: "fd00::5", ports: [{ port: 80 }] } }]);
  assert.equal(env.WEB_PORT, "tcp://[fd00::5]:80");
  assert.equal(env.WEB_SERVICE_HOST, "fd00::5");
});

Deno.test("serviceEnv skips headless and IP-less services", () => {
  const env = serviceEnv([
    { metadata: { name: "headless" }, spec: { clusterIP: "None", ports: [{ port: 80 }] } },
    { metadata: { name: "external" }, spec: { ports: [{ port: 80 }] } },
  ]);
  assert.deepEqual(env, {});
});
