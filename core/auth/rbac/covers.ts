/**
 * Rule coverage, as kube's RBAC validation computes it: a set of rules covers another when every atomic piece (one
 * verb, group, resource and name — or one verb and URL) of the other is allowed by a single rule of the set. Used to
 * stop users granting what they do not hold, and by the bootstrap policy reconcile to find missing rules.
 *
 * @module
 */
import type { PolicyRule } from "./types.ts";
import { ALL, urlPrefixCovers } from "./rules.ts";

/**
 * kube's `BreakdownRule`: `rule` as rules of one verb, one group, one resource and at most one name (or one verb and
 * one URL).
 *
 * @example
 * ```ts
 * breakdownRule({ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] }).length; // 2
 * ```
 */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const pieces: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs ?? []) {
        const names = rule.resourceNames ?? [];
        if (names.length === 0) pieces.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
        for (const name of names) {
          pieces.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] });
        }
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) {
    for (const verb of rule.verbs ?? []) pieces.push({ nonResourceURLs: [url], verbs: [verb] });
  }
  return pieces;
}

const hasAll = (set: string[] = [], wanted: string[] = []) => wanted.every((w) => set.includes(w));

function resourcesCover(owner: string[] = [], wanted: string[] = []): boolean {
  if (owner.includes(ALL) || hasAll(owner, wanted)) return true;
  return wanted.every((path) => {
    if (owner.includes(path)) return true;
    const slash = path.indexOf("/");
    return slash >= 0 && owner.includes(`*/${path.slice(slash + 1)}`);
  });
}

function urlsCover(owner: string[] = [], wanted: string[] = []): boolean {
  return wanted.every((path) => owner.some((o) => o === path || urlPrefixCovers(o, path)));
}

/** kube's `ruleCovers`: whether `owner` covers the atomic `piece`. */
function ruleCovers(owner: PolicyRule, piece: PolicyRule): boolean {
  const verbs = (owner.verbs ?? []).includes(ALL) || hasAll(owner.verbs, piece.verbs);
  const groups = (owner.apiGroups ?? []).includes(ALL) || hasAll(owner.apiGroups, piece.apiGroups);
  const ownerNames = owner.resourceNames ?? [];
  const names = (piece.resourceNames ?? []).length === 0
    ? ownerNames.length === 0
    : ownerNames.length === 0 || hasAll(ownerNames, piece.resourceNames);
  return verbs && groups && names && resourcesCover(owner.resources, piece.resources) &&
    urlsCover(owner.nonResourceURLs, piece.nonResourceURLs);
}

/**
 * kube's `Covers`: whether `owner` rules cover every rule of `servant`, and the atomic pieces they miss.
 *
 * @example
 * ```ts
 * covers([{ verbs: ["*"], apiGroups: [""], resources: ["pods"] }], [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"] }]);
 * // { covered: false, missing: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }] }
 * ```
 */
export function covers(owner: PolicyRule[], servant: PolicyRule[]): { covered: boolean; missing: PolicyRule[] } {
  const missing = servant.flatMap(breakdownRule).filter((piece) => !owner.some((rule) => ruleCovers(rule, piece)));
  return { covered: missing.length === 0, missing };
}

/**
 * kube's `CompactRules`: rules of one group and one resource (and at most one name) that differ only in verbs are
 * merged; the merged ones follow the rest.
 *
 * @example
 * ```ts
 * compactRules([{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }, { apiGroups: [""], resources: ["pods"], verbs: ["list"] }]);
 * // [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }]
 * ```
 */
export function compactRules(rules: PolicyRule[]): PolicyRule[] {
  const compacted: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const rule of rules) {
    const names = rule.resourceNames ?? [];
    const isSimple = names.length <= 1 && !(rule.nonResourceURLs ?? []).length &&
      (rule.apiGroups ?? []).length === 1 && (rule.resources ?? []).length === 1;
    if (!isSimple) {
      compacted.push(rule);
      continue;
    }
    const key = JSON.stringify([rule.apiGroups![0], rule.resources![0], names.length > 0, names[0] ?? ""]);
    const existing = simple.get(key);
    if (!existing) simple.set(key, structuredClone(rule));
    else for (const verb of rule.verbs ?? []) if (!existing.verbs.includes(verb)) existing.verbs.push(verb);
  }
  return [...compacted, ...simple.values()];
}

/**
 * kube's `CompactString`: `{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}`.
 *
 * @example
 * ```ts
 * compactString({ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }); // '{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}'
 * ```
 */
export function compactString(rule: PolicyRule): string {
  const q = (values: string[]) => `[${values.map((v) => JSON.stringify(v)).join(" ")}]`;
  const parts: string[] = [];
  if (rule.apiGroups?.length) parts.push(`APIGroups:${q(rule.apiGroups)}`);
  if (rule.resources?.length) parts.push(`Resources:${q(rule.resources)}`);
  if (rule.nonResourceURLs?.length) parts.push(`NonResourceURLs:${q(rule.nonResourceURLs)}`);
  if (rule.resourceNames?.length) parts.push(`ResourceNames:${q(rule.resourceNames)}`);
  if (rule.verbs?.length) parts.push(`Verbs:${q(rule.verbs)}`);
  return `{${parts.join(", ")}}`;
}
