/**
 * The service environment variables the kubelet injects (`enableServiceLinks`): `<NAME>_SERVICE_HOST/_PORT` and the
 * Docker-link style `<NAME>_PORT_<port>_<PROTO>…` for every service of the pod's namespace with a cluster IP, and the
 * `kubernetes` service of `default` for every pod — even one with `enableServiceLinks: false`, as upstream does.
 *
 * @module
 */

/** The parts of a `v1.Service` the variables are made from. */
export interface LinkedService {
  metadata: { name: string; namespace?: string };
  spec?: { clusterIP?: string; ports?: { name?: string; port: number; protocol?: string }[] };
}

/**
 * The variables for `services` (already filtered to those the pod sees).
 *
 * @example
 * ```ts
 * serviceEnv([{ metadata: { name: "redis-primary" }, spec: { clusterIP: "10.43.0.11", ports: [{ port: 6379 }] } }]);
 * // { REDIS_PRIMARY_SERVICE_HOST: "10.43.0.11", REDIS_PRIMARY_SERVICE_PORT: "6379", REDIS_PRIMARY_PORT: "tcp://10.43.0.11:6379", … }
 * ```
 */
export function serviceEnv(services: LinkedService[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const service of services) {
    const ip = service.spec?.clusterIP;
    const ports = service.spec?.ports ?? [];
    if (!ip || ip === "None" || ports.length === 0) continue;
    const name = envName(service.metadata.name);
    env[`${name}_SERVICE_HOST`] = ip;
    env[`${name}_SERVICE_PORT`] = String(ports[0].port);
    for (const port of ports) {
      if (port.name) env[`${name}_SERVICE_PORT_${envName(port.name)}`] = String(port.port);
    }
    const first = ports[0];
    env[`${name}_PORT`] = `${(first.protocol || "TCP").toLowerCase()}://${hostPort(ip, first.port)}`;
    for (const port of ports) {
      const protocol = port.protocol || "TCP";
      const prefix = `${name}_PORT_${port.port}_${protocol.toUpperCase()}`;
      env[prefix] = `${protocol.toLowerCase()}://${hostPort(ip, port.port)}`;
      env[`${prefix}_PROTO`] = protocol.toLowerCase();
      env[`${prefix}_PORT`] = String(port.port);
      env[`${prefix}_ADDR`] = ip;
    }
  }
  return env;
}

/** Go's `net.JoinHostPort`: IPv6 addresses are bracketed. */
function hostPort(ip: string, port: number): string {
  return ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function envName(name: string): string {
  return name.toUpperCase().replaceAll("-", "_");
}
