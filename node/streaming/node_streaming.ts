/**
 * The node's side of `kubectl logs`, `exec`, `attach` and `port-forward` (the kubelet's streaming API): finding the
 * pod's container or sandbox in the runtime by the kubelet's CRI labels, then reading its log file or serving the
 * upgraded connection.
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { LogOptions, NodeStreaming, StreamTarget } from "../../core/api/pod_streams.ts";
import { errorResponse } from "../../core/api/router.ts";
import { badRequest, notFound } from "../../core/api/status.ts";
import { refuseUpgrade } from "../../core/server/https.ts";
import type { ContainerStatus, CriClient } from "../cri/mod.ts";
import { CONTAINER_NAME_LABEL, POD_UID_LABEL } from "../kubelet/mod.ts";
import { readContainerLog } from "./container_logs.ts";
import { servePortForward } from "./port_forward.ts";
import { serveRemoteCommand } from "./remote_command.ts";

/** The pod's attempts of `container`, newest first. */
async function attempts(runtime: CriClient, target: StreamTarget): Promise<ContainerStatus[]> {
  const containers = await runtime.listContainers({
    label_selector: { [POD_UID_LABEL]: target.uid, [CONTAINER_NAME_LABEL]: target.container },
  });
  const statuses = await Promise.all(containers.map(async (c) => (await runtime.containerStatus(c.id)).status));
  return statuses
    .filter((s): s is ContainerStatus => s !== null)
    .sort((a, b) => (b.metadata?.attempt ?? 0) - (a.metadata?.attempt ?? 0) || b.created_at - a.created_at);
}

/**
 * The agent's {@linkcode NodeStreaming} over its runtime.
 *
 * @example
 * ```ts
 * server.nodes.register(nodeName, nodeStreaming(cri));
 * ```
 */
export function nodeStreaming(runtime: CriClient, log: (line: string) => void = () => {}): NodeStreaming {
  return {
    async logs(target: StreamTarget, options: LogOptions, signal: AbortSignal) {
      const all = await attempts(runtime, target);
      const chosen = options.previous ? all[1] : all[0];
      if (!chosen) {
        throw badRequest(
          options.previous
            ? `previous terminated container "${target.container}" in pod "${target.name}" not found`
            : `container "${target.container}" in pod "${target.name}" is waiting to start: ContainerCreating`,
        );
      }
      if (chosen.state === "CONTAINER_CREATED") {
        throw badRequest(
          `container "${target.container}" in pod "${target.name}" is waiting to start: ContainerCreating`,
        );
      }
      const stillRunning = async () => {
        try {
          return (await runtime.containerStatus(chosen.id)).status?.state === "CONTAINER_RUNNING";
        } catch {
          return false;
        }
      };
      return readContainerLog(chosen.log_path, options, { stillRunning, signal });
    },
    upgrade(kind, target: StreamTarget, request: IncomingMessage, socket: Duplex, head: Buffer) {
      (async () => {
        if (kind === "portforward") {
          const sandboxes = await runtime.listPodSandbox({
            label_selector: { [POD_UID_LABEL]: target.uid },
            state: { state: "SANDBOX_READY" },
          });
          if (!sandboxes[0]) throw badRequest(`pod ${target.name} has no running sandbox on this node`);
          servePortForward(sandboxes[0].id, runtime, request, socket, head);
          return;
        }
        const running = (await attempts(runtime, target)).find((c) => c.state === "CONTAINER_RUNNING");
        if (!running) throw notFound({ group: "", resource: "containers" }, target.container);
        await serveRemoteCommand(kind, running.id, runtime, request, socket, head);
      })().catch((error) => {
        log(`${kind} for pod ${target.namespace}/${target.name}: ${(error as Error).message}`);
        refuseUpgrade(socket, errorResponse(error));
      });
    },
  };
}
