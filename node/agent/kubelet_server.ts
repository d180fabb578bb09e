/**
 * The agent's kubelet HTTPS API (port 10250): the server reaches it through the agent's tunnel for logs, exec, attach
 * and port-forward, and metrics-server for `/stats/summary`. Who may do what is asked of the API server with a
 * SubjectAccessReview, as the kubelet's webhook authorizer does.
 *
 * @module
 */
import type { Client, KubeResource } from "../../core/client/mod.ts";
import type { CriClient } from "../cri/mod.ts";
import type { CgroupDriver } from "../kubelet/resources.ts";
import {
  type KubeletRequestAttributes,
  type KubeletServer,
  type KubeletUser,
  startKubeletServer,
} from "../server/mod.ts";
import { detectCgroupMounts, StatsSampler, summaryStats } from "../stats/mod.ts";

/** The serving certificate of the kubelet and the CA whose client certificates it accepts (PEM). */
export interface KubeletServing {
  cert: string;
  key: string;
  clientCA: string;
  /** Default `0.0.0.0`, as the kubelet listens. */
  bindAddress?: string;
}

/** What {@linkcode serveKubeletAPI} needs from the agent. */
export interface KubeletAPIOptions {
  client: Client;
  runtime: CriClient;
  nodeName: string;
  port: number;
  podLogsDir: string;
  memoryCapacity: number;
  cgroupDriver: CgroupDriver;
  serving: KubeletServing;
  signal: AbortSignal;
  log: (line: string) => void;
}

interface SubjectAccessReview extends KubeResource {
  spec?: { user: string; groups: string[]; resourceAttributes: Record<string, string> };
  status?: { allowed?: boolean };
}

/**
 * Whether `user` may do `attributes` on this node, asked of the API server (a `SubjectAccessReview`).
 *
 * @example
 * ```ts
 * await subjectAccessReview(client, { name: "system:apiserver", groups: ["system:masters"] }, attributes); // true
 * ```
 */
export async function subjectAccessReview(
  client: Client,
  user: KubeletUser,
  attributes: KubeletRequestAttributes,
): Promise<boolean> {
  const review = await client.create<SubjectAccessReview>({
    apiVersion: "authorization.k8s.io/v1",
    kind: "SubjectAccessReview",
    spec: { user: user.name, groups: user.groups, resourceAttributes: { ...attributes, group: "" } },
  });
  return review.status?.allowed === true;
}

/**
 * Start the kubelet's HTTPS API for the agent's node.
 *
 * @example
 * ```ts
 * const server = await serveKubeletAPI({ client, runtime, nodeName, port: 10250, podLogsDir, memoryCapacity,
 *   cgroupDriver: "cgroupfs", serving: { cert, key, clientCA }, signal, log });
 * ```
 */
export function serveKubeletAPI(options: KubeletAPIOptions): Promise<KubeletServer> {
  const { client, runtime, nodeName } = options;
  const started = new Date();
  const mounts = detectCgroupMounts();
  const sampler = new StatsSampler();
  return startKubeletServer({
    runtime,
    nodeName,
    bindAddress: options.serving.bindAddress ?? "0.0.0.0",
    port: options.port,
    tls: { cert: options.serving.cert, key: options.serving.key, clientCA: options.serving.clientCA },
    authorize: (user, attributes) => subjectAccessReview(client, user, attributes),
    podLogsDir: options.podLogsDir,
    summary: () =>
      summaryStats({
        runtime,
        nodeName,
        nodeStartTime: started,
        memoryCapacity: options.memoryCapacity,
        mounts,
        driver: options.cgroupDriver,
        sampler,
      }),
    signal: options.signal,
    log: options.log,
  });
}
