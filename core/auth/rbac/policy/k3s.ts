/**
 * K3s's own RBAC objects (its `manifests/rolebindings.yaml`): the API server's kubelet access and the role of the
 * `system:k3s-controller` identity agents run their controllers as (node lookups, namespaces, network policies,
 * endpoints and pods for the network policy controller and the tunnel).
 *
 * @module
 */
import { type Binding, RBAC_GROUP, type Role } from "../types.ts";
import { READ, rule, user } from "./rule.ts";

/** K3s's ClusterRoles. */
export const K3S_CLUSTER_ROLES: Role[] = [
  {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: "ClusterRole",
    metadata: { name: "system:k3s-controller" },
    rules: [
      rule("get", "", "nodes"),
      rule("list,watch", "", "namespaces"),
      rule("list,watch", "networking.k8s.io", "networkpolicies"),
      rule(READ, "", "endpoints,pods"),
    ],
  },
];

/** K3s's ClusterRoleBindings. */
export const K3S_CLUSTER_ROLE_BINDINGS: Binding[] = [
  {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: "ClusterRoleBinding",
    metadata: { name: "kube-apiserver-kubelet-admin" },
    roleRef: { apiGroup: RBAC_GROUP, kind: "ClusterRole", name: "system:kubelet-api-admin" },
    subjects: [user("kube-apiserver")],
  },
  {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: "ClusterRoleBinding",
    metadata: { name: "system:k3s-controller" },
    roleRef: { apiGroup: RBAC_GROUP, kind: "ClusterRole", name: "system:k3s-controller" },
    subjects: [user("system:k3s-controller")],
  },
];
