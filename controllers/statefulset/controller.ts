/**
 * The StatefulSet controller, after kube-controller-manager's: each StatefulSet keeps `replicas` pods
 * named `<set>-<ordinal>` with stable identities and claims, records each pod template it has had as a
 * ControllerRevision (what `kubectl rollout history|undo sts/…` reads), rolls pods onto the newest one
 * (RollingUpdate with a partition, or OnDelete), and reports status for `kubectl rollout status sts/…`.
 * Pods are created without a node: the scheduler places them.
 *
 * @module
 */
import { type Client, isAlreadyExists, isConflict, isNotFound } from "../../core/client/mod.ts";
import { matchesSelector } from "../../core/api/label_selector.ts";
import {
  claimObjects,
  type Controller,
  controller,
  controllerRef,
  errorMessage,
  eventRecorder,
  type KubeObject,
  type Manager,
  NAMESPACE_INDEX,
  objectKey,
} from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";
import {
  CONTROLLER_REVISION,
  type ControllerRevision,
  revisionForTemplate,
  templateOf,
  truncateHistory,
} from "../history/mod.ts";
import { podExpectations } from "../replicaset/expectations.ts";
import { untilAvailable } from "../replicaset/pods.ts";
import { claimIsStale, claimOwnerReferences } from "./claims.ts";
import { claimsFor, isMemberOf, ordinalOf, POD_INDEX_LABEL, POD_NAME_LABEL, revisionOf } from "./identity.ts";
import type { Pod } from "./pods.ts";
import { STATEFUL_SET, type StatefulSet } from "./statefulset.ts";
import { completeRollingUpdate, statusChanged } from "./status.ts";
import { type StatefulPodControl, updateStatefulSet } from "./update.ts";

/** The label kube's history package puts the revision hash under. */
export const REVISION_HASH_LABEL = "controller.kubernetes.io/hash";
/** How soon to look again while the cache has not caught up with this controller's own writes. */
const EXPECTATION_RECHECK_MS = 200;

const POD = { apiVersion: "v1", kind: "Pod" };
const PVC = { apiVersion: "v1", kind: "PersistentVolumeClaim" };

/**
 * The controller, for `apps/v1` StatefulSets owning Pods, PersistentVolumeClaims and ControllerRevisions.
 *
 * @example
 * ```ts
 * const server = await startServer({ ...options, controllers: (deps) => [statefulSetController(deps)] });
 * ```
 */
