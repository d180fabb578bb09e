/**
 * The Deployment controller, after kube-controller-manager's: each Deployment owns one ReplicaSet per
 * pod template it has had. The one matching the current template (by content, ignoring the
 * `pod-template-hash` label) is "new", the rest "old"; the strategy moves replicas from old to new —
 * Recreate all at once after the old pods are gone, RollingUpdate within maxSurge/maxUnavailable —
 * old empty ReplicaSets beyond `revisionHistoryLimit` are deleted, and `status` summarizes them.
 *
 * @module
 */
import { type Client, isAlreadyExists, isConflict, isNotFound } from "../../core/client/mod.ts";
import {
  type Controller,
  controller,
  type KubeObject,
  type Manager,
  NAMESPACE_INDEX,
  type OwnerReference,
} from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";
import { POD_TEMPLATE_HASH, type PodTemplate, podTemplateHash, sameTemplate } from "./hash.ts";
import { type Counts, fenceposts, newReplicaSetSize, oldReplicaSetSizes, type Strategy } from "./rolling.ts";
import { type Condition, type DeploymentStatus, statusFor, unchangedStatus } from "./status.ts";

/** Annotation holding a ReplicaSet's (and its Deployment's) rollout revision. */
export const REVISION = "deployment.kubernetes.io/revision";
/** Annotation holding the Deployment's `spec.replicas` when a ReplicaSet was last sized. */
export const DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
/** Annotation holding `spec.replicas + maxSurge` when a ReplicaSet was last sized. */
export const MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";

interface Meta {
  name: string;
  namespace: string;
  uid: string;
  generation?: number;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  [field: string]: unknown;
}

/** The parts of a Deployment the controller reads. */
export interface Deployment extends KubeObject {
  metadata: Meta;
  spec: {
    replicas?: number;
    paused?: boolean;
    revisionHistoryLimit?: number;
    selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
    strategy?: Strategy;
    template?: PodTemplate;
  };
  status?: DeploymentStatus;
}

/** The parts of a ReplicaSet the Deployment controller reads and writes. */
export interface OwnedReplicaSet extends KubeObject {
  metadata: Meta;
  spec: { replicas?: number; selector?: Deployment["spec"]["selector"]; template?: PodTemplate };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number; observedGeneration?: number };
}

const RS_REF = { apiVersion: "apps/v1", kind: "ReplicaSet" };
const DEPLOY_REF = { apiVersion: "apps/v1", kind: "Deployment" };

/** A ReplicaSet's revision annotation as a number (0 when absent or garbled). */
function revisionOf(rs: OwnedReplicaSet): number {
  const n = Number(rs.metadata.annotations?.[REVISION] ?? 0);
  return Number.isFinite(n) ? n : 0;
}

function countsOf(rs: OwnedReplicaSet): Counts {
  return { replicas: rs.spec.replicas ?? 0, available: rs.status?.availableReplicas ?? 0 };
}

