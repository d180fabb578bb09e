/**
 * kube's authorizer contract: an authorizer allows, denies or has no opinion (with a reason), a chain asks each in turn
 * until one decides, and a rule resolver lists what a user may do (for `SelfSubjectRulesReview` and escalation checks).
 * kube-apiserver puts the `system:masters` group in front of the configured modes; K3s configures `Node,RBAC`.
 *
 * @module
 */
import type { UserInfo } from "../../api/router.ts";
import type { Attributes } from "./attributes.ts";

/** An authorizer's verdict; `reason` says why (kube appends it to a 403's message). */
export interface Decision {
  decision: "allow" | "deny" | "noOpinion";
  reason: string;
  /** An evaluation error that did not stop the decision (a binding to a missing role). */
  error?: string;
}

/** kube's `authorizer.Authorizer`. */
export interface Authorizer {
  authorize(attributes: Attributes): Promise<Decision> | Decision;
}

/** A resource rule as `SelfSubjectRulesReview` lists it. */
export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

/** A non-resource rule as `SelfSubjectRulesReview` lists it. */
export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs?: string[];
}

/** What a user may do in a namespace; `incomplete` when some authorizer cannot enumerate it. */
export interface UserRules {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  errors: string[];
}

/** kube's `authorizer.RuleResolver`. */
export interface RuleResolver {
  rulesFor(user: UserInfo, namespace: string): Promise<UserRules> | UserRules;
}

/** kube's superuser group: its members are allowed everything, before any configured mode is asked. */
export const SYSTEM_PRIVILEGED_GROUP = "system:masters";

/**
 * kube's `authorizerfactory.NewPrivilegedGroups`: members of any of `groups` are allowed everything.
 *
 * @example
 * ```ts
 * privilegedGroups("system:masters").authorize(attributes); // { decision: "allow", reason: "" } for a member
 * ```
 */
export function privilegedGroups(...groups: string[]): Authorizer {
  return {
    authorize: (attributes) => ({
      decision: attributes.user.groups.some((g) => groups.includes(g)) ? "allow" : "noOpinion",
      reason: "",
    }),
  };
}

/**
 * kube's `union.New`: the first authorizer that allows or denies decides; otherwise no opinion, with every reason
 * given joined by newlines.
 *
 * @example
 * ```ts
 * const chain = unionAuthorizer(privilegedGroups(SYSTEM_PRIVILEGED_GROUP), nodeAuthorizer, rbacAuthorizer);
 * ```
 */
export function unionAuthorizer(...authorizers: Authorizer[]): Authorizer {
  return {
    async authorize(attributes) {
      const reasons: string[] = [];
      const errors: string[] = [];
      for (const authorizer of authorizers) {
        const decided = await authorizer.authorize(attributes);
        if (decided.error) errors.push(decided.error);
        if (decided.decision !== "noOpinion") return decided;
        if (decided.reason) reasons.push(decided.reason);
      }
      return {
        decision: "noOpinion",
        reason: reasons.join("\n"),
        ...(errors.length ? { error: aggregate(errors) } : {}),
      };
    },
  };
}

/**
 * kube's `union.NewRuleResolvers`: every resolver's rules together; incomplete if any is.
 *
 * @example
 * ```ts
 * const rules = await unionRuleResolver(nodeAuthorizer, rbacAuthorizer).rulesFor(user, "default");
 * ```
 */
export function unionRuleResolver(...resolvers: RuleResolver[]): RuleResolver {
  return {
    async rulesFor(user, namespace) {
      const all: UserRules = { resourceRules: [], nonResourceRules: [], incomplete: false, errors: [] };
      for (const resolver of resolvers) {
        const rules = await resolver.rulesFor(user, namespace);
        all.resourceRules.push(...rules.resourceRules);
        all.nonResourceRules.push(...rules.nonResourceRules);
        all.incomplete ||= rules.incomplete;
        all.errors.push(...rules.errors);
      }
      return all;
    },
  };
}

/**
 * apimachinery's `utilerrors.NewAggregate(...).Error()`: repeats dropped, one message alone, several in brackets.
 *
 * @example
 * ```ts
 * aggregate(["a", "b", "a"]); // "[a, b]"
 * ```
 */
export function aggregate(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(", ")}]`;
}
