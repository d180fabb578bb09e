/**
 * The DaemonSet controller, after kube-controller-manager's: one pod per eligible node, created without a
 * node but pinned to it by a required `metadata.name` node affinity (the scheduler binds it), with the
 * tolerations every daemon pod gets. Pods leave nodes that stop qualifying, new nodes get theirs, failed
 * pods are replaced with a back-off, templates are recorded as ControllerRevisions (what
 * `kubectl rollout history|undo ds/…` reads) and rolled out (RollingUpdate within maxUnavailable /
 * maxSurge, or OnDelete), and `status` reports the numbers `kubectl rollout status ds/…` waits on.
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
  controllerRefTo,
  errorMessage,
  eventRecorder,
  type KubeObject,
  type Manager,
  NAMESPACE_INDEX,
  objectKey,
} from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";
import type { NodeLike } from "../scheduler/node_fit.ts";
import {
  CONTROLLER_REVISION,
  type ControllerRevision,
  type PodTemplate,
  revisionForTemplate,
  truncateHistory,
} from "../history/mod.ts";
import { podExpectations } from "../replicaset/expectations.ts";
import type { Pod } from "../replicaset/pods.ts";
import { FailedPodsBackoff } from "./backoff.ts";
import {
  DAEMON_SET,
  type DaemonSet,
  REVISION_HASH_LABEL,
  TEMPLATE_GENERATION_LABEL,
  templateGeneration,
} from "./daemonset.ts";
import { podsShouldBeOnNode } from "./manage.ts";
import {
  type DaemonPodSpec,
  nodeNameAffinity,
  nodeShouldRunDaemonPod,
  type NodeVerdict,
  targetNodeName,
  withDaemonTolerations,
} from "./placement.ts";
import { allowsSurge, rollingUpdate, rolloutBounds } from "./rolling.ts";
import { daemonSetStatus, statusChanged } from "./status.ts";

/** Kube's `BurstReplicas` for DaemonSets: at most this many creations per sync. */
const BURST_REPLICAS = 250;
/** How soon to look again while the cache has not caught up with this controller's own writes. */
const EXPECTATION_RECHECK_MS = 200;

const POD = { apiVersion: "v1", kind: "Pod" };

type Node = NodeLike & { metadata: { name: string } };

/**
 * The controller, for `apps/v1` DaemonSets owning Pods and ControllerRevisions, watching Nodes.
 *
 * @example
 * ```ts
 * const server = await startServer({ ...options, controllers: (deps) => [daemonSetController(deps)] });
 * ```
 */
