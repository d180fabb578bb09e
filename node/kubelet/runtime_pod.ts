/**
 * What the runtime has of one pod (the kubelet's `kubecontainer.Pod` from the PLEG relist): its sandboxes, newest
 * first, and its containers by name, newest attempt first, with their CRI statuses.
 *
 * @module
 */
import type { ContainerStatus, CriClient, PodSandbox } from "../cri/mod.ts";
import { CONTAINER_NAME_LABEL, POD_UID_LABEL } from "./sandbox_config.ts";

/** One pod's runtime state. */
export interface RuntimePod {
  sandboxes: PodSandbox[];
  /** Per container name, newest attempt first. */
  containers: Map<string, ContainerStatus[]>;
}

/**
 * Read the runtime state of pod `uid`. Exited containers never change, so their statuses come from `cache`.
 *
 * @example
 * ```ts
 * const state = await runtimePod(runtime, pod.metadata.uid, new Map());
 * state.containers.get("web")?.[0]?.state; // "CONTAINER_RUNNING"
 * ```
 */
export async function runtimePod(
  runtime: CriClient,
  uid: string,
  cache: Map<string, ContainerStatus>,
): Promise<RuntimePod> {
  const selector = { label_selector: { [POD_UID_LABEL]: uid } };
  const [sandboxes, containers] = await Promise.all([
    runtime.listPodSandbox(selector),
    runtime.listContainers(selector),
  ]);
  sandboxes.sort((a, b) => b.created_at - a.created_at);
  const statuses = await Promise.all(containers.map(async (c) => {
    const cached = cache.get(c.id);
    if (cached) return cached;
    const status = (await runtime.containerStatus(c.id)).status;
    if (status?.state === "CONTAINER_EXITED") cache.set(c.id, status);
    return status;
  }));
  const byName = new Map<string, ContainerStatus[]>();
  for (const status of statuses) {
    if (!status) continue;
    const name = status.labels[CONTAINER_NAME_LABEL] ?? status.metadata?.name ?? "";
    byName.set(name, [...(byName.get(name) ?? []), status]);
  }
  for (const list of byName.values()) {
    list.sort((a, b) => (b.metadata?.attempt ?? 0) - (a.metadata?.attempt ?? 0) || b.created_at - a.created_at);
  }
  const live = new Set(statuses.map((s) => s?.id));
  for (const id of cache.keys()) if (!live.has(id)) cache.delete(id);
  return { sandboxes, containers: byName };
}