export function statefulSetController(deps: { client: Client; registry: Registry; manager: Manager }): Controller {
  const { client, registry, manager } = deps;
  const statefulsets = registry.resolve("apps", "v1", "statefulsets")!;
  const pods = registry.resolve("", "v1", "pods")!;
  const claims = registry.resolve("", "v1", "persistentvolumeclaims")!;
  const revisions = registry.resolve("apps", "v1", "controllerrevisions")!;
  const events = eventRecorder(client, "statefulset-controller");
  const setCache = () => manager.cache(statefulsets);
  const inNamespace = <T>(kind: typeof pods, namespace: string) =>
    manager.cache(kind).byIndex(NAMESPACE_INDEX, namespace) as unknown as T[];
  const expectations = podExpectations(manager, pods);

  /** Orphan pods concern every StatefulSet in their namespace that selects them (kube's `getPodStatefulSets`). */
  function selectingOrphan(pod: KubeObject): string[] {
    if (controllerRef(pod) || pod.metadata?.deletionTimestamp) return [];
    return inNamespace<StatefulSet>(statefulsets, pod.metadata?.namespace ?? "")
      .filter((set) => matchesSelector(set.spec?.selector, pod.metadata?.labels))
      .map((set) => objectKey(set));
  }

  /** Kube's `StatefulPodControl` for one sync of `set`, recording expectations and Events. */
  function podControl(key: string, set: StatefulSet): StatefulPodControl {
    const namespace = set.metadata.namespace;
    const cachedClaims = (pod: Pod) =>
      claimsFor(set, ordinalOf(pod))
        .map((c) => manager.cache(claims).get(`${namespace}/${c.metadata.name}`))
        .filter((c): c is KubeObject => c !== undefined);

    async function createClaims(pod: Pod): Promise<void> {
      for (const claim of claimsFor(set, ordinalOf(pod))) {
        if (manager.cache(claims).get(`${namespace}/${claim.metadata.name}`)) continue;
        const refs = claimOwnerReferences(set, pod, []) ?? [];
        try {
          await client.create({
            ...claim,
            metadata: { ...claim.metadata, ...(refs.length ? { ownerReferences: refs } : {}) },
          });
          events.event(
            set,
            "Normal",
            "SuccessfulCreate",
            `create Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`,
          );
        } catch (error) {
          if (isAlreadyExists(error)) continue;
          events.event(
            set,
            "Warning",
            "FailedCreate",
            `create Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${
              errorMessage(error)
            }`,
          );
          throw error;
        }
      }
    }

    function podEvent(verb: "create" | "delete" | "update", pod: Pod, error?: unknown): void {
      const title = verb[0].toUpperCase() + verb.slice(1);
      if (error === undefined) {
        events.event(
          set,
          "Normal",
          `Successful${title}`,
          `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`,
        );
      } else {
        events.event(
          set,
          "Warning",
          `Failed${title}`,
          `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${errorMessage(error)}`,
        );
      }
    }

    return {
      async create(pod) {
        try {
          await createClaims(pod);
        } catch (error) {
          podEvent("create", pod, error);
          throw error;
        }
        try {
          const created = await client.create(pod as Pod & { apiVersion: string; kind: string });
          expectations.created(key, set.metadata.uid, created.metadata?.resourceVersion);
          podEvent("create", pod);
        } catch (error) {
          // A namesake the cache has not shown yet: not a failure worth an Event, as in kube.
          if (!isAlreadyExists(error)) podEvent("create", pod, error);
          throw error;
        }
      },
      async delete(pod) {
        try {
          await client.delete(POD, namespace, pod.metadata.name, { preconditions: { uid: pod.metadata.uid } });
          expectations.deleted(key, set.metadata.uid, pod.metadata.uid!);
          podEvent("delete", pod);
        } catch (error) {
          if (isNotFound(error)) return;
          podEvent("delete", pod, error);
          throw error;
        }
      },
      claimIsStale: (pod) => claimIsStale(set, pod, cachedClaims(pod)),
      createClaims,
      claimsMatchPolicy: (pod) =>
        cachedClaims(pod).every((c) => claimOwnerReferences(set, pod, c.metadata?.ownerReferences ?? []) === undefined),
      async fixClaimOwners(pod) {
        for (const claim of cachedClaims(pod)) {
          const refs = claimOwnerReferences(set, pod, claim.metadata?.ownerReferences ?? []);
          if (!refs) continue;
          try {
            await client.patch(PVC, namespace, claim.metadata!.name!, "json", [
              { op: "test", path: "/metadata/resourceVersion", value: claim.metadata!.resourceVersion },
              { op: "add", path: "/metadata/ownerReferences", value: refs },
            ]);
          } catch (error) {
            if (isNotFound(error)) continue;
            podEvent("update", pod, error);
            throw error;
          }
        }
      },
      async relabel(pod) {
        try {
          await client.patch(POD, namespace, pod.metadata.name, "merge", {
            metadata: {
              labels: { [POD_NAME_LABEL]: pod.metadata.name, [POD_INDEX_LABEL]: String(ordinalOf(pod)) },
            },
          });
          podEvent("update", pod);
        } catch (error) {
          if (isNotFound(error)) return;
          podEvent("update", pod, error);
          throw error;
        }
      },
    };
  }

  /** How long until the next ready pod turns available, when minReadySeconds holds one back. */
  function availabilityRecheck(set: StatefulSet, owned: readonly Pod[], now: number): number | undefined {
    const waits = owned
      .map((p) => untilAvailable(p, set.spec.minReadySeconds ?? 0, now))
      .filter((w): w is number => w !== undefined && w > 0);
    return waits.length ? Math.min(...waits) + 1 : undefined;
  }

  async function sync(key: string, set: StatefulSet): Promise<{ requeueAfterMs?: number }> {
    const namespace = set.metadata.namespace;
    const owner = { ...STATEFUL_SET, metadata: set.metadata };
    const selects = (o: KubeObject) => matchesSelector(set.spec.selector, o.metadata?.labels);
    const history = await claimObjects(
      client,
      CONTROLLER_REVISION,
      owner,
      inNamespace<ControllerRevision>(revisions, namespace),
      selects,
    );
    const owned = await claimObjects(
      client,
      POD,
      owner,
      inNamespace<Pod>(pods, namespace),
      (p) => selects(p) && isMemberOf(set, p),
    );
    const { revision: update, collisionCount } = await revisionForTemplate(
      client,
      { ...set, ...STATEFUL_SET },
      history,
      REVISION_HASH_LABEL,
      set.status?.collisionCount ?? 0,
    );
    const current = history.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
    const now = Date.now();
    const result = await updateStatefulSet({
      set,
      pods: owned,
      current: { name: current.metadata.name, template: templateOf(current) ?? set.spec.template },
      update: { name: update.metadata.name, template: templateOf(update) ?? set.spec.template },
      collisionCount,
      now,
    }, podControl(key, set));
    const status = completeRollingUpdate(set, result.status);
    if (statusChanged(set, status)) await client.updateStatus({ ...set, ...STATEFUL_SET, status });
    const live = new Set([current.metadata.name, update.metadata.name, ...owned.map(revisionOf)]);
    await truncateHistory(client, history, (r) => live.has(r.metadata.name), set.spec.revisionHistoryLimit ?? 10);
    if (result.error) throw result.error;
    const recheck = [result.recheckMs, availabilityRecheck(set, owned, now)].filter((n) => n !== undefined);
    return recheck.length ? { requeueAfterMs: Math.min(...recheck) } : {};
  }

  return controller("statefulset")
    .for(statefulsets)
    .owns(pods)
    .watches(pods, selectingOrphan)
    .owns(claims)
    .owns(revisions)
    .withOptions({ concurrency: 5 })
    .complete(async ({ key }) => {
      const set = setCache().get(key) as StatefulSet | undefined;
      if (!set) {
        expectations.forget(key);
        return;
      }
      if (set.metadata.deletionTimestamp) return;
      if (!expectations.satisfied(key, set.metadata.uid)) return { requeueAfterMs: EXPECTATION_RECHECK_MS };
      try {
        return await sync(key, set);
      } catch (error) {
        // A stale cache (the set, or a namesake not yet seen): the fresh event brings another sync.
        if (isConflict(error) || isAlreadyExists(error)) return { requeue: true };
        throw error;
      }
    });
}
