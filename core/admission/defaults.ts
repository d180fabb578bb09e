/**
 * The defaults kube-apiserver applies to a request body before validating it: `SetDefaults_*` of the built-in
 * API groups, plus the few create-time settings of their REST strategies that users see as defaults (a Job's
 * generated selector, a Namespace's `kubernetes` finalizer, a Service's IP-family fields).
 *
 * @module
 */

import { defaultCronJob, defaultJob } from "./batch.ts";
import { defaultNamespace, defaultNode, defaultPriorityClass } from "./cluster.ts";
import { defaultSecret } from "./config.ts";
import { defaultCustomResourceDefinition } from "./customresourcedefinition.ts";
import { defaultTolerationSeconds } from "./default_tolerations.ts";
import { defaultEndpoints, defaultEndpointSlice, defaultNetworkPolicy, defaultService } from "./networking.ts";
import { isObj, type Obj } from "./object.ts";
import { defaultPod, defaultPodTemplate } from "./pod_defaults.ts";
import { defaultBinding } from "./rbac.ts";
import { defaultPersistentVolume, defaultPersistentVolumeClaim, defaultStorageClass } from "./storage.ts";
import {
  defaultDaemonSet,
  defaultDeployment,
  defaultReplicaSet,
  defaultReplicationController,
  defaultStatefulSet,
} from "./workloads.ts";

/** Whether the body is being created or replaces a stored object; some defaults are create-only in kube. */
export type Operation = "create" | "update";

type Defaulter = (object: Obj, create: boolean) => void;

const defaulters: Record<string, Defaulter> = {
  "/Pod": (o) => {
    defaultPod(o);
    // kube-apiserver's DefaultTolerationSeconds admission, which runs right after defaulting.
    defaultTolerationSeconds(o);
  },
  "/PodTemplate": (o) => isObj(o.template) && defaultPodTemplate(o.template),
  "/ReplicationController": (o) => defaultReplicationController(o),
  "/Service": (o) => defaultService(o),
  "/Endpoints": (o) => defaultEndpoints(o),
  "/Secret": (o) => defaultSecret(o),
  "/Namespace": (o, create) => defaultNamespace(o, create),
  "/Node": (o) => defaultNode(o),
  "/PersistentVolumeClaim": (o) => defaultPersistentVolumeClaim(o),
  "/PersistentVolume": (o) => defaultPersistentVolume(o),
  "apps/Deployment": (o) => defaultDeployment(o),
  "apps/ReplicaSet": (o) => defaultReplicaSet(o),
  "apps/StatefulSet": (o) => defaultStatefulSet(o),
  "apps/DaemonSet": (o) => defaultDaemonSet(o),
  "batch/Job": (o, create) => defaultJob(o, create),
  "batch/CronJob": (o) => defaultCronJob(o),
  "discovery.k8s.io/EndpointSlice": (o) => defaultEndpointSlice(o),
  "networking.k8s.io/NetworkPolicy": (o) => defaultNetworkPolicy(o),
  "storage.k8s.io/StorageClass": (o) => defaultStorageClass(o),
  "scheduling.k8s.io/PriorityClass": (o) => defaultPriorityClass(o),
  "rbac.authorization.k8s.io/RoleBinding": (o) => defaultBinding(o),
  "rbac.authorization.k8s.io/ClusterRoleBinding": (o) => defaultBinding(o),
  "apiextensions.k8s.io/CustomResourceDefinition": (o) => defaultCustomResourceDefinition(o),
};

/**
 * Applies kube-apiserver's defaults for `group`/`kind` to `object` in place and returns it; kinds without defaults
 * (ConfigMap, ServiceAccount, Ingress, custom resources…) come back untouched. Run it on every create and update
 * body before `validateCreate`/`validateUpdate`. A Job's selector is generated only on create and only once
 * `metadata.uid` is set, as kube sets the uid before admission.
 *
 * @example
 * ```ts
 * const d = applyDefaults("apps", "Deployment", { metadata: { name: "web" }, spec: { … } });
 * d.spec.strategy; // { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } }
 * ```
 */
export function applyDefaults<T extends Obj>(
  group: string,
  kind: string,
  object: T,
  operation: Operation = "create",
): T {
  defaulters[`${group}/${kind}`]?.(object, operation === "create");
  return object;
}
