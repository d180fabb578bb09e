/**
 * The ClusterRoles kube-apiserver 1.32 creates at start (`bootstrappolicy.ClusterRoles()` with default feature gates):
 * the user-facing `cluster-admin`, `admin`, `edit` and `view` (the last three aggregated from the `system:aggregate-to-*`
 * roles), discovery and basic-user roles, and the roles of the system components.
 *
 * @module
 */
import type { PolicyRule, Role } from "../types.ts";
import { aggregatedClusterRole, clusterRole, EVENTS, READ, READ_WRITE, rule, urls, WRITE } from "./rule.ts";

const aggregateTo = (role: string) => ({ [`rbac.authorization.k8s.io/aggregate-to-${role}`]: "true" });

/**
 * What a node may do besides what the Node authorizer decides from its pods (kube's `NodeRules()`, the rules of
 * `system:node`).
 */
export const NODE_RULES: PolicyRule[] = [
  rule("create", "authentication.k8s.io", "tokenreviews"),
  rule("create", "authorization.k8s.io", "localsubjectaccessreviews,subjectaccessreviews"),
  rule(READ, "", "services"),
  rule("create,get,list,watch", "", "nodes"),
  rule("patch,update", "", "nodes/status"),
  rule("patch,update", "", "nodes"),
  rule("create,patch,update", "", "events"),
  rule(READ, "", "pods"),
  rule("create,delete", "", "pods"),
  rule("patch,update", "", "pods/status"),
  rule("create", "", "pods/eviction"),
  rule(READ, "", "configmaps,secrets"),
  rule("get", "", "persistentvolumeclaims,persistentvolumes"),
  rule("get", "", "endpoints"),
  rule("create,get,list,watch", "certificates.k8s.io", "certificatesigningrequests"),
  rule("create,delete,get,patch,update", "coordination.k8s.io", "leases"),
  rule("get", "storage.k8s.io", "volumeattachments"),
  rule("create", "", "serviceaccounts/token"),
  rule("get,patch,update", "", "persistentvolumeclaims/status"),
  rule(READ, "storage.k8s.io", "csidrivers"),
  rule("create,delete,get,patch,update", "storage.k8s.io", "csinodes"),
  rule(READ, "node.k8s.io", "runtimeclasses"),
];

const approver = (signer: string) => [rule("approve", "certificates.k8s.io", "signers", `kubernetes.io/${signer}`)];

