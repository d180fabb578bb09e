// Plain Pod and Node objects, parsed the way the scheduler parses them, for the unit tests of its plugins.
import { Cache } from "../../../controllers/scheduler/cache.ts";
import type { Node } from "../../../controllers/scheduler/node_info.ts";
import { type Pod, type PodInfo, podInfo, type PodSpec } from "../../../controllers/scheduler/pod_info.ts";

let uid = 0;

/** A parsed pod in `default` asking for `cpu` (millicores as a quantity) and whatever `spec` adds. */
export function pod(
  name: string,
  spec: Partial<PodSpec> = {},
  options: { cpu?: string; memory?: string; labels?: Record<string, string>; namespace?: string } = {},
): PodInfo {
  const requests: Record<string, string> = {};
  if (options.cpu) requests.cpu = options.cpu;
  if (options.memory) requests.memory = options.memory;
  const object: Pod = {
    metadata: { name, namespace: options.namespace ?? "default", uid: `uid-${++uid}`, labels: options.labels },
    spec: { containers: [{ resources: { requests } }], ...spec },
  };
  return podInfo(object);
}

/** The same pod bound to `node` (as the informer would show it). */
export function boundTo(info: PodInfo, node: string): PodInfo {
  return podInfo({ ...info.pod, spec: { ...info.pod.spec, nodeName: node } });
}

/** A Node with allocatable resources (4 CPUs, 8Gi, 110 pods unless given), labels and taints. */
export function node(
  name: string,
  shape: {
    cpu?: string;
    memory?: string;
    pods?: string;
    labels?: Record<string, string>;
    taints?: { key: string; value?: string; effect: string }[];
    unschedulable?: boolean;
  } = {},
): Node {
  return {
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...shape.labels } },
    spec: { taints: shape.taints, unschedulable: shape.unschedulable },
    status: { allocatable: { cpu: shape.cpu ?? "4", memory: shape.memory ?? "8Gi", pods: shape.pods ?? "110" } },
  };
}

/** A cache holding `nodes` and the pods bound on them, with namespace labels from `namespaces`. */
export function cacheWith(
  nodes: Node[],
  pods: PodInfo[] = [],
  namespaces: Record<string, Record<string, string>> = {},
): Cache {
  const cache = new Cache((ns) => namespaces[ns]);
  for (const n of nodes) cache.setNode(n);
  for (const p of pods) cache.addPod(p);
  return cache;
}
