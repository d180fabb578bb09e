/**
 * The order kube-apiserver lists API groups and versions in: discovery, `kubectl api-versions`' preferred versions
 * and short-name conflicts (`events` is core's because core comes first) all follow it.
 *
 * @module
 */

/**
 * kube-apiserver 1.32's group priorities (the `groupPriorityMinimum` of its local APIServices); higher comes first.
 * `apiregistration.k8s.io` is served by the aggregator itself, which always lists its own group first.
 */
const GROUP_PRIORITY: Record<string, number> = {
  "": 18000,
  "apiregistration.k8s.io": 17900,
  "apps": 17800,
  "events.k8s.io": 17750,
  "authentication.k8s.io": 17700,
  "authorization.k8s.io": 17600,
  "autoscaling": 17500,
  "batch": 17400,
  "certificates.k8s.io": 17300,
  "networking.k8s.io": 17200,
  "policy": 17100,
  "rbac.authorization.k8s.io": 17000,
  "storage.k8s.io": 16800,
  "admissionregistration.k8s.io": 16700,
  "apiextensions.k8s.io": 16700,
  "scheduling.k8s.io": 16600,
  "coordination.k8s.io": 16500,
  "node.k8s.io": 16300,
  "discovery.k8s.io": 16200,
  "flowcontrol.apiserver.k8s.io": 16100,
  "internal.apiserver.k8s.io": 16000,
  "resource.k8s.io": 15900,
  "storagemigration.k8s.io": 15800,
};

/** What a CRD's group gets (apiextensions-apiserver registers CRD groups at 1000). */
export const DEFAULT_GROUP_PRIORITY = 1000;

/**
 * The built-in priority of `group`, or {@link DEFAULT_GROUP_PRIORITY}.
 *
 * @example
 * ```ts
 * builtinGroupPriority("apps"); // 17800
 * builtinGroupPriority("helm.cattle.io"); // 1000
 * ```
 */
export function builtinGroupPriority(group: string): number {
  return GROUP_PRIORITY[group] ?? DEFAULT_GROUP_PRIORITY;
}

const KUBE_VERSION = /^v([1-9][0-9]*)(?:(alpha|beta)([1-9][0-9]*))?$/;

/**
 * Kubernetes' version ordering: GA before beta before alpha, higher numbers first, then anything else
 * alphabetically (`v2`, `v1`, `v1beta2`, `v1beta1`, `v1alpha1`, `foo`). Negative when `a` comes first.
 *
 * @example
 * ```ts
 * ["v1", "v2", "v1beta1"].sort(compareKubeVersions); // ["v2", "v1", "v1beta1"]
 * ```
 */
export function compareKubeVersions(a: string, b: string): number {
  const ma = KUBE_VERSION.exec(a), mb = KUBE_VERSION.exec(b);
  if (!ma || !mb) {
    if (ma) return -1;
    if (mb) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const stability = (m: RegExpExecArray) => m[2] === undefined ? 2 : m[2] === "beta" ? 1 : 0;
  return stability(mb) - stability(ma) || Number(mb[1]) - Number(ma[1]) || Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}
