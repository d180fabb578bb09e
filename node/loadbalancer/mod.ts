/**
 * The agent's client load balancer: 127.0.0.1:`--lb-server-port` forwarding to whichever server of the cluster is
 * up, with K3s's server states, health checks and saved server list.
 *
 * @example
 * ```ts
 * import { startLoadBalancer } from "./node/loadbalancer/mod.ts";
 * const lb = await startLoadBalancer({ agentDir, serverURL: "https://10.0.0.1:6443", port: 6444, log });
 * await lb.update(["10.0.0.1:6443", "10.0.0.2:6443"]);
 * ```
 *
 * @module
 */
export {
  type LoadBalancer,
  type LoadBalancerOptions,
  startLoadBalancer,
  SUPERVISOR_SERVICE_NAME,
} from "./load_balancer.ts";
export { configPath, type LoadBalancerConfig } from "./config.ts";
export type { HealthCheck, HealthCheckResult, ServerState, ServerStatus } from "./servers.ts";
