/**
 * The `system:controller:<name>` ClusterRoles kube-apiserver 1.32 creates for kube-controller-manager's controllers
 * (`bootstrappolicy.ControllerRoles()` with default feature gates), each bound to the service account of the same
 * name in kube-system. K3s runs its controllers as one identity, but users and tools expect these roles to exist.
 *
 * @module
 */
import type { Binding, Role } from "../types.ts";
import { clusterRole, clusterRoleBinding, EVENTS, READ, rule, serviceAccount } from "./rule.ts";

const controller = (name: string, rules: Parameters<typeof clusterRole>[1]) =>
  clusterRole(`system:controller:${name}`, rules);

/** kube 1.32's controller roles. */
export const CONTROLLER_ROLES: Role[] = [
  controller("attachdetach-controller", [
    rule("list,watch", "", "persistentvolumeclaims,persistentvolumes"),
    rule(READ, "", "nodes"),
    rule("patch,update", "", "nodes/status"),
    rule("list,watch", "", "pods"),
    EVENTS,
    rule("create,delete,get,list,watch", "storage.k8s.io", "volumeattachments"),
    rule(READ, "storage.k8s.io", "csidrivers"),
    rule(READ, "storage.k8s.io", "csinodes"),
  ]),
  controller("certificate-controller", [
    rule("delete,get,list,watch", "certificates.k8s.io", "certificatesigningrequests"),
    rule("update", "certificates.k8s.io", "certificatesigningrequests/approval,certificatesigningrequests/status"),
    rule("approve", "certificates.k8s.io", "signers", "kubernetes.io/kube-apiserver-client-kubelet"),
    rule(
      "sign",
      "certificates.k8s.io",
      "signers",
      "kubernetes.io/kube-apiserver-client,kubernetes.io/kube-apiserver-client-kubelet,kubernetes.io/kubelet-serving," +
        "kubernetes.io/legacy-unknown",
    ),
    rule("create", "authorization.k8s.io", "subjectaccessreviews"),
    EVENTS,
  ]),
  controller("clusterrole-aggregation-controller", [
    rule("escalate,get,list,patch,update,watch", "rbac.authorization.k8s.io", "clusterroles"),
  ]),
  controller("cronjob-controller", [
    rule("get,list,update,watch", "batch", "cronjobs"),
    rule("create,delete,get,list,patch,update,watch", "batch", "jobs"),
    rule("update", "batch", "cronjobs/status"),
    rule("update", "batch", "cronjobs/finalizers"),
    rule("delete,list,watch", "", "pods"),
    EVENTS,
  ]),
  controller("daemon-set-controller", [
    rule(READ, "apps,extensions", "daemonsets"),
    rule("update", "apps,extensions", "daemonsets/status"),
    rule("update", "apps,extensions", "daemonsets/finalizers"),
    rule("list,watch", "", "nodes"),
    rule("create,delete,list,patch,watch", "", "pods"),
    rule("create", "", "pods/binding"),
    rule("create,delete,get,list,patch,update,watch", "apps", "controllerrevisions"),
    EVENTS,
  ]),
  controller("deployment-controller", [
    rule("get,list,update,watch", "apps,extensions", "deployments"),
    rule("update", "apps,extensions", "deployments/status"),
    rule("update", "apps,extensions", "deployments/finalizers"),
    rule("create,delete,get,list,patch,update,watch", "apps,extensions", "replicasets"),
    rule("get,list,update,watch", "", "pods"),
    EVENTS,
  ]),
  controller("disruption-controller", [
    rule(READ, "apps,extensions", "deployments"),
    rule(READ, "apps,extensions", "replicasets"),
    rule(READ, "", "replicationcontrollers"),
    rule(READ, "policy", "poddisruptionbudgets"),
    rule(READ, "apps", "statefulsets"),
    rule("update", "policy", "poddisruptionbudgets/status"),
    rule("patch,update", "", "pods/status"),
    rule("get", "*", "*/scale"),
    EVENTS,
  ]),
  controller("endpoint-controller", [
    rule(READ, "", "pods,services"),
    rule("create,delete,get,list,update,watch", "", "endpoints"),
    rule("create", "", "endpoints/restricted"),
    EVENTS,
  ]),
  controller("endpointslice-controller", [
    rule(READ, "", "nodes,pods,services"),
    rule("update", "", "services/finalizers"),
    rule("create,delete,get,list,update,watch", "discovery.k8s.io", "endpointslices"),
    EVENTS,
  ]),
  controller("endpointslicemirroring-controller", [
    rule(READ, "", "endpoints,services"),
    rule("update", "", "services/finalizers"),
    rule("update", "", "endpoints/finalizers"),
    rule("create,delete,get,list,update,watch", "discovery.k8s.io", "endpointslices"),
    EVENTS,
  ]),
  controller("ephemeral-volume-controller", [
    rule(READ, "", "pods"),
    rule("update", "", "pods/finalizers"),
    rule("create,get,list,watch", "", "persistentvolumeclaims"),
    EVENTS,
  ]),
  controller("expand-controller", [
    rule("get,list,patch,update,watch", "", "persistentvolumes"),
    rule("patch,update", "", "persistentvolumeclaims/status"),
    rule(READ, "", "persistentvolumeclaims"),
    EVENTS,
  ]),
  controller("generic-garbage-collector", [rule("delete,get,list,patch,update,watch", "*", "*"), EVENTS]),
  controller("horizontal-pod-autoscaler", [
    rule(READ, "autoscaling", "horizontalpodautoscalers"),
    rule("update", "autoscaling", "horizontalpodautoscalers/status"),
    rule("get,update", "*", "*/scale"),
    rule("list,watch", "", "pods"),
    rule("list,watch", "metrics.k8s.io", "pods"),
    rule(READ, "custom.metrics.k8s.io", "*"),
    rule(READ, "external.metrics.k8s.io", "*"),
    EVENTS,
  ]),
  controller("job-controller", [
    rule("get,list,patch,update,watch", "batch", "jobs"),
    rule("update", "batch", "jobs/status"),
    rule("update", "batch", "jobs/finalizers"),
    rule("create,delete,list,patch,watch", "", "pods"),
    EVENTS,
  ]),
  controller("legacy-service-account-token-cleaner", [
    rule("get", "", "configmaps", "kube-apiserver-legacy-service-account-token-tracking"),
    rule("delete,patch", "", "secrets"),
  ]),
  controller("namespace-controller", [
    rule("delete,get,list,watch", "", "namespaces"),
    rule("update", "", "namespaces/finalize,namespaces/status"),
    rule("delete,deletecollection,get,list,watch", "*", "*"),
  ]),
  controller("node-controller", [
    rule("delete,get,list,patch,update,watch", "", "nodes"),
    rule("patch,update", "", "nodes/status"),
    rule("patch,update", "", "pods/status"),
    rule("delete,get,list,watch", "", "pods"),
    EVENTS,
  ]),
  controller("persistent-volume-binder", [
    rule("create,delete,get,list,update,watch", "", "persistentvolumes"),
    rule("update", "", "persistentvolumes/status"),
    rule("get,list,update,watch", "", "persistentvolumeclaims"),
    rule("update", "", "persistentvolumeclaims/status"),
    rule("create,delete,get,list,watch", "", "pods"),
    rule(READ, "storage.k8s.io", "storageclasses"),
    rule("list,watch", "", "nodes"),
    EVENTS,
    rule("watch", "", "events"),
  ]),
  controller("pod-garbage-collector", [
    rule("delete,list,watch", "", "pods"),
    rule(READ, "", "nodes"),
    rule("patch", "", "pods/status"),
  ]),
  controller("pv-protection-controller", [rule("get,list,update,watch", "", "persistentvolumes"), EVENTS]),
  controller("pvc-protection-controller", [
    rule("get,list,update,watch", "", "persistentvolumeclaims"),
    rule("update", "", "persistentvolumeclaims/status"),
    rule(READ, "", "pods"),
    EVENTS,
  ]),
  controller("replicaset-controller", [
    rule("get,list,update,watch", "apps,extensions", "replicasets"),
    rule("update", "apps,extensions", "replicasets/status"),
    rule("update", "apps,extensions", "replicasets/finalizers"),
    rule("create,delete,list,patch,watch", "", "pods"),
    EVENTS,
  ]),
  controller("replication-controller", [
    rule("get,list,update,watch", "", "replicationcontrollers"),
    rule("update", "", "replicationcontrollers/status"),
    rule("update", "", "replicationcontrollers/finalizers"),
    rule("create,delete,list,patch,watch", "", "pods"),
    EVENTS,
  ]),
  controller("resourcequota-controller", [
    rule("list,watch", "*", "*"),
    rule("update", "", "resourcequotas/status"),
    EVENTS,
  ]),
  controller("root-ca-cert-publisher", [rule("create,update", "", "configmaps"), EVENTS]),
  controller("route-controller", [rule("list,watch", "", "nodes"), rule("patch", "", "nodes/status"), EVENTS]),
  controller("service-account-controller", [rule("create", "", "serviceaccounts"), EVENTS]),
  controller("service-controller", [
    rule(READ, "", "services"),
    rule("patch,update", "", "services/status"),
    rule("list,watch", "", "nodes"),
    EVENTS,
  ]),
  controller("statefulset-controller", [
    rule("list,watch", "", "pods"),
    rule(READ, "apps", "statefulsets"),
    rule("update", "apps", "statefulsets/status"),
    rule("update", "apps", "statefulsets/finalizers"),
    rule("create,delete,get,patch,update", "", "pods"),
    rule("create,delete,get,list,patch,update,watch", "apps", "controllerrevisions"),
    rule("create,get,list,watch", "", "persistentvolumeclaims"),
    rule("delete,update", "", "persistentvolumeclaims"),
    rule("update", "", "pods/finalizers"),
    EVENTS,
  ]),
  controller("ttl-after-finished-controller", [rule("delete,get,list,watch", "batch", "jobs"), EVENTS]),
  controller("ttl-controller", [rule("list,patch,update,watch", "", "nodes"), EVENTS]),
  controller("validatingadmissionpolicy-status-controller", [
    rule(READ, "admissionregistration.k8s.io", "validatingadmissionpolicies"),
    rule("get,patch,update", "admissionregistration.k8s.io", "validatingadmissionpolicies/status"),
    EVENTS,
  ]),
];

/** Each controller role bound to its controller's service account in kube-system. */
export const CONTROLLER_ROLE_BINDINGS: Binding[] = CONTROLLER_ROLES.map((role) => {
  const name = role.metadata.name;
  return clusterRoleBinding(name, [serviceAccount("kube-system", name.slice("system:controller:".length))]);
});
