/**
 * Starting simulated nodes (like KWOK): N Nodes registered (or adopted) with Ready conditions, a Lease
 * each renewed like a kubelet's, and one pod loop over one shared pod watch that runs their pods without
 * containers. Built to carry 1,000 nodes and 10,000 pods: heartbeats are spread over the renew interval,
 * pod writes go through a bounded number of workers, and nothing is logged per pod.
 *
 * @module
 */
import { type Client, isAlreadyExists, isConflict } from "../../core/client/mod.ts";
import { Informer, listWatcherFor, objectKey, stripManagedFields } from "../../core/operator/mod.ts";
import { Heartbeat } from "./heartbeat.ts";
import { healthyConditions, internalIP, type SimNode, simulatedNode } from "./node_object.ts";
import { type LocalNode, NODE_NAME_INDEX, NODES, type Pod, PODS, simulatedPods } from "./pods.ts";

/** Options of {@linkcode startSimulatedNodes}. */
export interface SimulatedNodesOptions {
  /** The API, usually the server's in-process client. */
  client: Client;
  /** How many nodes. */
  count: number;
  /** Node names are `<prefix><index>`; default `k3s-sim-`. */
  prefix?: string;
  /** Stops everything. */
  signal: AbortSignal;
  /** One line per node registered, and errors; default the console. */
  log?: (line: string) => void;
  /** The Leases' `leaseDurationSeconds` (the kubelet's default, 40). */
  leaseDurationSeconds?: number;
  /** How often each Lease is renewed (the kubelet's default, 10 s: a quarter of the duration). */
  renewIntervalMs?: number;
}

/** Running simulated nodes. */
export interface SimulatedNodes {
  /** The node names, `<prefix>0` … `<prefix><count-1>`. */
  readonly names: readonly string[];
  /**
   * Kill a node's "kubelet": its Lease stops renewing, its status is no longer posted and its pods are
   * left as they are (a deletion stays pending), so the node goes NotReady as a real one would.
   */
  stopHeartbeat(name: string): void;
  /** Bring a stopped node's "kubelet" back: it renews its Lease, posts Ready and looks after its pods again. */
  resumeHeartbeat(name: string): void;
  /** Resolves once everything has stopped after `signal` aborted. */
  readonly stopped: Promise<void>;
}

