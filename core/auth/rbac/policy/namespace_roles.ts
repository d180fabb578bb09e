/**
 * The Roles and RoleBindings kube-apiserver 1.32 creates in kube-system and kube-public
 * (`bootstrappolicy.NamespaceRoles()` / `NamespaceRoleBindings()`): leader election for the controller manager and
 * scheduler, the authentication config reader, and the bootstrap signer and token cleaner.
 *
 * @module
 */
import { type Binding, RBAC_GROUP, type Role, type Subject } from "../types.ts";
import { bootstrapMetadata, EVENTS, READ, rule, serviceAccount, user } from "./rule.ts";

function role(namespace: string, name: string, rules: Role["rules"]): Role {
  return { apiVersion: `${RBAC_GROUP}/v1`, kind: "Role", metadata: bootstrapMetadata(name, {}, namespace), rules };
}

function binding(namespace: string, name: string, roleName: string, subjects: Subject[]): Binding {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: "RoleBinding",
    metadata: bootstrapMetadata(name, {}, namespace),
    roleRef: { apiGroup: RBAC_GROUP, kind: "Role", name: roleName },
    subjects,
  };
}

const leaderLocking = [
  rule("create,get,list,update,watch", "coordination.k8s.io", "leases"),
  rule("create,get,list,update,watch", "coordination.k8s.io", "leasecandidates"),
];

/** kube 1.32's bootstrap Roles. */
export const NAMESPACE_ROLES: Role[] = [
  role("kube-public", "system:controller:bootstrap-signer", [
    rule(READ, "", "configmaps"),
    rule("update", "", "configmaps", "cluster-info"),
    EVENTS,
  ]),
  role("kube-system", "extension-apiserver-authentication-reader", [
    rule(READ, "", "configmaps", "extension-apiserver-authentication"),
  ]),
  role("kube-system", "system::leader-locking-kube-controller-manager", leaderLocking),
  role("kube-system", "system::leader-locking-kube-scheduler", leaderLocking),
  role("kube-system", "system:controller:bootstrap-signer", [rule(READ, "", "secrets")]),
  role("kube-system", "system:controller:cloud-provider", [rule("create,get,list,watch", "", "configmaps")]),
  role("kube-system", "system:controller:token-cleaner", [rule("delete,get,list,watch", "", "secrets"), EVENTS]),
];

/** kube 1.32's bootstrap RoleBindings. */
export const NAMESPACE_ROLE_BINDINGS: Binding[] = [
  binding("kube-public", "system:controller:bootstrap-signer", "system:controller:bootstrap-signer", [
    serviceAccount("kube-system", "bootstrap-signer"),
  ]),
  binding(
    "kube-system",
    "system::extension-apiserver-authentication-reader",
    "extension-apiserver-authentication-reader",
    [user("system:kube-controller-manager"), user("system:kube-scheduler")],
  ),
  binding(
    "kube-system",
    "system::leader-locking-kube-controller-manager",
    "system::leader-locking-kube-controller-manager",
    [
      user("system:kube-controller-manager"),
      serviceAccount("kube-system", "kube-controller-manager"),
      serviceAccount("kube-system", "leader-election-controller"),
    ],
  ),
  binding("kube-system", "system::leader-locking-kube-scheduler", "system::leader-locking-kube-scheduler", [
    user("system:kube-scheduler"),
    serviceAccount("kube-system", "kube-scheduler"),
  ]),
  binding("kube-system", "system:controller:bootstrap-signer", "system:controller:bootstrap-signer", [
    serviceAccount("kube-system", "bootstrap-signer"),
  ]),
  binding("kube-system", "system:controller:cloud-provider", "system:controller:cloud-provider", [
    serviceAccount("kube-system", "cloud-provider"),
  ]),
  binding("kube-system", "system:controller:token-cleaner", "system:controller:token-cleaner", [
    serviceAccount("kube-system", "token-cleaner"),
  ]),
];
