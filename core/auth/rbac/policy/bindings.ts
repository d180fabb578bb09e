/**
 * The ClusterRoleBindings kube-apiserver 1.32 creates at start (`bootstrappolicy.ClusterRoleBindings()`):
 * `system:masters` gets cluster-admin, every authenticated user discovery and basic-user, everyone the public info,
 * and each system component its role. `system:node` keeps no subjects: the Node authorizer took over.
 *
 * @module
 */
import type { Binding } from "../types.ts";
import { clusterRoleBinding, group, serviceAccount, user } from "./rule.ts";

/** kube 1.32's bootstrap ClusterRoleBindings. */
export const CLUSTER_ROLE_BINDINGS: Binding[] = [
  clusterRoleBinding("cluster-admin", [group("system:masters")]),
  clusterRoleBinding("system:monitoring", [group("system:monitoring")]),
  clusterRoleBinding("system:discovery", [group("system:authenticated")]),
  clusterRoleBinding("system:basic-user", [group("system:authenticated")]),
  clusterRoleBinding("system:public-info-viewer", [group("system:authenticated"), group("system:unauthenticated")]),
  clusterRoleBinding("system:node-proxier", [user("system:kube-proxy")]),
  clusterRoleBinding("system:kube-controller-manager", [user("system:kube-controller-manager")]),
  clusterRoleBinding("system:kube-dns", [serviceAccount("kube-system", "kube-dns")]),
  clusterRoleBinding("system:kube-scheduler", [user("system:kube-scheduler")]),
  clusterRoleBinding("system:volume-scheduler", [user("system:kube-scheduler")]),
  clusterRoleBinding("system:node", []),
  clusterRoleBinding("system:service-account-issuer-discovery", [group("system:serviceaccounts")]),
];
