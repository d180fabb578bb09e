/**
 * Matching a structured `LabelSelector` (`spec.selector` of a ReplicaSet, Deployment, Job…) against an object's labels, as
 * apimachinery's `LabelSelectorAsSelector` does.
 *
 * @module
 */

/** One `matchExpressions` entry. */
export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** A structured label selector. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/**
 * Whether `labels` satisfy `selector`. A missing selector selects nothing and an empty one everything,
 * like kube; an unknown operator selects nothing rather than everything, so a bad selector never
 * lets a controller grab foreign pods.
 *
 * @example
 * ```ts
 * matchesSelector({ matchLabels: { app: "web" } }, { app: "web", tier: "front" }); // true
 * matchesSelector({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["db"] }] }, {}); // true
 * ```
 */
export function matchesSelector(selector: LabelSelector | undefined, labels: Record<string, string> = {}): boolean {
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  return (selector.matchExpressions ?? []).every((req) => matchesRequirement(req, labels));
}

function matchesRequirement(req: LabelSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, req.key);
  const values = req.values ?? [];
  switch (req.operator) {
    case "In":
      return has && values.includes(labels[req.key]);
    case "NotIn":
      return !has || !values.includes(labels[req.key]);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    default:
      return false;
  }
}
