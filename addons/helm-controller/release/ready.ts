/**
 * Helm 3's `--wait` (`kube.ReadyChecker` and the waiter): whether an installed object is ready — Pods Ready,
 * Deployments with their updated replicas ready (less `maxUnavailable`), DaemonSets and StatefulSets rolled out,
 * Services with a cluster IP (and a load balancer ingress), PVCs bound, CRDs established, Jobs complete when Jobs
 * are waited for — and waiting for all of a release's objects, polling every 2 s as Helm does, until a deadline.
 *
 * @module
 */
import type { KubeObject } from "../../../core/operator/mod.ts";
import type { KubeClient, Resource } from "./kube.ts";

/** How often Helm's waiter looks again. */
const POLL_MS = 2_000;

/**
 * Whether a live object is ready, and if not, why (Helm's log line).
 *
 * @example
 * ```ts
 * readiness(liveDeployment); // { ready: false, reason: "Deployment is not ready: apps/web. 0 out of 1 expected pods are ready" }
 * ```
 */
export function readiness(
  object: KubeObject,
  options: { checkJobs?: boolean } = {},
): { ready: boolean; reason?: string } {
  const name = `${object.metadata?.namespace ?? ""}/${object.metadata?.name ?? ""}`;
  const spec = object.spec ?? {};
  const status = object.status ?? {};
  const generation = object.metadata?.generation;
  const notReady = (reason: string) => ({ ready: false, reason });
  const observed = (kind: string) =>
    status.observedGeneration !== generation
      ? notReady(
        `${kind} is not ready: ${name}. observedGeneration (${
          status.observedGeneration ?? 0
        }) does not match spec generation (${generation}).`,
      )
      : undefined;
  switch (object.kind) {
    case "Pod":
      return isConditionTrue(object, "Ready") ? { ready: true } : notReady(`Pod is not ready: ${name}`);
    case "Job": {
      if (!options.checkJobs) return { ready: true };
      if ((status.failed ?? 0) > (spec.backoffLimit ?? 6)) throw new Error(`job is failed: ${name}`);
      if (spec.completions != null && (status.succeeded ?? 0) < spec.completions) {
        return notReady(`Job is not completed: ${name}`);
      }
      return { ready: true };
    }
    case "Deployment": {
      if (spec.paused) return { ready: true };
      const stale = observed("Deployment");
      if (stale) return stale;
      const replicas = spec.replicas ?? 1;
      const expected = replicas - maxUnavailable(spec.strategy?.rollingUpdate?.maxUnavailable, replicas, spec);
      if ((status.updatedReplicas ?? 0) < replicas || (status.readyReplicas ?? 0) < expected) {
        return notReady(
          `Deployment is not ready: ${name}. ${status.readyReplicas ?? 0} out of ${expected} expected pods are ready`,
        );
      }
      return { ready: true };
    }
    case "PersistentVolumeClaim":
      return status.phase === "Bound" ? { ready: true } : notReady(`PersistentVolumeClaim is not bound: ${name}`);
    case "Service": {
      if (spec.type === "ExternalName") return { ready: true };
      if (!spec.clusterIP) return notReady(`Service does not have cluster IP address: ${name}`);
      if (spec.type === "LoadBalancer" && !(spec.externalIPs?.length > 0) && !status.loadBalancer?.ingress) {
        return notReady(`Service does not have load balancer ingress IP address: ${name}`);
      }
      return { ready: true };
    }
    case "DaemonSet": {
      const stale = observed("DaemonSet");
      if (stale) return stale;
      if ((spec.updateStrategy?.type ?? "RollingUpdate") !== "RollingUpdate") return { ready: true };
      const desired = status.desiredNumberScheduled ?? 0;
      if ((status.updatedNumberScheduled ?? 0) !== desired) {
        return notReady(
          `DaemonSet is not ready: ${name}. ${
            status.updatedNumberScheduled ?? 0
          } out of ${desired} expected pods have been scheduled`,
        );
      }
      const expected = desired - scaled(spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, desired, true);
      if ((status.numberReady ?? 0) < expected) {
        return notReady(
          `DaemonSet is not ready: ${name}. ${status.numberReady ?? 0} out of ${expected} expected pods are ready`,
        );
      }
      return { ready: true };
    }
    case "CustomResourceDefinition": {
      for (const c of status.conditions ?? []) {
        if (c.type === "Established" && c.status === "True") return { ready: true };
        if (c.type === "NamesAccepted" && c.status === "False") return { ready: true };
      }
      return notReady(`CustomResourceDefinition is not established: ${object.metadata?.name}`);
    }
    case "StatefulSet": {
      const stale = observed("StatefulSet");
      if (stale) return stale;
      if ((spec.updateStrategy?.type ?? "RollingUpdate") !== "RollingUpdate") return { ready: true };
      const partition = spec.updateStrategy?.rollingUpdate?.partition ?? 0;
      const replicas = spec.replicas ?? 1;
      if ((status.updatedReplicas ?? 0) < replicas - partition) {
        return notReady(
          `StatefulSet is not ready: ${name}. ${status.updatedReplicas ?? 0} out of ${
            replicas - partition
          } expected pods have been scheduled`,
        );
      }
      if ((status.readyReplicas ?? 0) !== replicas) {
        return notReady(
          `StatefulSet is not ready: ${name}. ${status.readyReplicas ?? 0} out of ${replicas} expected pods are ready`,
        );
      }
      if (partition === 0 && status.currentRevision !== status.updateRevision) {
        return notReady(
          `StatefulSet is not ready: ${name}. currentRevision ${status.currentRevision} does not yet match updateRevision ${status.updateRevision}`,
        );
      }
      return { ready: true };
    }
    case "ReplicaSet":
    case "ReplicationController":
      return observed(object.kind) ?? { ready: true };
    default:
      return { ready: true };
  }
}

/**
 * Helm's `Wait`/`WaitWithJobs`: polls until every resource is ready, failing with "context deadline exceeded"
 * (naming what is still not ready) after `timeoutMs`.
 *
 * @example
 * ```ts
 * await waitForReady(kube, kube.build(release.Manifest), 300_000);
 * ```
 */
export async function waitForReady(
  kube: KubeClient,
  resources: Resource[],
  timeoutMs: number,
  options: { checkJobs?: boolean } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let pending: string | undefined;
    for (const r of resources) {
      const live = await kube.get(r);
      const state = live ? readiness(live, options) : { ready: false, reason: `${r.object.kind} ${r.name} not found` };
      if (!state.ready) {
        pending = state.reason;
        break;
      }
    }
    if (pending === undefined) return;
    if (Date.now() + POLL_MS > deadline) throw new Error(`context deadline exceeded: ${pending}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function isConditionTrue(object: KubeObject, type: string): boolean {
  return (object.status?.conditions ?? []).some((c: { type: string; status: string }) =>
    c.type === type && c.status === "True"
  );
}

/** Kubernetes' `MaxUnavailable` of a Deployment: 0 unless it rolls, and never all of it when surge is 0. */
function maxUnavailable(value: unknown, replicas: number, spec: KubeObject): number {
  if ((spec.strategy?.type ?? "RollingUpdate") !== "RollingUpdate" || replicas === 0) return 0;
  const unavailable = scaled(value ?? "25%", replicas, false);
  return Math.min(unavailable, replicas);
}

/** `intstr.GetScaledValueFromIntOrPercent`. */
function scaled(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === "number") return value;
  const percent = /^(\d+)%$/.exec(String(value));
  if (!percent) return total;
  const exact = (Number(percent[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}