/** Node registrations in flight at once. */
const REGISTRATION_CONCURRENCY = 16;
const NODE = { apiVersion: "v1", kind: "Node" };

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/** Run `fn` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Create the Node, or adopt the one of that name: labels, annotations and status made the simulator's. */
async function register(client: Client, name: string, index: number): Promise<"registered" | "adopted"> {
  const wanted = simulatedNode(name, index, new Date());
  try {
    await client.create(wanted);
    return "registered";
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
  for (let attempt = 0;; attempt++) {
    try {
      const current = await client.get<SimNode>(NODE, undefined, name);
      const updated = await client.update<SimNode>({
        ...current,
        metadata: {
          ...current.metadata,
          labels: { ...current.metadata.labels, ...wanted.metadata.labels },
          annotations: { ...current.metadata.annotations, ...wanted.metadata.annotations },
        },
      });
      await client.updateStatus<SimNode>({
        ...updated,
        status: {
          ...updated.status,
          ...wanted.status,
          conditions: healthyConditions(current.status?.conditions ?? [], new Date()),
        },
      });
      return "adopted";
    } catch (error) {
      if (!isConflict(error) || attempt >= 4) throw error;
    }
  }
}

/**
 * Register `count` simulated nodes and run them until `signal` aborts; resolves once all are registered
 * with their Leases.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * const nodes = await startSimulatedNodes({ client, count: 3, signal: stop.signal });
 * nodes.names; // ["k3s-sim-0", "k3s-sim-1", "k3s-sim-2"]
 * nodes.stopHeartbeat("k3s-sim-2"); // it goes NotReady after the lease duration
 * stop.abort();
 * await nodes.stopped;
 * ```
 */
export async function startSimulatedNodes(options: SimulatedNodesOptions): Promise<SimulatedNodes> {
  const { client, count, signal } = options;
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`simulated node count must be a non-negative integer, not ${count}`);
  }
  const prefix = options.prefix ?? "k3s-sim-";
  const log = options.log ?? ((line: string) => console.log(line));
  const renewIntervalMs = options.renewIntervalMs ?? 10_000;
  const names = Array.from({ length: count }, (_, i) => `${prefix}${i}`);
  const nodes = new Map<string, LocalNode>(
    names.map((name, i) => [name, { name, hostIP: internalIP(i), alive: true }]),
  );
  const running: Promise<unknown>[] = [];

  const onError = (error: unknown) => log(`Simulated nodes: watch: ${error}`);
  // A kubelet never reads managedFields: ten thousand pods are cached lighter without them.
  const podInformer = new Informer(listWatcherFor(client, PODS), {
    // Only bound pods concern a kubelet; one watch serves every simulated node.
    fieldSelector: "spec.nodeName!=",
    indexers: { [NODE_NAME_INDEX]: (pod) => [(pod as Pod).spec?.nodeName ?? ""] },
    onError,
    transform: stripManagedFields,
  });
  const nodeInformer = new Informer(listWatcherFor(client, NODES), { onError, transform: stripManagedFields });
  running.push(podInformer.run(signal), nodeInformer.run(signal));
  await Promise.race([Promise.all([podInformer.synced, nodeInformer.synced]), aborted(signal)]);

  const heartbeats = new Map(names.map((name) => [
    name,
    new Heartbeat(name, {
      client,
      leaseDurationSeconds: options.leaseDurationSeconds ?? 40,
      renewIntervalMs,
      cachedNode: (n) => nodeInformer.indexer.get(n) as SimNode | undefined,
      onError: (error) => log(`Simulated node ${name}: ${error}`),
    }),
  ]));
  await eachLimited(
    names.map((name, index) => ({ name, index })),
    REGISTRATION_CONCURRENCY,
    async ({ name, index }) => {
      if (signal.aborted) return;
      const how = await register(client, name, index);
      await heartbeats.get(name)!.renewLease();
      log(`Simulated node ${name} ${how} (InternalIP ${internalIP(index)})`);
    },
  );

  const beats = new Map<string, AbortController>();
  function beat(name: string, offsetMs: number): void {
    if (signal.aborted) return;
    const stop = new AbortController();
    beats.set(name, stop);
    running.push(heartbeats.get(name)!.run(AbortSignal.any([signal, stop.signal]), offsetMs));
  }
  // Spread over the interval, so a thousand nodes do not renew in one burst.
  names.forEach((name, i) => beat(name, (renewIntervalMs * (i + 1)) / count));

  const loop = simulatedPods({
    client,
    nodes,
    pods: podInformer.indexer,
    nodeCache: nodeInformer.indexer,
    onError: (error, key) => log(`Simulated nodes: pod ${key}: ${error}`),
  });
  running.push(loop.start((kind) => kind.resource === PODS.resource ? podInformer : nodeInformer, signal));

  function nodeNamed(name: string): LocalNode {
    const node = nodes.get(name);
    if (!node) throw new Error(`${name} is not one of the simulated nodes`);
    return node;
  }

  return {
    names,
    stopHeartbeat(name) {
      nodeNamed(name).alive = false;
      beats.get(name)?.abort();
      beats.delete(name);
    },
    resumeHeartbeat(name) {
      const node = nodeNamed(name);
      if (node.alive) return;
      node.alive = true;
      beat(name, 0);
      for (const pod of podInformer.indexer.byIndex(NODE_NAME_INDEX, name)) loop.queue.add(objectKey(pod));
    },
    stopped: aborted(signal).then(() => Promise.all(running)).then(() => {}),
  };
}
