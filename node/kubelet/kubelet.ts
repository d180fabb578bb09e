/**
 * The kubelet's pod side: one worker per pod bound to this node (from a watch on `spec.nodeName`), and a
 * housekeeping pass that removes from the runtime the sandboxes of pods the API no longer has for this node.
 *
 * @module
 */
import { totalmem } from "node:os";
import type { Client } from "../../core/client/mod.ts";
import { errorMessage, eventRecorder, Informer, type Kind, listWatcherFor, sleep } from "../../core/operator/mod.ts";
import type { CriClient } from "../cri/mod.ts";
import { tearDownPodVolumes } from "../volumes/mod.ts";
import type { Pod } from "./pod.ts";
import { PodWorker } from "./pod_worker.ts";
import type { CgroupDriver } from "./resources.ts";
import { POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from "./sandbox_config.ts";

const PODS: Kind = { group: "", version: "v1", resource: "pods", kind: "Pod", namespaced: true };
/** How often sandboxes of pods that are gone are looked for. */
const HOUSEKEEPING_MS = 30_000;

/** What the kubelet is told. */
export interface KubeletOptions {
  client: Client;
  runtime: CriClient;
  nodeName: string;
  nodeIP: string;
  /** `--root-dir` (K3s: `/var/lib/kubelet`): pod volumes and files. */
  rootDir: string;
  /** Where pod logs go (`/var/log/pods`). */
  podLogsDir: string;
  /** The air-gap images directory, named when an image is missing. */
  imagesDir: string;
  cgroupDriver: CgroupDriver;
  clusterDNS: string[];
  clusterDomain: string;
  resolvConf: string;
  signal: AbortSignal;
  log: (line: string) => void;
}

/** A running kubelet. */
export interface Kubelet {
  /** Resolves when the kubelet stopped (its signal aborted). */
  stopped: Promise<void>;
}

/**
 * Start the kubelet: it runs the pods bound to `nodeName` until `signal` aborts (their containers keep running then,
 * as they do when K3s stops).
 *
 * @example
 * ```ts
 * const kubelet = await startKubelet({ client, runtime, nodeName: "node1", nodeIP: "10.0.0.2", rootDir: "/var/lib/kubelet",
 *   podLogsDir: "/var/log/pods", imagesDir, cgroupDriver: "cgroupfs", clusterDNS: ["10.43.0.10"],
 *   clusterDomain: "cluster.local", resolvConf: "/etc/resolv.conf", signal, log: console.log });
 * ```
 */
export async function startKubelet(options: KubeletOptions): Promise<Kubelet> {
  const { client, runtime, signal } = options;
  const informer = new Informer(listWatcherFor(client, PODS), {
    fieldSelector: `spec.nodeName=${options.nodeName}`,
    onError: (error) => options.log(`kubelet: watching pods: ${errorMessage(error)}`),
  });
  const deps = {
    client,
    runtime,
    nodeName: options.nodeName,
    nodeIP: options.nodeIP,
    rootDir: options.rootDir,
    imagesDir: options.imagesDir,
    sandbox: {
      podLogsDir: options.podLogsDir,
      cgroupDriver: options.cgroupDriver,
      clusterDNS: options.clusterDNS,
      clusterDomain: options.clusterDomain,
      resolvConf: options.resolvConf,
    },
    memoryCapacity: totalmem(),
    events: eventRecorder(client, "kubelet", {
      host: options.nodeName,
      onError: (error) => options.log(`kubelet: recording an event: ${errorMessage(error)}`),
    }),
    log: options.log,
  };
  const workers = new Map<string, PodWorker>();
  const running = new Set<Promise<void>>();
  const dispatch = (pod: Pod | undefined, uid: string) => {
    const existing = workers.get(uid);
    if (existing) return existing.update(pod);
    if (!pod) return;
    const worker = new PodWorker(uid, deps);
    workers.set(uid, worker);
    worker.update(pod);
    const done = worker.run(signal).finally(() => {
      workers.delete(uid);
      running.delete(done);
    });
    running.add(done);
  };
  informer.addHandler({
    add: (o) => dispatch(o as unknown as Pod, (o as unknown as Pod).metadata.uid),
    update: (_old, o) => dispatch(o as unknown as Pod, (o as unknown as Pod).metadata.uid),
    delete: (o) => dispatch(undefined, (o as unknown as Pod).metadata.uid),
  });
  const watching = informer.run(signal);
  // A signal aborted before this point fires no event: without the check a stop during start would hang here.
  if (!signal.aborted) {
    await Promise.race([
      informer.synced,
      new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true })),
    ]);
  }
  options.log(`kubelet: syncing ${informer.indexer.list().length} pods bound to node ${options.nodeName}`);

  const housekeeping = (async () => {
    while (!signal.aborted) {
      try {
        await removeOrphans(runtime, (uid) => workers.has(uid), options);
      } catch (error) {
        options.log(`kubelet: housekeeping: ${errorMessage(error)}`);
      }
      await sleep(HOUSEKEEPING_MS, signal);
    }
  })();

  const stopped = (async () => {
    await watching.catch(() => {});
    await housekeeping;
    await Promise.all(running);
    await deps.events.flush();
  })();
  return { stopped };
}

/** Stop and remove the sandboxes of pods this kubelet does not run (deleted while it was down). */
async function removeOrphans(
  runtime: CriClient,
  known: (uid: string) => boolean,
  options: Pick<KubeletOptions, "rootDir" | "log">,
): Promise<void> {
  for (const sandbox of await runtime.listPodSandbox()) {
    const uid = sandbox.labels[POD_UID_LABEL];
    if (!uid || known(uid)) continue;
    await runtime.stopPodSandbox(sandbox.id);
    await runtime.removePodSandbox(sandbox.id);
    await tearDownPodVolumes(options.rootDir, uid);
    const name = `${sandbox.labels[POD_NAMESPACE_LABEL]}/${sandbox.labels[POD_NAME_LABEL]}`;
    options.log(`kubelet: removed the sandbox of pod ${name}, which is no longer bound to this node`);
  }
}
