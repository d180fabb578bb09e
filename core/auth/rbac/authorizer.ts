/**
 * kube's RBAC authorizer: a request is allowed when some rule the user holds (see {@linkcode RuleResolver}) allows
 * it; otherwise it has no opinion, giving the resolution errors as its reason. RBAC never denies outright.
 *
 * @module
 */
import type { UserInfo } from "../../api/router.ts";
import type { Attributes } from "../authorization/attributes.ts";
import { aggregate, type Authorizer, type Decision, type UserRules } from "../authorization/authorizer.ts";
import type { RuleResolver } from "./resolver.ts";
import { ruleAllows } from "./rules.ts";

/**
 * The `RBAC` authorization mode.
 *
 * @example
 * ```ts
 * const rbac = new RbacAuthorizer(new RuleResolver(rbacObjects((kind) => manager.informer(kind))));
 * await rbac.authorize(attributes); // { decision: "allow", reason: 'RBAC: allowed by ClusterRoleBinding "cluster-admin" …' }
 * ```
 */
export class RbacAuthorizer implements Authorizer {
  constructor(readonly resolver: RuleResolver) {}

  async authorize(attributes: Attributes): Promise<Decision> {
    let allowedBy: string | undefined;
    const errors: string[] = [];
    await this.resolver.visitRulesFor(attributes.user, attributes.namespace, (source, rule, error) => {
      if (error) errors.push(error);
      if (rule && ruleAllows(attributes, rule)) allowedBy = source;
      return allowedBy === undefined;
    });
    if (allowedBy !== undefined) return { decision: "allow", reason: `RBAC: allowed by ${allowedBy}` };
    return { decision: "noOpinion", reason: errors.length ? `RBAC: ${aggregate(errors)}` : "" };
  }

  /** kube's `RBACAuthorizer.RulesFor`: the user's rules split into resource and non-resource rules. */
  async rulesFor(user: UserInfo, namespace: string): Promise<UserRules> {
    const { rules, errors } = await this.resolver.rulesFor(user, namespace);
    const rulesOf: UserRules = { resourceRules: [], nonResourceRules: [], incomplete: false, errors };
    for (const rule of rules) {
      if (rule.resources?.length) {
        rulesOf.resourceRules.push({
          verbs: rule.verbs ?? [],
          apiGroups: rule.apiGroups ?? [],
          resources: rule.resources,
          resourceNames: rule.resourceNames ?? [],
        });
      }
      if (rule.nonResourceURLs?.length) {
        rulesOf.nonResourceRules.push({ verbs: rule.verbs ?? [], nonResourceURLs: rule.nonResourceURLs });
      }
    }
    return rulesOf;
  }
}
