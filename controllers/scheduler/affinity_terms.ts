/**
 * Inter-pod affinity terms as kube's `framework.AffinityTerm`: which namespaces a term looks in (its own
 * namespace when it names none), which pods it selects (with `matchLabelKeys` / `mismatchLabelKeys` folded
 * into the selector from the owning pod's labels), and the topology it groups nodes by.
 *
 * @module
 */
import { type LabelSelector, type LabelSelectorRequirement, matchesSelector } from "../../core/api/label_selector.ts";

/** `v1.PodAffinityTerm`. */
export interface PodAffinityTerm {
  labelSelector?: LabelSelector;
  namespaces?: string[];
  namespaceSelector?: LabelSelector;
  topologyKey: string;
  matchLabelKeys?: string[];
  mismatchLabelKeys?: string[];
}

/** `v1.WeightedPodAffinityTerm`. */
export interface WeightedPodAffinityTerm {
  weight: number;
  podAffinityTerm: PodAffinityTerm;
}

/** `v1.PodAffinity` / `v1.PodAntiAffinity`. */
export interface PodAffinityRules {
  requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
  preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
}

/** A term ready to match pods against. */
export interface AffinityTerm {
  namespaces: ReadonlySet<string>;
  namespaceSelector?: LabelSelector;
  selector?: LabelSelector;
  topologyKey: string;
}

/** A preferred term with its weight. */
export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

/** The least of a pod a term matches against. */
export interface LabeledPod {
  namespace: string;
  labels: Record<string, string>;
}

function withLabelKeys(term: PodAffinityTerm, podLabels: Record<string, string>): LabelSelector | undefined {
  const extra: LabelSelectorRequirement[] = [];
  for (const key of term.matchLabelKeys ?? []) {
    if (key in podLabels) extra.push({ key, operator: "In", values: [podLabels[key]] });
  }
  for (const key of term.mismatchLabelKeys ?? []) {
    if (key in podLabels) extra.push({ key, operator: "NotIn", values: [podLabels[key]] });
  }
  if (extra.length === 0 || !term.labelSelector) return term.labelSelector;
  return { ...term.labelSelector, matchExpressions: [...(term.labelSelector.matchExpressions ?? []), ...extra] };
}

/**
 * The terms of `pod` ready to match with.
 *
 * @example
 * ```ts
 * const [term] = affinityTerms({ namespace: "default", labels: {} }, [{ labelSelector: { matchLabels: { app: "db" } }, topologyKey: "kubernetes.io/hostname" }]);
 * // term.namespaces has "default"
 * ```
 */
export function affinityTerms(pod: LabeledPod, terms: PodAffinityTerm[] | undefined): AffinityTerm[] {
  return (terms ?? []).map((t) => ({
    namespaces: new Set(!t.namespaces?.length && !t.namespaceSelector ? [pod.namespace] : t.namespaces ?? []),
    namespaceSelector: t.namespaceSelector,
    selector: withLabelKeys(t, pod.labels),
    topologyKey: t.topologyKey,
  }));
}

/**
 * The weighted terms of `pod` ready to match with.
 *
 * @example
 * ```ts
 * weightedAffinityTerms(pod, spec.affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
 * ```
 */
export function weightedAffinityTerms(
  pod: LabeledPod,
  terms: WeightedPodAffinityTerm[] | undefined,
): WeightedAffinityTerm[] {
  return (terms ?? []).map((t) => ({ ...affinityTerms(pod, [t.podAffinityTerm])[0], weight: t.weight }));
}

/**
 * Whether `term` selects `pod`, given the labels of the pod's namespace (for `namespaceSelector`).
 *
 * @example
 * ```ts
 * termMatches(term, { namespace: "default", labels: { app: "db" } }, namespaceLabels("default"));
 * ```
 */
export function termMatches(
  term: AffinityTerm,
  pod: LabeledPod,
  namespaceLabels: Record<string, string> | undefined,
): boolean {
  const inNamespace = term.namespaces.has(pod.namespace) ||
    (term.namespaceSelector !== undefined && matchesSelector(term.namespaceSelector, namespaceLabels ?? {}));
  return inNamespace && matchesSelector(term.selector, pod.labels);
}

/**
 * Whether `pod` is selected by every one of `terms` (and there is at least one), as a pod must be to count
 * for required affinity.
 *
 * @example
 * ```ts
 * matchesAllTerms(incoming.requiredAffinityTerms, existing, namespaceLabels(existing.namespace));
 * ```
 */
export function matchesAllTerms(
  terms: readonly AffinityTerm[],
  pod: LabeledPod,
  namespaceLabels: Record<string, string> | undefined,
): boolean {
  return terms.length > 0 && terms.every((t) => termMatches(t, pod, namespaceLabels));
}