/** Oldest first, as kube's `ReplicaSetsByCreationTimestamp` (name breaks ties). */
function byAge(a: OwnedReplicaSet, b: OwnedReplicaSet): number {
  const ta = a.metadata.creationTimestamp ?? "", tb = b.metadata.creationTimestamp ?? "";
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** What one sync did, for the Progressing condition's reason. */
type Action = "created" | "scaled" | "none";

/**
 * The controller, for `apps/v1` Deployments owning `apps/v1` ReplicaSets.
 *
 * @example
 * ```ts
 * const server = await startServer({ ...options, controllers: (deps) => [deploymentController(deps)] });
 * ```
 */
export function deploymentController(deps: { client: Client; registry: Registry; manager: Manager }): Controller {
  const { client, registry, manager } = deps;
  const deployments = registry.resolve("apps", "v1", "deployments")!;
  const replicasets = registry.resolve("apps", "v1", "replicasets")!;
  const deployCache = () => manager.cache(deployments);
  const rsCache = () => manager.cache(replicasets);

  /** ReplicaSets this Deployment controls: claimed by ownerReference uid (no adoption of orphans). */
  function owned(d: Deployment): OwnedReplicaSet[] {
    return (rsCache().byIndex(NAMESPACE_INDEX, d.metadata.namespace) as unknown as OwnedReplicaSet[])
      .filter((rs) => rs.metadata.ownerReferences?.some((r) => r.controller && r.uid === d.metadata.uid));
  }

  /** Kube's `getNewReplicaSet` creation path; an existing namesake (a lagging cache) means "look again". */
  async function createNew(d: Deployment, hash: string, revision: number, size: number, maxSurge: number) {
    const template = structuredClone(d.spec.template ?? {});
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH]: hash } };
    const selector = structuredClone(d.spec.selector ?? {});
    selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH]: hash };
    const replicas = d.spec.replicas ?? 1;
    const rs = {
      ...RS_REF,
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels: { ...template.metadata.labels },
        annotations: {
          [REVISION]: String(revision),
          [DESIRED_REPLICAS]: String(replicas),
          [MAX_REPLICAS]: String(replicas + maxSurge),
        },
        ownerReferences: [{
          ...DEPLOY_REF,
          name: d.metadata.name,
          uid: d.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        }],
      },
      spec: { replicas: size, selector, template },
    };
    return await client.create(rs) as unknown as OwnedReplicaSet;
  }

  /** Sets `spec.replicas` (and the sizing annotations) through an update, so a stale read conflicts. */
  async function scale(rs: OwnedReplicaSet, size: number, d: Deployment, maxSurge: number): Promise<boolean> {
    const replicas = d.spec.replicas ?? 1;
    const annotations = {
      ...rs.metadata.annotations,
      [DESIRED_REPLICAS]: String(replicas),
      [MAX_REPLICAS]: String(replicas + maxSurge),
    };
    const same = (rs.spec.replicas ?? 0) === size &&
      rs.metadata.annotations?.[DESIRED_REPLICAS] === annotations[DESIRED_REPLICAS] &&
      rs.metadata.annotations?.[MAX_REPLICAS] === annotations[MAX_REPLICAS];
    if (same) return false;
    await client.update({
      ...RS_REF,
      ...rs,
      metadata: { ...rs.metadata, annotations },
      spec: { ...rs.spec, replicas: size },
    });
    return (rs.spec.replicas ?? 0) !== size;
  }

  /** Keeps the newest `limit` empty old ReplicaSets (by revision) and deletes the rest. */
  async function cleanup(d: Deployment, olds: OwnedReplicaSet[]): Promise<void> {
    const limit = d.spec.revisionHistoryLimit ?? 10;
    const empty = olds
      .filter((rs) =>
        !rs.metadata.deletionTimestamp && (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0
      )
      .sort((a, b) => revisionOf(a) - revisionOf(b) || byAge(a, b));
    for (const rs of empty.slice(0, Math.max(0, empty.length - limit))) {
      try {
        await client.delete(RS_REF, rs.metadata.namespace, rs.metadata.name, {
          preconditions: { uid: rs.metadata.uid },
        });
      } catch (error) {
        if (!isNotFound(error) && !isConflict(error)) throw error;
      }
    }
  }

  /** Moves replicas per the strategy; returns what it did. */
  async function rollout(d: Deployment, newRs: OwnedReplicaSet, olds: OwnedReplicaSet[], maxSurge: number) {
    const replicas = d.spec.replicas ?? 1;
    let action: Action = "none";
    if (d.spec.strategy?.type === "Recreate") {
      for (const old of olds) if (await scale(old, 0, d, maxSurge)) action = "scaled";
      // The new pods start only once every old one is gone, as Recreate promises.
      const oldPodsGone = olds.every((rs) => (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0);
      if (oldPodsGone && await scale(newRs, replicas, d, maxSurge)) action = "scaled";
      return action;
    }
    if (olds.every((rs) => (rs.spec.replicas ?? 0) === 0)) {
      return (await scale(newRs, replicas, d, maxSurge)) ? "scaled" : "none";
    }
    const posts = fenceposts(d.spec.strategy, replicas);
    const oldCounts = olds.map(countsOf);
    const newSize = newReplicaSetSize(replicas, posts, countsOf(newRs), oldCounts);
    // Like kube, a sync that grew the new ReplicaSet stops there; the next one sees the result.
    if (await scale(newRs, newSize, d, maxSurge)) return "scaled";
    const sizes = oldReplicaSetSizes(replicas, posts, countsOf(newRs), oldCounts);
    for (const [i, old] of olds.entries()) if (await scale(old, sizes[i], d, maxSurge)) action = "scaled";
    return action;
  }

  async function sync(d: Deployment): Promise<void> {
    const replicas = d.spec.replicas ?? 1;
    const { maxSurge } = fenceposts(d.spec.strategy, replicas);
    const hash = podTemplateHash(d.spec.template ?? {});
    const all = owned(d).sort(byAge);
    let newRs = all.find((rs) => !rs.metadata.deletionTimestamp && sameTemplate(rs.spec.template, d.spec.template));
    const olds = all.filter((rs) => rs !== newRs);
    const maxOldRevision = Math.max(0, ...olds.map(revisionOf));
    let action: Action = "none";

    if (!newRs) {
      const oldActive = olds.some((rs) => (rs.spec.replicas ?? 0) > 0 || (rs.status?.replicas ?? 0) > 0);
      let size = replicas;
      if (oldActive) {
        size = d.spec.strategy?.type === "Recreate" ? 0 : newReplicaSetSize(
          replicas,
          fenceposts(d.spec.strategy, replicas),
          { replicas: 0, available: 0 },
          olds.map(countsOf),
        );
      }
      newRs = await createNew(d, hash, maxOldRevision + 1, size, maxSurge);
      action = "created";
    } else if (revisionOf(newRs) <= maxOldRevision) {
      // A rollback to an older template: that ReplicaSet becomes the newest revision again.
      newRs = await client.update({
        ...RS_REF,
        ...newRs,
        metadata: {
          ...newRs.metadata,
          annotations: { ...newRs.metadata.annotations, [REVISION]: String(maxOldRevision + 1) },
        },
      }) as unknown as OwnedReplicaSet;
    }

    const revision = newRs.metadata.annotations?.[REVISION];
    if (revision && d.metadata.annotations?.[REVISION] !== revision) {
      d = await client.patch<Deployment>(DEPLOY_REF, d.metadata.namespace, d.metadata.name, "merge", {
        metadata: { annotations: { [REVISION]: revision } },
      });
    }

    if (action === "none") action = await rollout(d, newRs, olds, maxSurge);
    await cleanup(d, olds);

    const status = statusFor(d, newRs, olds, action, new Date().toISOString());
    if (!unchangedStatus(d.status, status)) await client.updateStatus({ ...DEPLOY_REF, ...d, status });
  }

  return controller("deployment")
    .for(deployments)
    .owns(replicasets)
    .withOptions({ concurrency: 5 })
    .complete(async ({ key }) => {
      const d = deployCache().get(key) as unknown as Deployment | undefined;
      if (!d || d.metadata.deletionTimestamp || d.spec?.paused) return;
      try {
        await sync(d);
      } catch (error) {
        // A stale cache (ours or a namesake ReplicaSet not yet seen): the fresh event brings another sync.
        if (isConflict(error) || isAlreadyExists(error)) return { requeue: true };
        throw error;
      }
    });
}

export type { Condition, DeploymentStatus };
