/**
 * Whether a `PolicyRule` allows a request, as kube's RBAC matches them: `*` for any verb, group, resource or URL;
 * `pods/log` names a subresource and `*\/scale` that subresource of any resource; `resourceNames` narrow to names;
 * a non-resource URL ending in `*` is a prefix.
 *
 * @module
 */
import type { Attributes } from "../authorization/attributes.ts";
import type { PolicyRule } from "./types.ts";

/** `*` in verbs, apiGroups, resources or nonResourceURLs. */
export const ALL = "*";

/**
 * kube's `VerbMatches`.
 *
 * @example
 * ```ts
 * verbMatches({ verbs: ["get", "list"] }, "list"); // true
 * ```
 */
export function verbMatches(rule: Pick<PolicyRule, "verbs">, verb: string): boolean {
  return (rule.verbs ?? []).some((v) => v === ALL || v === verb);
}

/**
 * kube's `APIGroupMatches`.
 *
 * @example
 * ```ts
 * apiGroupMatches({ verbs: [], apiGroups: [""] }, ""); // true
 * ```
 */
export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === ALL || g === group);
}

/**
 * kube's `ResourceMatches`: `combined` is `resource` or `resource/subresource`.
 *
 * @example
 * ```ts
 * resourceMatches({ verbs: [], resources: ["*\/scale"] }, "deployments/scale", "scale"); // true
 * ```
 */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  return (rule.resources ?? []).some((r) =>
    r === ALL || r === combined ||
    (subresource !== "" && r.length === subresource.length + 2 && r.startsWith("*/") && r.endsWith(subresource))
  );
}

/**
 * kube's `ResourceNameMatches`: no names means every name.
 *
 * @example
 * ```ts
 * resourceNameMatches({ verbs: [], resourceNames: ["web"] }, "web"); // true
 * ```
 */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

/**
 * kube's `NonResourceURLMatches`: exact, `*`, or a prefix ending in `*`.
 *
 * @example
 * ```ts
 * nonResourceURLMatches({ verbs: [], nonResourceURLs: ["/healthz/*"] }, "/healthz/etcd"); // true
 * ```
 */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((u) => u === ALL || u === path || urlPrefixCovers(u, path));
}

/**
 * Whether a URL pattern ending in `*` covers `path` (Go's `strings.TrimRight(pattern, "*")` prefix).
 *
 * @example
 * ```ts
 * urlPrefixCovers("/apis/*", "/apis/apps"); // true
 * ```
 */
export function urlPrefixCovers(pattern: string, path: string): boolean {
  return pattern.endsWith("*") && path.startsWith(pattern.replace(/\*+$/, ""));
}

/**
 * kube's `RuleAllows`: whether `rule` allows the request described by `attributes`.
 *
 * @example
 * ```ts
 * ruleAllows(attributes, { verbs: ["get"], apiGroups: [""], resources: ["pods/log"] });
 * ```
 */
export function ruleAllows(attributes: Attributes, rule: PolicyRule): boolean {
  if (!attributes.isResourceRequest) {
    return verbMatches(rule, attributes.verb) && nonResourceURLMatches(rule, attributes.path);
  }
  const combined = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource;
  return verbMatches(rule, attributes.verb) &&
    apiGroupMatches(rule, attributes.apiGroup) &&
    resourceMatches(rule, combined, attributes.subresource) &&
    resourceNameMatches(rule, attributes.name);
}

/**
 * kube's `RulesAllow`: whether any of `rules` allows the request.
 *
 * @example
 * ```ts
 * rulesAllow(attributes, NODE_RULES);
 * ```
 */
export function rulesAllow(attributes: Attributes, rules: PolicyRule[]): boolean {
  return rules.some((rule) => ruleAllows(attributes, rule));
}
