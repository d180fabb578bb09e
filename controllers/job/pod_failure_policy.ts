/**
 * A Job's pod failure policy: the first rule a failed pod matches (by a container's non-zero exit code or by a pod
 * condition such as `DisruptionTarget`) decides whether the failure fails the Job, fails its index, is ignored, or
 * counts towards the back-off limit.
 *
 * @module
 */
import type { Job, PodFailurePolicyRule } from "./job.ts";
import type { ContainerStatus, Pod } from "./pods.ts";

/** What the policy says about one failed pod. */
export interface PolicyMatch {
  /** Present when a `FailJob` rule matched: the Job's failure message. */
  failJobMessage?: string;
  /** Whether the failure counts towards `backoffLimit` (false for `Ignore`). */
  countFailed: boolean;
  /** The matched rule's action, if a rule matched. */
  action?: PodFailurePolicyRule["action"];
}

function matchingContainer(
  statuses: ContainerStatus[] | undefined,
  rule: NonNullable<PodFailurePolicyRule["onExitCodes"]>,
): ContainerStatus | undefined {
  return (statuses ?? []).find((c) => {
    const code = c.state?.terminated?.exitCode;
    // A container still running has no exit code, and 0 is success whatever the rule says.
    if (code === undefined || code === 0) return false;
    if (rule.containerName !== undefined && rule.containerName !== c.name) return false;
    const listed = rule.values.includes(code);
    return rule.operator === "In" ? listed : rule.operator === "NotIn" ? !listed : false;
  });
}

/**
 * Kube's `matchPodFailurePolicy` for a failed pod; without a policy every failure counts.
 *
 * @example
 * ```ts
 * matchPodFailurePolicy(job, pod); // { failJobMessage: "Container main for pod default/pi-x failed with exit code 42 matching FailJob rule at index 0", countFailed: true, action: "FailJob" }
 * ```
 */
export function matchPodFailurePolicy(job: Job, pod: Pod): PolicyMatch {
  const rules = job.spec.podFailurePolicy?.rules ?? [];
  const where = `${pod.metadata.namespace}/${pod.metadata.name}`;
  for (const [index, rule] of rules.entries()) {
    let failJobMessage: string | undefined;
    if (rule.onExitCodes) {
      const container = matchingContainer(pod.status?.containerStatuses, rule.onExitCodes) ??
        matchingContainer(pod.status?.initContainerStatuses, rule.onExitCodes);
      if (!container) continue;
      failJobMessage = `Container ${container.name} for pod ${where} failed with exit code ` +
        `${container.state!.terminated!.exitCode} matching ${rule.action} rule at index ${index}`;
    } else if (rule.onPodConditions) {
      const condition = (pod.status?.conditions ?? []).find((c) =>
        rule.onPodConditions!.some((p) => p.type === c.type && (p.status ?? "True") === c.status)
      );
      if (!condition) continue;
      failJobMessage = `Pod ${where} has condition ${condition.type} matching ${rule.action} rule at index ${index}`;
    } else continue;
    switch (rule.action) {
      case "Ignore":
        return { countFailed: false, action: "Ignore" };
      case "FailIndex":
        return { countFailed: true, action: "FailIndex" };
      case "Count":
        return { countFailed: true, action: "Count" };
      case "FailJob":
        return { failJobMessage, countFailed: true, action: "FailJob" };
    }
  }
  return { countFailed: true };
}
