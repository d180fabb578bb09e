/**
 * kube-apiserver's `DefaultTolerationSeconds` admission plugin: every Pod tolerates the node lifecycle
 * controller's `not-ready` and `unreachable` NoExecute taints for five minutes unless it says otherwise, so a
 * node that drops off for a moment does not take its pods with it, while pods of a node that is really gone are
 * evicted and rescheduled elsewhere.
 *
 * @module
 */

import { ensureObj, list, type Obj, objList, str } from "./object.ts";

/** `--default-not-ready-toleration-seconds` and `--default-unreachable-toleration-seconds` (both 300). */
export const DEFAULT_TOLERATION_SECONDS = 300;

const NODE_TAINTS = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"];

/**
 * Adds `{key, operator: Exists, effect: NoExecute, tolerationSeconds: 300}` for the not-ready and unreachable
 * taints a Pod does not already tolerate. As in kube, any toleration naming the key (or no key) with effect
 * NoExecute (or none) counts, whatever its operator, value or seconds: the user has decided. Kube runs the plugin
 * on create and update of pods proper, which keeps a `kubectl replace` of the original manifest from reading as
 * a removal of the added tolerations.
 *
 * @example
 * ```ts
 * const pod = { spec: { containers: [{ name: "a", image: "nginx" }] } };
 * defaultTolerationSeconds(pod);
 * pod.spec.tolerations; // [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }, …unreachable]
 * ```
 */
export function defaultTolerationSeconds(pod: Obj): void {
  const spec = ensureObj(pod, "spec");
  const tolerations = objList(spec.tolerations);
  const tolerated = (key: string) =>
    tolerations.some((t) => (!str(t.key) || str(t.key) === key) && (!str(t.effect) || str(t.effect) === "NoExecute"));
  const added = NODE_TAINTS.filter((key) => !tolerated(key)).map((key) => ({
    key,
    operator: "Exists",
    effect: "NoExecute",
    tolerationSeconds: DEFAULT_TOLERATION_SECONDS,
  }));
  if (added.length > 0) spec.tolerations = [...list(spec.tolerations), ...added];
}
