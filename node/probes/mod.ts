/**
 * Container probes (exec, httpGet, tcpSocket, grpc) and lifecycle hooks, run the kubelet's way.
 *
 * @example
 * ```ts
 * import { ContainerProber, runHandler } from "./mod.ts";
 * new ContainerProber({ pod, container, target, onChange }).start();
 * ```
 *
 * @module
 */
export { ContainerProber, type ContainerProberOptions } from "./prober.ts";
export { PROBE_USER_AGENT, type ProbeResult, type ProbeTarget, resolvePort, runHandler, runProbe } from "./probe.ts";
