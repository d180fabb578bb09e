/**
 * The node agent `k3s server` runs (unless `--disable-agent`): containerd as a supervised child (or the runtime at
 * `--container-runtime-endpoint`), the air-gap image import, the Node with its Lease and status, the CNI bridge on
 * the pod CIDR the server assigns, and the kubelet running the node's pods.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { NodeStreams } from "../../core/api/pod_streams.ts";
import type { Client } from "../../core/client/mod.ts";
import { errorMessage, sleep } from "../../core/operator/mod.ts";
import { firstIPv4 } from "../../core/pki/mod.ts";
import { writeBridgeConflist } from "../cni/mod.ts";
import {
  connectContainerRuntime,
  containerdPaths,
  type ContainerRuntime,
  detectCgroupDriver,
  startContainerd,
} from "../containerd/mod.ts";
import { CriClient } from "../cri/mod.ts";
import { imagesDir, startImageImporter } from "../images/mod.ts";
import { startKubelet } from "../kubelet/mod.ts";
import { nodeStreaming } from "../streaming/mod.ts";
import { goArch, machineCapacity, machineInfo } from "./machine.ts";
import { parseKubeletArgs, parseLabel, parseTaint } from "./kubelet_args.ts";
import { checkAgentPrerequisites } from "./prerequisites.ts";
import { type KubeletServing, serveKubeletAPI } from "./kubelet_server.ts";
import { defaultClusterDNS } from "./cluster_dns.ts";
import { type NodeSpecInputs, type Readiness, registerNode, runNodeHeartbeat } from "./node_status.ts";

/** What the agent is told (K3s's agent flags). */
export interface AgentOptions {
  client: Client;
  dataDir: string;
  /** `--node-name` (default: the host name, lower-cased). */
  nodeName?: string;
  /** `--node-ip` (default: the first non-loopback IPv4 address). */
  nodeIP?: string;
  nodeLabels?: string[];
  nodeTaints?: string[];
  /** Whether this node also runs the control plane (labels it as K3s does). */
  controlPlane?: boolean;
  /** `--pause-image`. */
  pauseImage?: string;
  /** `--container-runtime-endpoint`: use this runtime instead of starting containerd. */
  containerRuntimeEndpoint?: string;
  kubeletArgs?: string[];
  /** `--cluster-dns` (default: the tenth address of `serviceCIDR`). */
  clusterDNS?: string[];
  /** `--service-cidr` (default `10.43.0.0/16`). */
  serviceCIDR?: string;
  clusterDomain?: string;
  /** `--resolv-conf` (default `/etc/resolv.conf`). */
  resolvConf?: string;
  /** Where the agent serves its pods' logs, exec, attach and port-forward (the server's {@linkcode NodeStreams}). */
  streams?: NodeStreams;
  /** Serve the kubelet's HTTPS API on the kubelet port with this certificate (servers reach it through tunnels). */
  kubeletServing?: KubeletServing;
  /** Where containerd's state and socket go (default `/run/k3s/containerd`); tests use their own. */
  runDir?: string;
  signal: AbortSignal;
  log: (line: string) => void;
}

/** A running agent. */
export interface Agent {
  nodeName: string;
  runtime: ContainerRuntime;
  /** Resolves once everything stopped (after `signal` aborted). */
  stopped: Promise<void>;
}

/**
 * The runtime's readiness in the kubelet's words (`RuntimeReady` and `NetworkReady` from CRI Status).
 *
 * @example
 * ```ts
 * (await runtimeReadiness(cri)).ready; // false until the CNI config exists
 * ```
 */
export async function runtimeReadiness(cri: CriClient): Promise<Readiness> {
  try {
    const conditions = (await cri.status()).status?.conditions ?? [];
    for (const type of ["RuntimeReady", "NetworkReady"]) {
      const c = conditions.find((x) => x.type === type);
      if (!c?.status) {
        const what = type === "RuntimeReady" ? "container runtime is down" : "container runtime network not ready";
        return {
          ready: false,
          message: `${what}: ${type}=false reason:${c?.reason ?? ""} message:${c?.message ?? ""}`,
        };
      }
    }
    return { ready: true };
  } catch (error) {
    return { ready: false, message: `container runtime is down: ${errorMessage(error)}` };
  }
}

/**
 * Start the agent; it runs until `options.signal` aborts (pods keep running in their shims after that, as with K3s).
 *
 * @example
 * ```ts
 * const agent = await startAgent({ client, dataDir: "/var/lib/rancher/k3s", controlPlane: true, signal, log: console.log });
 * await agent.stopped;
 * ```
 */
