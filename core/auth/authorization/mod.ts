/**
 * Authorization as K3s configures kube-apiserver (`--authorization-mode=Node,RBAC`, plus the `system:masters`
 * superuser group in front): the authorizer chain, the rule resolvers behind `SelfSubjectRulesReview`, the review
 * kinds, impersonation, escalation prevention and NodeRestriction — assembled over the shared informer caches.
 *
 * @example
 * ```ts
 * const authorization = new Authorization((kind) => manager.informer(kind));
 * const rest = new Rest(store, authorization.admitting(strategy));
 * const router = new ApiRouter(registry, rest, [authorization.reviews], authorization);
 * ```
 *
 * @module
 */
import type { RequestAuthorization, VirtualHandler } from "../../api/router.ts";
import type { Strategy } from "../../api/strategy.ts";
import { RbacAuthorizer } from "../rbac/authorizer.ts";
import { EscalationCheck } from "../rbac/escalation.ts";
import { type InformerOf, rbacObjects } from "../rbac/objects.ts";
import { NODE_RULES } from "../rbac/policy/cluster_roles.ts";
import { RuleResolver as RbacRuleResolver } from "../rbac/resolver.ts";
import { NodeAuthorizer } from "../node/authorizer.ts";
import { NodeGraph } from "../node/graph.ts";
import { NodeRestriction } from "../node/restriction.ts";
import { AdmittingStrategy, type MutatingAdmission } from "./admission.ts";
import type { Attributes } from "./attributes.ts";
import {
  type Authorizer,
  privilegedGroups,
  type RuleResolver,
  SYSTEM_PRIVILEGED_GROUP,
  unionAuthorizer,
  unionRuleResolver,
} from "./authorizer.ts";
import { requestForbidden } from "./forbidden.ts";
import { reviews } from "./reviews.ts";

export { authorizingHandler } from "./filter.ts";

/**
 * The server's authorization.
 *
 * @example
 * ```ts
 * const authorization = new Authorization((kind) => manager.informer(kind));
 * await authorization.authorize(requestAttributes(user, "GET", new URL("https://h/api/v1/pods")));
 * ```
 */
export class Authorization implements RequestAuthorization {
  /** The chain: `system:masters`, then Node, then RBAC. */
  readonly authorizer: Authorizer;
  /** What `SelfSubjectRulesReview` lists: the Node and RBAC modes' rules. */
  readonly ruleResolver: RuleResolver;
  /** The review kinds, for the router's virtual handlers. */
  readonly reviews: VirtualHandler;
  readonly #escalation: EscalationCheck;
  readonly #nodeRestriction: NodeRestriction;

  constructor(informerOf: InformerOf) {
    const resolver = new RbacRuleResolver(rbacObjects(informerOf));
    const rbac = new RbacAuthorizer(resolver);
    const graph = new NodeGraph(informerOf);
    const node = new NodeAuthorizer(graph, NODE_RULES);
    this.authorizer = unionAuthorizer(privilegedGroups(SYSTEM_PRIVILEGED_GROUP), node, rbac);
    this.ruleResolver = unionRuleResolver(node, rbac);
    this.reviews = reviews(this.authorizer, this.ruleResolver);
    this.#escalation = new EscalationCheck(this.authorizer, resolver);
    this.#nodeRestriction = new NodeRestriction(graph);
  }

  /** kube's authorization filter: throws the 403 Status unless the request is allowed. */
  async authorize(attributes: Attributes): Promise<void> {
    const decided = await this.authorizer.authorize(attributes);
    if (decided.decision !== "allow") throw requestForbidden(attributes, decided.reason);
  }

  /**
   * Admission of requests whose object the write strategy never sees: deletes, evictions and token requests
   * (NodeRestriction).
   */
  async admitRequest(attributes: Attributes, body: unknown): Promise<void> {
    const operation = attributes.verb === "delete" ? "delete" : "create";
    await this.#nodeRestriction.admit(attributes, operation, body);
  }

  /**
   * `strategy` with the `mutating` admission plugins on every create, and escalation prevention and NodeRestriction
   * on every create and update.
   */
  admitting(strategy: Strategy, mutating: MutatingAdmission[] = []): Strategy {
    return new AdmittingStrategy(strategy, this.#escalation, this.#nodeRestriction, mutating);
  }
}
