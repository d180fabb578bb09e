/**
 * kube's RBAC rule resolution (`DefaultRuleResolver`): the rules a user holds in a namespace are those of every
 * ClusterRoleBinding naming them, plus those of every RoleBinding in that namespace naming them. A binding whose role
 * is missing contributes an error instead, which denials and reviews report.
 *
 * @module
 */
import type { UserInfo } from "../../api/router.ts";
import type { RbacObjects } from "./objects.ts";
import type { Binding, PolicyRule, RoleRef, Subject } from "./types.ts";

/** The prefix of service account user names. */
const SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

/** Sees each rule a user holds with where it came from, or an error; returns false to stop. */
export type RuleVisitor = (source: string | undefined, rule: PolicyRule | undefined, error?: string) => boolean;

/**
 * Whether `subject` names `user`; a ServiceAccount subject without a namespace means the binding's (kube's
 * `appliesToUser`).
 *
 * @example
 * ```ts
 * appliesToUser({ username: "system:serviceaccount:ns:robot", groups: [] }, { kind: "ServiceAccount", name: "robot" }, "ns"); // true
 * ```
 */
export function appliesToUser(user: UserInfo, subject: Subject, namespace: string): boolean {
  switch (subject.kind) {
    case "User":
      return user.username === subject.name;
    case "Group":
      return user.groups.includes(subject.name);
    case "ServiceAccount": {
      const saNamespace = subject.namespace || namespace;
      return saNamespace !== "" && user.username === `${SERVICE_ACCOUNT_PREFIX}${saNamespace}:${subject.name}`;
    }
    default:
      return false;
  }
}

/** kube's subject description in "allowed by" reasons. */
function describeSubject(subject: Subject, bindingNamespace: string): string {
  const name = subject.kind === "ServiceAccount"
    ? `${subject.name}/${subject.namespace || bindingNamespace}`
    : subject.name;
  return `${subject.kind} ${JSON.stringify(name)}`;
}

/**
 * Resolves roles and bindings to rules.
 *
 * @example
 * ```ts
 * const resolver = new RuleResolver(rbacObjects((kind) => manager.informer(kind)));
 * const { rules, errors } = await resolver.rulesFor(user, "default");
 * ```
 */
export class RuleResolver {
  constructor(private readonly objects: RbacObjects) {}

  /**
   * The rules a role reference grants in `namespace` (a Role is looked up there, a ClusterRole cluster-wide); a
   * missing role is kube's NotFound text.
   */
  async roleReferenceRules(ref: RoleRef, namespace: string): Promise<PolicyRule[]> {
    switch (ref.kind) {
      case "Role": {
        const role = await this.objects.role(namespace, ref.name);
        if (!role) throw new Error(`role.rbac.authorization.k8s.io ${JSON.stringify(ref.name)} not found`);
        return role.rules ?? [];
      }
      case "ClusterRole": {
        const role = await this.objects.clusterRole(ref.name);
        if (!role) throw new Error(`clusterrole.rbac.authorization.k8s.io ${JSON.stringify(ref.name)} not found`);
        return role.rules ?? [];
      }
      default:
        throw new Error(`unsupported role reference kind: ${JSON.stringify(ref.kind)}`);
    }
  }

  /** kube's `VisitRulesFor`: cluster bindings first, then the namespace's bindings; stops when `visit` says so. */
  async visitRulesFor(user: UserInfo, namespace: string, visit: RuleVisitor): Promise<void> {
    const walk = async (bindings: Binding[], kind: "ClusterRoleBinding" | "RoleBinding", ns: string) => {
      for (const binding of bindings) {
        const subject = (binding.subjects ?? []).find((s) => appliesToUser(user, s, ns));
        if (!subject) continue;
        let rules: PolicyRule[];
        try {
          rules = await this.roleReferenceRules(binding.roleRef, ns);
        } catch (error) {
          if (!visit(undefined, undefined, (error as Error).message)) return false;
          continue;
        }
        const name = kind === "RoleBinding" ? `${binding.metadata.name}/${ns}` : binding.metadata.name;
        const source = `${kind} ${JSON.stringify(name)} of ${binding.roleRef.kind} ${
          JSON.stringify(binding.roleRef.name)
        } to ${describeSubject(subject, ns)}`;
        for (const rule of rules) if (!visit(source, rule)) return false;
      }
      return true;
    };
    if (!await walk(await this.objects.clusterRoleBindings(), "ClusterRoleBinding", "")) return;
    if (namespace) await walk(await this.objects.roleBindings(namespace), "RoleBinding", namespace);
  }

  /** kube's `RulesFor`: every rule the user holds in `namespace` ("" for cluster-wide only), and resolution errors. */
  async rulesFor(user: UserInfo, namespace: string): Promise<{ rules: PolicyRule[]; errors: string[] }> {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    await this.visitRulesFor(user, namespace, (_source, rule, error) => {
      if (rule) rules.push(rule);
      if (error) errors.push(error);
      return true;
    });
    return { rules, errors };
  }
}
