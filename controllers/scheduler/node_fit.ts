/**
 * Whether a pod may go to a node by the node's labels, name and taints: the checks the scheduler's
 * filters, the DaemonSet controller and taint-based eviction share (kube's `component-helpers`).
 *
 * @module
 */

/** A node taint. */
export interface Taint {
  key: string;
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute" | string;
  timeAdded?: string;
}

/** A pod toleration. */
export interface Toleration {
  key?: string;
  operator?: "Equal" | "Exists";
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** One `matchExpressions` / `matchFields` requirement of a node selector term. */
export interface NodeSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";
  values?: string[];
}

/** A node selector term: all its requirements must hold. */
export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

/** The parts of a node these checks read. */
export interface NodeLike {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { taints?: Taint[]; unschedulable?: boolean };
}

/** The parts of a pod spec these checks read. */
export interface PodSpecLike {
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  affinity?: {
    nodeAffinity?: {
      requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] };
      preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[];
    };
  };
}

/**
 * Whether `toleration` tolerates `taint` (an empty key with `Exists` tolerates everything; an empty
 * effect matches every effect).
 *
 * @example
 * ```ts
 * tolerates({ key: "dedicated", operator: "Equal", value: "infra" }, { key: "dedicated", value: "infra", effect: "NoSchedule" }); // true
 * ```
 */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (!toleration.key && toleration.operator !== "Exists") return false;
  if (toleration.operator === "Exists") return true;
  return (toleration.value ?? "") === (taint.value ?? "");
}

/**
 * The first taint with one of `effects` that no toleration tolerates, or undefined.
 *
 * @example
 * ```ts
 * const blocking = untoleratedTaint(node.spec?.taints, pod.spec.tolerations, ["NoSchedule", "NoExecute"]);
 * ```
 */
export function untoleratedTaint(
  taints: Taint[] | undefined,
  tolerations: Toleration[] | undefined,
  effects: readonly string[],
): Taint | undefined {
  return (taints ?? []).find((taint) =>
    effects.includes(taint.effect) && !(tolerations ?? []).some((t) => tolerates(t, taint))
  );
}

function requirementHolds(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
    case "Lt": {
      if (value === undefined || values.length !== 1) return false;
      const have = Number.parseInt(value, 10);
      const want = Number.parseInt(values[0], 10);
      if (Number.isNaN(have) || Number.isNaN(want)) return false;
      return r.operator === "Gt" ? have > want : have < want;
    }
    default:
      return false;
  }
}

/**
 * Whether `node` satisfies one term (all its expressions on labels, all its fields on
 * `metadata.name`); an empty term matches nothing, as in kube.
 *
 * @example
 * ```ts
 * matchesNodeSelectorTerm({ matchFields: [{ key: "metadata.name", operator: "In", values: ["n1"] }] }, node);
 * ```
 */
export function matchesNodeSelectorTerm(term: NodeSelectorTerm, node: NodeLike): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  return expressions.every((r) => requirementHolds(r, labels[r.key])) &&
    fields.every((r) => r.key === "metadata.name" && requirementHolds(r, node.metadata?.name));
}

/**
 * Whether `node` passes the pod's `nodeSelector` and required node affinity (any term may match).
 *
 * @example
 * ```ts
 * if (!matchesNodeSelector(pod.spec, node)) reasons.push("node(s) didn't match Pod's node affinity/selector");
 * ```
 */
export function matchesNodeSelector(spec: PodSpecLike, node: NodeLike): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [key, value] of Object.entries(spec.nodeSelector ?? {})) {
    if (labels[key] !== value) return false;
  }
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms === undefined) return true;
  return terms.some((term) => matchesNodeSelectorTerm(term, node));
}