export function daemonSetController(deps: { client: Client; registry: Registry; manager: Manager }): Controller {
  const { client, registry, manager } = deps;
  const daemonsets = registry.resolve("apps", "v1", "daemonsets")!;
  const pods = registry.resolve("", "v1", "pods")!;
  const nodes = registry.resolve("", "v1", "nodes")!;
  const revisions = registry.resolve("apps", "v1", "controllerrevisions")!;
  const events = eventRecorder(client, "daemonset-controller");
  const backoff = new FailedPodsBackoff();
  const inNamespace = <T>(kind: typeof pods, namespace: string) =>
    manager.cache(kind).byIndex(NAMESPACE_INDEX, namespace) as unknown as T[];
  const expectations = podExpectations(manager, pods);

  /** Orphan pods concern every DaemonSet in their namespace that selects them. */
  function selectingOrphan(pod: KubeObject): string[] {
    if (controllerRef(pod) || pod.metadata?.deletionTimestamp) return [];
    return inNamespace<DaemonSet>(daemonsets, pod.metadata?.namespace ?? "")
      .filter((ds) => matchesSelector(ds.spec?.selector, pod.metadata?.labels))
      .map((ds) => objectKey(ds));
  }

  /** A node's change concerns the DaemonSets that may run there (before or after it: both are mapped). */
  function daemonSetsFor(node: KubeObject): string[] {
    return (manager.cache(daemonsets).list() as DaemonSet[])
      .filter((ds) => !ds.metadata.deletionTimestamp && nodeShouldRunDaemonPod(node as Node, ds).shouldContinueRunning)
      .map((ds) => objectKey(ds));
  }

  /** Kube's `CreatePodTemplate`: the template with daemon tolerations and the revision labels. */
  function podTemplate(ds: DaemonSet, hash: string): PodTemplate {
    const template = structuredClone(ds.spec.template ?? {});
    const generation = templateGeneration(ds);
    return {
      ...template,
      metadata: {
        ...template.metadata,
        labels: {
          ...template.metadata?.labels,
          ...(generation !== undefined ? { [TEMPLATE_GENERATION_LABEL]: String(generation) } : {}),
          [REVISION_HASH_LABEL]: hash,
        },
      },
      spec: withDaemonTolerations((template.spec ?? {}) as DaemonPodSpec),
    };
  }

  function podFor(
    ds: DaemonSet,
    template: PodTemplate,
    node: string,
  ): KubeObject & { apiVersion: string; kind: string } {
    const meta = template.metadata ?? {};
    const spec = template.spec as DaemonPodSpec;
    return {
      ...POD,
      metadata: {
        generateName: `${ds.metadata.name}-`,
        namespace: ds.metadata.namespace,
        labels: { ...meta.labels },
        ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
        ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
        ownerReferences: [controllerRefTo({ ...DAEMON_SET, metadata: ds.metadata })],
      },
      spec: { ...structuredClone(spec), affinity: nodeNameAffinity(spec.affinity, node) },
    };
  }

  /** Kube's `syncNodes`: delete `doomed`, create a pod on each of `targets`; returns whether it wrote. */
  async function syncNodes(key: string, ds: DaemonSet, doomed: Pod[], targets: string[], hash: string) {
    const template = podTemplate(ds, hash);
    const uid = ds.metadata.uid;
    const deletions = await Promise.allSettled(doomed.map(async (pod) => {
      try {
        await client.delete(POD, ds.metadata.namespace, pod.metadata.name, {
          preconditions: { uid: pod.metadata.uid },
        });
        expectations.deleted(key, uid, pod.metadata.uid!);
        events.event(ds, "Normal", "SuccessfulDelete", `Deleted pod: ${pod.metadata.name}`);
      } catch (error) {
        if (isNotFound(error) || isConflict(error)) return;
        events.event(ds, "Warning", "FailedDelete", `Error deleting: ${errorMessage(error)}`);
        throw error;
      }
    }));
    // Kube's slow start: batches of 1, 2, 4, … so a failing create costs one call, not hundreds.
    const queue = targets.slice(0, BURST_REPLICAS);
    let failure: unknown;
    for (let batch = 1; queue.length > 0 && failure === undefined; batch *= 2) {
      const results = await Promise.allSettled(
        queue.splice(0, batch).map(async (node) => {
          try {
            const created = await client.create(podFor(ds, template, node));
            expectations.created(key, uid, created.metadata?.resourceVersion);
            events.event(ds, "Normal", "SuccessfulCreate", `Created pod: ${created.metadata?.name}`);
          } catch (error) {
            events.event(ds, "Warning", "FailedCreate", `Error creating: ${errorMessage(error)}`);
            throw error;
          }
        }),
      );
      failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected")?.reason;
    }
    failure ??= deletions.find((r): r is PromiseRejectedResult => r.status === "rejected")?.reason;
    if (failure !== undefined) throw failure;
    return doomed.length > 0 || targets.length > 0;
  }

  async function sync(key: string, ds: DaemonSet): Promise<{ requeueAfterMs?: number }> {
    const namespace = ds.metadata.namespace;
    const owner = { ...DAEMON_SET, metadata: ds.metadata };
    const selects = (o: KubeObject) => matchesSelector(ds.spec.selector, o.metadata?.labels);
    const history = await claimObjects(
      client,
      CONTROLLER_REVISION,
      owner,
      inNamespace<ControllerRevision>(revisions, namespace),
      selects,
    );
    const { revision: cur, collisionCount } = await revisionForTemplate(
      client,
      { ...ds, ...DAEMON_SET },
      history,
      REVISION_HASH_LABEL,
      ds.status?.collisionCount ?? 0,
    );
    const hash = cur.metadata.labels?.[REVISION_HASH_LABEL] ?? cur.metadata.name;
    const generation = templateGeneration(ds);
    const owned = await claimObjects(client, POD, owner, inNamespace<Pod>(pods, namespace), selects);

    const nodeList = manager.cache(nodes).list() as Node[];
    const verdicts = new Map<string, NodeVerdict>(
      nodeList.map((n) => [n.metadata.name, nodeShouldRunDaemonPod(n, ds)]),
    );
    const nodeToPods = new Map<string, Pod[]>();
    const orphaned: Pod[] = [];
    for (const pod of owned) {
      const phase = pod.status?.phase;
      // A deleted pod that has finished only waits for its record to go; it no longer occupies a node.
      if (pod.metadata.deletionTimestamp && (phase === "Failed" || phase === "Succeeded")) continue;
      const node = targetNodeName(pod);
      if (node === undefined) continue;
      if (!verdicts.has(node)) {
        // Unbound pods for a node that is gone would never be scheduled, nor collected by anyone else.
        if (!pod.spec?.nodeName && !pod.metadata.deletionTimestamp) orphaned.push(pod);
        continue;
      }
      nodeToPods.set(node, [...(nodeToPods.get(node) ?? []), pod]);
    }
    const now = Date.now();
    const recheck: number[] = [];
    const { status, recheckMs } = daemonSetStatus(
      ds,
      nodeList.map((n) => ({
        shouldRun: verdicts.get(n.metadata.name)!.shouldRun,
        pods: nodeToPods.get(n.metadata.name) ?? [],
      })),
      hash,
      generation,
      collisionCount,
      now,
    );
    if (recheckMs !== undefined) recheck.push(recheckMs + 1);

    if (!expectations.satisfied(key, ds.metadata.uid)) recheck.push(EXPECTATION_RECHECK_MS);
    else {
      const doomed: Pod[] = [...orphaned], targets: string[] = [];
      const surge = allowsSurge(ds);
      for (const [node, verdict] of verdicts) {
        const work = podsShouldBeOnNode(nodeToPods.get(node) ?? [], {
          verdict,
          hash,
          surge,
          minReadySeconds: ds.spec.minReadySeconds ?? 0,
          now,
        });
        if (work.create) targets.push(node);
        doomed.push(...work.delete);
        for (const pod of work.failed) {
          const backoffKey = `${ds.metadata.uid}/${node}`;
          if (backoff.inBackoff(backoffKey, now)) {
            recheck.push(backoff.delay(backoffKey));
            continue;
          }
          backoff.next(backoffKey, now);
          events.event(
            ds,
            "Warning",
            "FailedDaemonPod",
            `Found failed daemon pod ${namespace}/${pod.metadata.name} on node ${node}, will try to kill it`,
          );
          doomed.push(pod);
        }
      }
      const wrote = await syncNodes(key, ds, doomed, targets, hash);
      // Like kube, the rollout only moves once the cache reflects every pod the manage step asked for.
      if (!wrote && (ds.spec.updateStrategy?.type ?? "RollingUpdate") === "RollingUpdate") {
        const wanting = new Map(nodeToPods);
        for (const [node, verdict] of verdicts) if (verdict.shouldRun && !wanting.has(node)) wanting.set(node, []);
        const desired = [...verdicts.values()].filter((v) => v.shouldRun).length;
        const { deletePods, createOn } = rollingUpdate({
          ds,
          nodeToPods: wanting,
          bounds: rolloutBounds(ds, desired),
          hash,
          generation,
          shouldRun: (node) => verdicts.get(node)?.shouldRun ?? false,
          now,
        });
        await syncNodes(key, ds, deletePods, createOn, hash);
      }
    }

    const liveHashes = new Set(owned.map((p) => p.metadata.labels?.[REVISION_HASH_LABEL]));
    await truncateHistory(
      client,
      history,
      (r) => r.metadata.name === cur.metadata.name || liveHashes.has(r.metadata.labels?.[REVISION_HASH_LABEL]),
      ds.spec.revisionHistoryLimit ?? 10,
    );
    if (statusChanged(ds, status)) await client.updateStatus({ ...ds, ...DAEMON_SET, status });
    return recheck.length ? { requeueAfterMs: Math.min(...recheck) } : {};
  }

  return controller("daemonset")
    .for(daemonsets)
    .owns(pods)
    .watches(pods, selectingOrphan)
    .owns(revisions)
    .watches(nodes, daemonSetsFor)
    .withOptions({ concurrency: 5 })
    .complete(async ({ key }) => {
      const ds = manager.cache(daemonsets).get(key) as DaemonSet | undefined;
      if (!ds) {
        expectations.forget(key);
        return;
      }
      if (ds.metadata.deletionTimestamp) return;
      try {
        return await sync(key, ds);
      } catch (error) {
        // A stale cache (the DaemonSet, or a namesake not yet seen): the fresh event brings another sync.
        if (isConflict(error) || isAlreadyExists(error)) return { requeue: true };
        throw error;
      }
    });
}