export async function startAgent(options: AgentOptions): Promise<Agent> {
  const { client, signal, log } = options;
  const cniBinDir = checkAgentPrerequisites({ startsContainerd: !options.containerRuntimeEndpoint });
  const kubelet = parseKubeletArgs(options.kubeletArgs ?? []);
  const clusterDNS = options.clusterDNS ?? [defaultClusterDNS(options.serviceCIDR ?? "10.43.0.0/16")];
  const labels = Object.fromEntries((options.nodeLabels ?? []).map(parseLabel));
  const taints = (options.nodeTaints ?? []).map(parseTaint);
  const nodeName = (options.nodeName ?? hostname()).toLowerCase();
  const nodeIP = options.nodeIP ?? firstIPv4();
  const cgroupDriver = detectCgroupDriver();
  const paths = containerdPaths(options.dataDir, options.runDir);

  const runtime = options.containerRuntimeEndpoint
    ? await connectContainerRuntime(options.containerRuntimeEndpoint, { signal, log })
    : await startContainerd({
      dataDir: options.dataDir,
      runDir: options.runDir,
      pauseImage: options.pauseImage,
      cniBinDir,
      log,
      signal,
    });
  const cri = new CriClient(runtime.address);
  const importer = await startImageImporter({ dir: imagesDir(options.dataDir), address: runtime.address, log });
  const version = await cri.version();
  const arch = goArch();
  const inputs: NodeSpecInputs = {
    name: nodeName,
    nodeIP,
    // K3s runs the kubelet with --hostname-override=<node name>, so that is the Hostname address.
    hostname: nodeName,
    labels: {
      "beta.kubernetes.io/arch": arch,
      "beta.kubernetes.io/os": "linux",
      "kubernetes.io/arch": arch,
      "kubernetes.io/hostname": nodeName,
      "kubernetes.io/os": "linux",
      "node.kubernetes.io/instance-type": "k3s",
      ...(options.controlPlane
        ? { "node-role.kubernetes.io/control-plane": "true", "node-role.kubernetes.io/master": "true" }
        : {}),
      ...labels,
    },
    taints,
    capacity: machineCapacity(existsSync(kubelet.rootDir) ? kubelet.rootDir : "/", kubelet.maxPods),
    info: machineInfo(),
    runtimeVersion: `${version.runtime_name}://${version.runtime_version}`,
    kubeletPort: kubelet.port,
  };
  const heartbeatOptions = { client, inputs, readiness: () => runtimeReadiness(cri), signal, log };
  await registerNode(heartbeatOptions);
  const heartbeat = runNodeHeartbeat(heartbeatOptions);

  const podCIDR = await waitForPodCIDR(client, nodeName, signal, log);
  if (podCIDR && writeBridgeConflist(paths.cniConfDir, { podCIDR })) {
    log(
      `Wrote the CNI bridge configuration for pod CIDR ${podCIDR} to ${join(paths.cniConfDir, "10-bridge.conflist")}`,
    );
  }

  const running = await startKubelet({
    client,
    runtime: cri,
    nodeName,
    nodeIP,
    rootDir: kubelet.rootDir,
    podLogsDir: kubelet.podLogsDir,
    imagesDir: imagesDir(options.dataDir),
    cgroupDriver,
    clusterDNS,
    clusterDomain: options.clusterDomain ?? "cluster.local",
    resolvConf: options.resolvConf ?? "/etc/resolv.conf",
    signal,
    log,
  });
  const unregister = options.streams?.register(nodeName, nodeStreaming(cri, log));
  const kubeletAPI = options.kubeletServing &&
    await serveKubeletAPI({
      client,
      runtime: cri,
      nodeName,
      port: kubelet.port,
      podLogsDir: kubelet.podLogsDir,
      memoryCapacity: inputs.capacity.memoryBytes,
      cgroupDriver,
      serving: options.kubeletServing,
      signal,
      log,
    });
  if (kubeletAPI) log(`Kubelet API listening on port ${kubeletAPI.port}`);
  const stopped = (async () => {
    await running.stopped;
    unregister?.();
    await kubeletAPI?.close();
    await heartbeat;
    await importer.stop();
    cri.close();
    await runtime.stop();
  })();
  return { nodeName, runtime, stopped };
}

/** The node's pod CIDR once the server's node IPAM controller assigned it. */
async function waitForPodCIDR(
  client: Client,
  name: string,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<string | undefined> {
  let said = false;
  while (!signal.aborted) {
    const node = await client.get<{ spec?: { podCIDR?: string; podCIDRs?: string[] } }>(
      { apiVersion: "v1", kind: "Node" },
      undefined,
      name,
    ).catch(() => undefined);
    const cidr = node?.spec?.podCIDRs?.[0] ?? node?.spec?.podCIDR;
    if (cidr) return cidr;
    if (!said) log(`Waiting for node ${name} to get its pod CIDR`);
    said = true;
    await sleep(500, signal);
  }
  return undefined;
}
