/**
 * The ReplicaSet controller: keeps `spec.replicas` pods matching a ReplicaSet's selector running, as
 * kube-controller-manager's does. Pods are claimed through a controller ownerReference (matching orphans
 * adopted, owned pods that stopped matching released), missing ones created from `spec.template` in
 * slow-start batches, surplus ones deleted worst-first, and `status` kept up to date.
 *
 * @module
 */
import { type Client, isConflict, isNotFound } from "../../core/client/mod.ts";
import {
  claimObjects,
  type Controller,
  controller,
  CONTROLLER_INDEX,
  controllerRef,
  controllerRefTo,
  type KubeObject,
  type Manager,
  NAMESPACE_INDEX,
  objectKey,
  orphansOf,
} from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";
import { podExpectations } from "./expectations.ts";
import { deletionOrder, isActive, isReady, type Pod, untilAvailable } from "./pods.ts";
import { type LabelSelector, matchesSelector } from "../../core/api/label_selector.ts";

/** Kube's `BurstReplicas`: at most this many creations or deletions per sync. */
const BURST_REPLICAS = 500;
/** How soon to look again while the cache has not caught up with this controller's own writes. */
const EXPECTATION_RECHECK_MS = 200;

/** The parts of a ReplicaSet the controller reads. */
export interface ReplicaSet extends KubeObject {
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    generation?: number;
    resourceVersion?: string;
    deletionTimestamp?: string;
  };
  spec: {
    replicas?: number;
    minReadySeconds?: number;
    selector?: LabelSelector;
    template?: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] };
      spec?: Record<string, unknown>;
    };
  };
  status?: ReplicaSetStatus;
}

/** `status` as this controller writes it. */
export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: unknown[];
}

/** Kube's slow start: batches of 1, 2, 4, … until one fails; returns how many calls succeeded. */
async function slowStart(count: number, call: () => Promise<void>): Promise<{ done: number; error?: unknown }> {
  let done = 0;
  for (let batch = Math.min(1, count); done < count; batch = Math.min(2 * batch, count - done)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, call));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    done += results.filter((r) => r.status === "fulfilled").length;
    if (failed) return { done, error: failed.reason };
  }
  return { done };
}

/**
 * The controller, for `apps/v1` ReplicaSets owning `v1` Pods.
 *
 * @example
 * ```ts
 * const server = await startServer({ ...options, controllers: (deps) => [replicaSetController(deps)] });
 * ```
 */
