/**
 * An Indexed Job's success policy: the Job succeeds early once its succeeded indexes satisfy one rule (a set of
 * indexes, a count of them, or both).
 *
 * @module
 */
import { covers, OrderedIntervals } from "./indexes.ts";
import type { Job } from "./job.ts";

/**
 * Kube's `matchSuccessPolicy`: the `SuccessCriteriaMet` message of the first rule `succeeded` satisfies, if any.
 *
 * @example
 * ```ts
 * matchSuccessPolicy(job, OrderedIntervals.parse("0", 5)); // "Matched rules at index 0" for rules [{ succeededIndexes: "0" }]
 * ```
 */
export function matchSuccessPolicy(job: Job, succeeded: OrderedIntervals): string | undefined {
  const rules = job.spec.successPolicy?.rules;
  if (!rules || succeeded.total() === 0) return undefined;
  const completions = job.spec.completions ?? 0;
  for (const [index, rule] of rules.entries()) {
    if (rule.succeededIndexes !== undefined) {
      const required = OrderedIntervals.parse(rule.succeededIndexes, completions);
      if (required.total() > 0 && covers(required, succeeded, rule.succeededCount)) {
        return `Matched rules at index ${index}`;
      }
    } else if (rule.succeededCount !== undefined && succeeded.total() >= rule.succeededCount) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}
