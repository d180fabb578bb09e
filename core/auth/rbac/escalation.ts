/**
 * RBAC's escalation prevention, as kube's policy-based role and binding storage enforce it: writing a Role or
 * ClusterRole needs every rule it grants (unless the writer may `escalate` it), writing a binding needs the
 * referenced role's rules (unless the writer may `bind` it), and an aggregation rule needs cluster-admin's powers.
 * `system:masters` is never checked.
 *
 * @module
 */
import type { UserInfo } from "../../api/router.ts";
import { sameObject } from "../../api/storage.ts";
import { type Attributes, resourceAttributes } from "../authorization/attributes.ts";
import { aggregate, type Authorizer, SYSTEM_PRIVILEGED_GROUP } from "../authorization/authorizer.ts";
import { forbiddenError } from "../authorization/forbidden.ts";
import { compactRules, compactString, covers } from "./covers.ts";
import type { RuleResolver } from "./resolver.ts";
import { type Binding, type PolicyRule, RBAC_GROUP, type Role } from "./types.ts";

/** What cluster-admin holds: everything. */
const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: ["*"], apiGroups: ["*"], resources: ["*"] },
  { verbs: ["*"], nonResourceURLs: ["*"] },
];

const ROLE_RESOURCES = new Set(["roles", "clusterroles"]);
const BINDING_RESOURCES = new Set(["rolebindings", "clusterrolebindings"]);

/** Metadata a garbage collector (or a finalizing controller) changes; changing only these needs no check. */
const GC_FIELDS = ["ownerReferences", "finalizers", "managedFields", "resourceVersion", "selfLink"];

/**
 * kube's `IsOnlyMutatingGCFields`: whether `next` differs from `current` only in owner references and finalizers.
 *
 * @example
 * ```ts
 * onlyMutatesGCFields({ ...role, metadata: { ...role.metadata, finalizers: [] } }, role); // true
 * ```
 */
export function onlyMutatesGCFields(next: Record<string, unknown>, current: Record<string, unknown>): boolean {
  const strip = (object: Record<string, unknown>) => {
    const metadata = { ...(object.metadata as Record<string, unknown>) };
    for (const field of GC_FIELDS) delete metadata[field];
    return { ...object, metadata };
  };
  return sameObject(strip(next), strip(current));
}

/**
 * The RBAC write checks, over the server's authorizer and the RBAC rule resolver.
 *
 * @example
 * ```ts
 * const escalation = new EscalationCheck(authorizer, resolver);
 * await escalation.admit(user, attributes, role); // throws kube's 403 when `role` grants more than `user` holds
 * ```
 */
export class EscalationCheck {
  constructor(private readonly authorizer: Authorizer, private readonly resolver: RuleResolver) {}

  /**
   * Check a create (`current` undefined) or update of a role or binding by `attributes.user`; other resources pass.
   * Throws kube's 403.
   */
  async admit(attributes: Attributes, next: Role | Binding, current?: Role | Binding): Promise<void> {
    const { user, apiGroup, resource } = attributes;
    if (apiGroup !== RBAC_GROUP || user.groups.includes(SYSTEM_PRIVILEGED_GROUP)) return;
    if (!ROLE_RESOURCES.has(resource) && !BINDING_RESOURCES.has(resource)) return;
    if (current && onlyMutatesGCFields(next as never, current as never)) return;
    const namespace = next.metadata.namespace ?? attributes.namespace;
    const denied = (cause: string) => forbiddenError({ group: RBAC_GROUP, resource }, next.metadata.name, cause);
    if (ROLE_RESOURCES.has(resource)) {
      const role = next as Role;
      if (await this.#mayEscalate(attributes)) return;
      const missing = await this.missingRights(user, namespace, role.rules ?? []);
      if (missing) throw denied(missing);
      const aggregated = role.aggregationRule || (current as Role | undefined)?.aggregationRule;
      if (resource === "clusterroles" && aggregated && await this.missingRights(user, namespace, FULL_AUTHORITY)) {
        throw denied("must have cluster-admin privileges to use the aggregationRule");
      }
      return;
    }
    const binding = next as Binding;
    const ref = binding.roleRef ?? {};
    const roleResource = ref.kind === "ClusterRole" ? "clusterroles" : ref.kind === "Role" ? "roles" : undefined;
    if (roleResource) {
      const bind = resourceAttributes(user, {
        verb: "bind",
        apiGroup: ref.apiGroup,
        resource: roleResource,
        name: ref.name,
        namespace: resource === "rolebindings" ? namespace : "",
      });
      if ((await this.authorizer.authorize(bind)).decision === "allow") return;
    }
    let rules: PolicyRule[];
    try {
      rules = await this.resolver.roleReferenceRules(ref, resource === "rolebindings" ? namespace : "");
    } catch (error) {
      throw denied((error as Error).message);
    }
    const missing = await this.missingRights(user, resource === "rolebindings" ? namespace : "", rules);
    if (missing) throw denied(missing);
  }

  /**
   * kube's `ConfirmNoEscalation`: undefined when `user` holds every rule of `rules` in `namespace`, else kube's
   * message listing what is missing.
   */
  async missingRights(user: UserInfo, namespace: string, rules: PolicyRule[]): Promise<string | undefined> {
    const held = await this.resolver.rulesFor(user, namespace);
    const { covered, missing } = covers(held.rules, rules);
    if (covered) return undefined;
    const lines = [...new Set(compactRules(missing).map(compactString))].sort();
    const groups = `[${user.groups.map((g) => JSON.stringify(g)).join(" ")}]`;
    let message = `user ${JSON.stringify(user.username)} (groups=${groups}) is attempting to grant RBAC permissions ` +
      `not currently held:\n${lines.join("\n")}`;
    if (held.errors.length) message += `; resolution errors: [${aggregate(held.errors)}]`;
    return message;
  }

  /** kube's `RoleEscalationAuthorized`: may the user `escalate` the role being written? */
  async #mayEscalate(attributes: Attributes): Promise<boolean> {
    const check = resourceAttributes(attributes.user, {
      verb: "escalate",
      apiGroup: attributes.apiGroup,
      apiVersion: "*",
      resource: attributes.resource,
      name: attributes.name,
      namespace: attributes.namespace,
    });
    return (await this.authorizer.authorize(check)).decision === "allow";
  }
}