export function replicaSetController(deps: { client: Client; registry: Registry; manager: Manager }): Controller {
  const { client, registry, manager } = deps;
  const replicasets = registry.resolve("apps", "v1", "replicasets")!;
  const pods = registry.resolve("", "v1", "pods")!;
  // Client refs name the kind outright: a registry entry carries both `kind` and no `apiVersion`.
  const podPath = { apiVersion: "v1", kind: "Pod" };
  const rsPath = { apiVersion: "apps/v1", kind: "ReplicaSet" };
  const rsCache = () => manager.cache(replicasets);
  const podCache = () => manager.cache(pods);
  const expectations = podExpectations(manager, pods);

  /** Orphan pods concern every ReplicaSet in their namespace that selects them (kube's `getPodReplicaSets`). */
  function selectingOrphan(pod: KubeObject): string[] {
    if (controllerRef(pod) || pod.metadata?.deletionTimestamp) return [];
    const namespace = pod.metadata?.namespace ?? "";
    return (rsCache().byIndex(NAMESPACE_INDEX, namespace) as ReplicaSet[])
      .filter((rs) => matchesSelector(rs.spec?.selector, pod.metadata?.labels))
      .map((rs) => objectKey(rs));
  }

  /** Kube's `ClaimPods`: the active pods this ReplicaSet controls after adopting and releasing. */
  async function claim(rs: ReplicaSet): Promise<Pod[]> {
    const candidates = [
      ...podCache().byIndex(CONTROLLER_INDEX, rs.metadata.uid),
      ...podCache().byIndex(CONTROLLER_INDEX, orphansOf(rs.metadata.namespace)),
    ] as Pod[];
    return await claimObjects(
      client,
      podPath,
      { ...rsPath, metadata: rs.metadata },
      candidates.filter(isActive),
      (pod) => matchesSelector(rs.spec.selector, pod.metadata.labels),
    );
  }

  /** Kube's `GetPodFromTemplate`; the API server picks the name and applies defaults. */
  function podFromTemplate(rs: ReplicaSet): KubeObject & { apiVersion: string; kind: string } {
    const template = rs.spec.template ?? {};
    const meta = template.metadata ?? {};
    return {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        generateName: `${rs.metadata.name}-`,
        namespace: rs.metadata.namespace,
        ...(meta.labels ? { labels: { ...meta.labels } } : {}),
        ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
        ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
        ownerReferences: [controllerRefTo({ ...rsPath, metadata: rs.metadata })],
      },
      spec: structuredClone(template.spec ?? {}),
    };
  }

  /** Kube's `manageReplicas`: create or delete the difference, recording expectations for each write. */
  async function manage(key: string, rs: ReplicaSet, active: Pod[]): Promise<void> {
    const diff = active.length - (rs.spec.replicas ?? 1);
    const uid = rs.metadata.uid;
    if (diff < 0) {
      const { error } = await slowStart(Math.min(-diff, BURST_REPLICAS), async () => {
        const created = await client.create(podFromTemplate(rs));
        expectations.created(key, uid, created.metadata?.resourceVersion);
      });
      if (error) throw error;
    } else if (diff > 0) {
      const victims = [...active].sort(deletionOrder).slice(0, Math.min(diff, BURST_REPLICAS));
      const results = await Promise.allSettled(victims.map(async (pod) => {
        try {
          await client.delete(podPath, pod.metadata.namespace, pod.metadata.name, {
            preconditions: { uid: pod.metadata.uid },
          });
          expectations.deleted(key, uid, pod.metadata.uid!);
        } catch (error) {
          // Gone already (or replaced by a namesake): nothing left to delete or to wait for.
          if (!isNotFound(error) && !isConflict(error)) throw error;
        }
      }));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed) throw failed.reason;
    }
  }

  /** The status `active` implies, and how long until a ready pod turns available (if one will). */
  function statusOf(rs: ReplicaSet, active: Pod[]): { status: ReplicaSetStatus; recheckMs?: number } {
    const templateLabels = rs.spec.template?.metadata?.labels ?? {};
    const minReady = rs.spec.minReadySeconds ?? 0;
    const now = Date.now();
    let fullyLabeled = 0, ready = 0, available = 0;
    let recheckMs: number | undefined;
    for (const pod of active) {
      const labels = pod.metadata.labels ?? {};
      if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
      if (!isReady(pod)) continue;
      ready++;
      const wait = untilAvailable(pod, minReady, now)!;
      if (wait === 0) available++;
      else recheckMs = Math.min(recheckMs ?? wait, wait);
    }
    const status: ReplicaSetStatus = {
      ...rs.status,
      replicas: active.length,
      fullyLabeledReplicas: fullyLabeled,
      readyReplicas: ready,
      availableReplicas: available,
      observedGeneration: rs.metadata.generation,
    };
    return { status, recheckMs };
  }

  function sameStatus(a: ReplicaSetStatus | undefined, b: ReplicaSetStatus): boolean {
    const fields = ["replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas", "observedGeneration"];
    const read = (s: ReplicaSetStatus | undefined, f: string) => (s as Record<string, unknown> | undefined)?.[f] ?? 0;
    return fields.every((f) => read(a, f) === read(b, f));
  }

  return controller("replicaset")
    .for(replicasets)
    .owns(pods)
    .watches(pods, selectingOrphan)
    .withOptions({ concurrency: 5 })
    .complete(async ({ key }) => {
      const rs = rsCache().get(key) as ReplicaSet | undefined;
      if (!rs) {
        expectations.forget(key);
        return;
      }
      if (rs.metadata.deletionTimestamp) return;
      if (!expectations.satisfied(key, rs.metadata.uid)) return { requeueAfterMs: EXPECTATION_RECHECK_MS };
      const active = await claim(rs);
      // Status reflects the pods as found; this sync's own writes show up in the next one, as in kube.
      const { status, recheckMs } = statusOf(rs, active);
      await manage(key, rs, active);
      if (!sameStatus(rs.status, status)) {
        try {
          await client.updateStatus({ ...rs, status });
        } catch (error) {
          // The cached ReplicaSet is stale; its newer version is on its way and brings another sync.
          if (isConflict(error)) return { requeue: true };
          throw error;
        }
      }
      if (recheckMs !== undefined) return { requeueAfterMs: recheckMs + 1 };
    });
}