/** kube 1.32's bootstrap ClusterRoles. */
export const CLUSTER_ROLES: Role[] = [
  aggregatedClusterRole("admin", "admin"),
  clusterRole("cluster-admin", [rule("*", "*", "*"), urls("*", "*")]),
  aggregatedClusterRole("edit", "edit", aggregateTo("admin")),
  clusterRole("system:aggregate-to-admin", [
    rule("create", "authorization.k8s.io", "localsubjectaccessreviews"),
    rule(READ_WRITE, "rbac.authorization.k8s.io", "rolebindings,roles"),
  ], aggregateTo("admin")),
  clusterRole("system:aggregate-to-edit", [
    rule(READ, "", "pods/attach,pods/exec,pods/portforward,pods/proxy,secrets,services/proxy"),
    rule("impersonate", "", "serviceaccounts"),
    rule(WRITE, "", "pods,pods/attach,pods/exec,pods/portforward,pods/proxy"),
    rule("create", "", "pods/eviction"),
    rule(
      WRITE,
      "",
      "configmaps,events,persistentvolumeclaims,replicationcontrollers,replicationcontrollers/scale,secrets," +
        "serviceaccounts,services,services/proxy",
    ),
    rule("create", "", "serviceaccounts/token"),
    rule(
      WRITE,
      "apps",
      "daemonsets,deployments,deployments/rollback,deployments/scale,replicasets,replicasets/scale,statefulsets," +
        "statefulsets/scale",
    ),
    rule(WRITE, "autoscaling", "horizontalpodautoscalers"),
    rule(WRITE, "batch", "cronjobs,jobs"),
    rule(
      WRITE,
      "extensions",
      "daemonsets,deployments,deployments/rollback,deployments/scale,ingresses,networkpolicies,replicasets," +
        "replicasets/scale,replicationcontrollers/scale",
    ),
    rule(WRITE, "policy", "poddisruptionbudgets"),
    rule(WRITE, "networking.k8s.io", "ingresses,networkpolicies"),
    rule(READ_WRITE, "coordination.k8s.io", "leases"),
  ], aggregateTo("edit")),
  clusterRole("system:aggregate-to-view", [
    rule(
      READ,
      "",
      "configmaps,endpoints,persistentvolumeclaims,persistentvolumeclaims/status,pods,replicationcontrollers," +
        "replicationcontrollers/scale,serviceaccounts,services,services/status",
    ),
    rule(
      READ,
      "",
      "bindings,events,limitranges,namespaces/status,pods/log,pods/status,replicationcontrollers/status," +
        "resourcequotas,resourcequotas/status",
    ),
    rule(READ, "", "namespaces"),
    rule(READ, "discovery.k8s.io", "endpointslices"),
    rule(
      READ,
      "apps",
      "controllerrevisions,daemonsets,daemonsets/status,deployments,deployments/scale,deployments/status," +
        "replicasets,replicasets/scale,replicasets/status,statefulsets,statefulsets/scale,statefulsets/status",
    ),
    rule(READ, "autoscaling", "horizontalpodautoscalers,horizontalpodautoscalers/status"),
    rule(READ, "batch", "cronjobs,cronjobs/status,jobs,jobs/status"),
    rule(
      READ,
      "extensions",
      "daemonsets,daemonsets/status,deployments,deployments/scale,deployments/status,ingresses,ingresses/status," +
        "networkpolicies,replicasets,replicasets/scale,replicasets/status,replicationcontrollers/scale",
    ),
    rule(READ, "policy", "poddisruptionbudgets,poddisruptionbudgets/status"),
    rule(READ, "networking.k8s.io", "ingresses,ingresses/status,networkpolicies"),
  ], aggregateTo("view")),
  clusterRole("system:auth-delegator", [
    rule("create", "authentication.k8s.io", "tokenreviews"),
    rule("create", "authorization.k8s.io", "subjectaccessreviews"),
  ]),
  clusterRole("system:basic-user", [
    rule("create", "authorization.k8s.io", "selfsubjectaccessreviews,selfsubjectrulesreviews"),
    rule("create", "authentication.k8s.io", "selfsubjectreviews"),
  ]),
  clusterRole("system:certificates.k8s.io:certificatesigningrequests:nodeclient", [
    rule("create", "certificates.k8s.io", "certificatesigningrequests/nodeclient"),
  ]),
  clusterRole("system:certificates.k8s.io:certificatesigningrequests:selfnodeclient", [
    rule("create", "certificates.k8s.io", "certificatesigningrequests/selfnodeclient"),
  ]),
  clusterRole("system:certificates.k8s.io:kube-apiserver-client-approver", approver("kube-apiserver-client")),
  clusterRole(
    "system:certificates.k8s.io:kube-apiserver-client-kubelet-approver",
    approver("kube-apiserver-client-kubelet"),
  ),
  clusterRole("system:certificates.k8s.io:kubelet-serving-approver", approver("kubelet-serving")),
  clusterRole("system:certificates.k8s.io:legacy-unknown-approver", approver("legacy-unknown")),
  clusterRole("system:discovery", [
    urls("get", "/api,/api/*,/apis,/apis/*,/healthz,/livez,/openapi,/openapi/*,/readyz,/version,/version/"),
  ]),
  clusterRole("system:heapster", [
    rule(READ, "", "events,namespaces,nodes,pods"),
    rule(READ, "extensions", "deployments"),
  ]),
  clusterRole("system:kube-aggregator", [rule(READ, "", "endpoints,services")]),
  clusterRole("system:kube-controller-manager", [
    EVENTS,
    rule("create", "coordination.k8s.io", "leases"),
    rule("get,update", "coordination.k8s.io", "leases", "kube-controller-manager"),
    rule("create", "", "secrets,serviceaccounts"),
    rule("delete", "", "secrets"),
    rule("get", "", "configmaps,namespaces,secrets,serviceaccounts"),
    rule("update", "", "secrets,serviceaccounts"),
    rule("create", "authentication.k8s.io", "tokenreviews"),
    rule("create", "authorization.k8s.io", "subjectaccessreviews"),
    rule("list,watch", "*", "*"),
    rule("create", "", "serviceaccounts/token"),
  ]),
  clusterRole("system:kube-dns", [rule("list,watch", "", "endpoints,services")]),
  clusterRole("system:kube-scheduler", [
    EVENTS,
    rule("create", "coordination.k8s.io", "leases"),
    rule("get,update", "coordination.k8s.io", "leases", "kube-scheduler"),
    rule(READ, "", "nodes"),
    rule("delete,get,list,watch", "", "pods"),
    rule("create", "", "bindings,pods/binding"),
    rule("patch,update", "", "pods/status"),
    rule(READ, "", "replicationcontrollers,services"),
    rule(READ, "apps,extensions", "replicasets"),
    rule(READ, "apps", "statefulsets"),
    rule(READ, "policy", "poddisruptionbudgets"),
    rule(READ, "", "persistentvolumeclaims,persistentvolumes"),
    rule("create", "authentication.k8s.io", "tokenreviews"),
    rule("create", "authorization.k8s.io", "subjectaccessreviews"),
    rule(READ, "storage.k8s.io", "csinodes"),
    rule(READ, "", "namespaces"),
    rule(READ, "storage.k8s.io", "csidrivers"),
    rule(READ, "storage.k8s.io", "csistoragecapacities"),
  ]),
  clusterRole("system:kubelet-api-admin", [
    rule(READ, "", "nodes"),
    rule("proxy", "", "nodes"),
    rule("*", "", "nodes/log,nodes/metrics,nodes/proxy,nodes/stats"),
  ]),
  clusterRole("system:monitoring", [
    urls("get", "/healthz,/healthz/*,/livez,/livez/*,/metrics,/metrics/slis,/readyz,/readyz/*"),
  ]),
  clusterRole("system:node", NODE_RULES),
  clusterRole("system:node-bootstrapper", [
    rule("create,get,list,watch", "certificates.k8s.io", "certificatesigningrequests"),
  ]),
  clusterRole("system:node-problem-detector", [
    rule("get", "", "nodes"),
    rule("patch", "", "nodes/status"),
    EVENTS,
  ]),
  clusterRole("system:node-proxier", [
    rule("list,watch", "", "endpoints,services"),
    rule(READ, "", "nodes"),
    EVENTS,
    rule("list,watch", "discovery.k8s.io", "endpointslices"),
  ]),
  clusterRole("system:persistent-volume-provisioner", [
    rule("create,delete,get,list,watch", "", "persistentvolumes"),
    rule("get,list,update,watch", "", "persistentvolumeclaims"),
    rule(READ, "storage.k8s.io", "storageclasses"),
    rule("watch", "", "events"),
    EVENTS,
  ]),
  clusterRole("system:public-info-viewer", [urls("get", "/healthz,/livez,/readyz,/version,/version/")]),
  clusterRole("system:service-account-issuer-discovery", [
    urls("get", "/.well-known/openid-configuration,/openid/v1/jwks"),
  ]),
  clusterRole("system:volume-scheduler", [
    rule("get,list,patch,update,watch", "", "persistentvolumes"),
    rule(READ, "storage.k8s.io", "storageclasses"),
    rule("get,list,patch,update,watch", "", "persistentvolumeclaims"),
  ]),
  aggregatedClusterRole("view", "view", aggregateTo("edit")),
];
