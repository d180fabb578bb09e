/**
 * kube's NodeRestriction admission plugin: what the Node authorizer lets a kubelet attempt, limited by the request's
 * object. A node may create or modify only its own Node (never its taints, nor `node-restriction.kubernetes.io/`
 * or unknown `kubernetes.io` labels), only mirror pods bound to itself, only the status of its own pods, only its own
 * Lease and CSINode, evict and delete only its own pods, and request tokens only for its own pods' service accounts.
 *
 * @module
 */
import { notFound, type StatusError } from "../../api/status.ts";
import { sameObject } from "../../api/storage.ts";
import type { Attributes } from "../authorization/attributes.ts";
import { forbiddenError } from "../authorization/forbidden.ts";
import { GRAPH_KINDS, type NodeGraph } from "./graph.ts";
import { nodeIdentity } from "./identity.ts";
import { podConfigMapNames, podSecretNames } from "./pod_references.ts";
import { NODE_LEASE_NAMESPACE } from "./authorizer.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

/** A write's kind: creating, or updating `current`. */
export type Operation = "create" | "update" | "delete";

const MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";
const NODE_RESTRICTION_LABELS = "node-restriction.kubernetes.io";
/** Labels a kubelet may set on its Node (kube's `kubeletapis.IsKubeletLabel`). */
const KUBELET_LABELS = new Set([
  "kubernetes.io/hostname",
  "topology.kubernetes.io/zone",
  "topology.kubernetes.io/region",
  "failure-domain.beta.kubernetes.io/zone",
  "failure-domain.beta.kubernetes.io/region",
  "beta.kubernetes.io/instance-type",
  "node.kubernetes.io/instance-type",
  "kubernetes.io/os",
  "kubernetes.io/arch",
  "beta.kubernetes.io/os",
  "beta.kubernetes.io/arch",
]);
const KUBELET_LABEL_NAMESPACES = ["kubelet.kubernetes.io", "node.kubernetes.io"];

const labelNamespace = (key: string) => key.includes("/") ? key.slice(0, key.indexOf("/")) : "";
const inNamespace = (namespace: string, domain: string) => namespace === domain || namespace.endsWith(`.${domain}`);
const q = JSON.stringify;
/** Equal whatever the key order. */
const same = (a: unknown, b: unknown) => sameObject({ v: a }, { v: b });

/** Labels added, removed or changed between two label maps. */
function modifiedLabels(next: Record<string, string> = {}, old: Record<string, string> = {}): string[] {
  const keys = new Set([...Object.keys(next), ...Object.keys(old)]);
  return [...keys].filter((k) => next[k] !== old[k]);
}

/** kube's `getForbiddenLabels`: node-restriction labels, and `kubernetes.io`/`k8s.io` labels kubelets do not own. */
function forbiddenLabels(keys: string[]): string[] {
  return keys.filter((key) => {
    const namespace = labelNamespace(key);
    if (inNamespace(namespace, NODE_RESTRICTION_LABELS)) return true;
    const kubernetes = inNamespace(namespace, "kubernetes.io") || inNamespace(namespace, "k8s.io");
    const kubelet = KUBELET_LABELS.has(key) || KUBELET_LABEL_NAMESPACES.some((n) => inNamespace(namespace, n));
    return kubernetes && !kubelet;
  }).sort();
}

/**
 * The NodeRestriction admission plugin over the shared caches.
 *
 * @example
 * ```ts
 * const restriction = new NodeRestriction(graph);
 * await restriction.admit(attributes, "create", node); // throws kube's 403 for another node's object
 * ```
 */
export class NodeRestriction {
  constructor(private readonly graph: NodeGraph) {}

  /**
   * Admit an operation on `object` (the new object; for a delete, the request body) with `current` the stored object
   * of an update. Users that are not nodes pass.
   */
  async admit(a: Attributes, operation: Operation, object: Json, current?: Json): Promise<void> {
    const node = nodeIdentity(a.user);
    if (node === undefined) return;
    const name = object?.metadata?.name || object?.metadata?.generateName || "Unknown";
    const deny = (cause: string): StatusError =>
      forbiddenError({ group: a.apiGroup, resource: a.resource }, name, cause);
    if (node === "") throw deny(`could not determine node from user ${q(a.user.username)}`);
    switch (`${a.apiGroup}/${a.resource}`) {
      case "/pods":
        return await this.#pod(node, a, operation, object, current, deny);
      case "/nodes":
        return this.#node(node, a, operation, object, current, deny);
      case "/persistentvolumeclaims":
        if (a.subresource !== "status") throw deny("may only update PVC status");
        return pvcStatus(node, operation, object, current, deny);
      case "/serviceaccounts":
        if (operation === "create" && a.subresource === "token") return await this.#token(node, a, object, deny);
        return;
      case "coordination.k8s.io/leases":
        if (a.namespace !== NODE_LEASE_NAMESPACE) {
          throw deny(`can only access leases in the ${q(NODE_LEASE_NAMESPACE)} system namespace`);
        }
        if ((operation === "create" ? object?.metadata?.name : a.name) !== node) {
          throw deny("can only access node lease with the same name as the requesting node");
        }
        return;
      case "storage.k8s.io/csinodes":
        if ((operation === "create" ? object?.metadata?.name : a.name) !== node) {
          throw deny("can only access CSINode with the same name as the requesting node");
        }
    }
  }

  async #pod(
    node: string,
    a: Attributes,
    operation: Operation,
    pod: Json,
    current: Json,
    deny: (cause: string) => StatusError,
  ): Promise<void> {
    switch (a.subresource) {
      case "":
        if (operation === "create") return await this.#mirrorPod(node, pod, deny);
        if (operation === "delete") {
          const existing = await this.#storedPod(a.namespace, a.name);
          if (existing.spec?.nodeName !== node) {
            throw deny(`node ${q(node)} can only delete pods with spec.nodeName set to itself`);
          }
          return;
        }
        throw deny(
          `unexpected operation ${q(operationName(operation))}, node ${q(node)} can only create and delete mirror pods`,
        );
      case "status":
        if (operation !== "update") throw deny(`unexpected operation ${q(operationName(operation))}`);
        if (current?.spec?.nodeName !== node) {
          throw deny(`node ${q(node)} can only update pod status for pods with spec.nodeName set to itself`);
        }
        if (modifiedLabels(pod?.metadata?.labels, current?.metadata?.labels).length) {
          throw deny(`node ${q(node)} cannot update labels through pod status`);
        }
        if (!same(pod?.status?.resourceClaimStatuses, current?.status?.resourceClaimStatuses)) {
          throw deny(`node ${q(node)} cannot update resource claim statues`);
        }
        return;
      case "eviction": {
        if (operation !== "create") throw deny(`unexpected operation ${operationName(operation)}`);
        const podName = a.name || pod?.metadata?.name;
        if (!podName) throw deny("could not determine pod from request data");
        const existing = await this.#storedPod(a.namespace, podName);
        if (existing.spec?.nodeName !== node) {
          throw deny(`node ${node} can only evict pods with spec.nodeName set to itself`);
        }
        return;
      }
      default:
        throw deny(`unexpected pod subresource ${q(a.subresource)}, only 'status' and 'eviction' are allowed`);
    }
  }

  async #mirrorPod(node: string, pod: Json, deny: (cause: string) => StatusError): Promise<void> {
    const annotations = pod?.metadata?.annotations ?? {};
    if (!(MIRROR_POD_ANNOTATION in annotations)) {
      throw deny(
        `pod does not have ${q(MIRROR_POD_ANNOTATION)} annotation, node ${q(node)} can only create mirror pods`,
      );
    }
    if (pod?.spec?.nodeName !== node) {
      throw deny(`node ${q(node)} can only create pods with spec.nodeName set to itself`);
    }
    const owners: Json[] = pod?.metadata?.ownerReferences ?? [];
    if (owners.length > 1) {
      throw deny(`node ${q(node)} can only create pods with a single owner reference set to itself`);
    }
    const owner = owners[0];
    if (!owner || owner.apiVersion !== "v1" || owner.kind !== "Node" || owner.name !== node) {
      throw deny(`node ${q(node)} can only create pods with an owner reference set to itself`);
    }
    if (owner.controller !== true) {
      throw deny(`node ${q(node)} can only create pods with a controller owner reference set to itself`);
    }
    if (owner.blockOwnerDeletion === true) {
      throw deny(`node ${q(node)} must not set blockOwnerDeletion on an owner reference`);
    }
    const nodeObject = (await this.graph.cache(GRAPH_KINDS.nodes)).get(node) as Json;
    if (!nodeObject) throw notFound({ group: "", resource: "nodes" }, node);
    if (owner.uid !== nodeObject.metadata?.uid) {
      throw deny(`node ${node} UID mismatch: expected ${nodeObject.metadata?.uid} got ${owner.uid}`);
    }
    if (pod?.spec?.serviceAccountName) {
      throw deny(`node ${q(node)} can not create pods that reference a service account`);
    }
    if (podSecretNames(pod).size) throw deny(`node ${q(node)} can not create pods that reference secrets`);
    if (podConfigMapNames(pod).size) throw deny(`node ${q(node)} can not create pods that reference configmaps`);
    if ((pod?.spec?.volumes ?? []).some((v: Json) => v?.persistentVolumeClaim)) {
      throw deny(`node ${q(node)} can not create pods that reference persistentvolumeclaims`);
    }
    if ((pod?.spec?.resourceClaims ?? []).length) {
      throw deny(`node ${q(node)} can not create pods that reference resourceclaims`);
    }
  }

  #node(
    node: string,
    a: Attributes,
    operation: Operation,
    object: Json,
    current: Json,
    deny: (cause: string) => StatusError,
  ): void {
    const requested = operation === "create" ? object?.metadata?.name : a.name;
    if (requested !== node) throw deny(`node ${q(node)} is not allowed to modify node ${q(requested)}`);
    if (operation === "create") {
      if (object?.spec?.configSource) {
        throw deny(`node ${q(node)} is not allowed to create pods with a non-nil configSource`);
      }
      const forbidden = forbiddenLabels(modifiedLabels(object?.metadata?.labels, {}));
      if (forbidden.length) {
        throw deny(`node ${q(node)} is not allowed to set the following labels: ${forbidden.join(", ")}`);
      }
    }
    if (operation === "update") {
      const source = object?.spec?.configSource;
      if (source && !same(source, current?.spec?.configSource)) {
        throw deny(`node ${q(node)} is not allowed to update configSource to a new non-nil configSource`);
      }
      if (!same(object?.spec?.taints ?? [], current?.spec?.taints ?? [])) {
        throw deny(`node ${q(node)} is not allowed to modify taints`);
      }
      const forbidden = forbiddenLabels(modifiedLabels(object?.metadata?.labels, current?.metadata?.labels));
      if (forbidden.length) throw deny(`is not allowed to modify labels: ${forbidden.join(", ")}`);
    }
  }

  async #token(node: string, a: Attributes, request: Json, deny: (cause: string) => StatusError): Promise<void> {
    const ref = request?.spec?.boundObjectRef;
    if (!ref || ref.apiVersion !== "v1" || ref.kind !== "Pod" || !ref.name) {
      throw deny("node requested token not bound to a pod");
    }
    if (!ref.uid) throw deny("node requested token with a pod binding without a uid");
    const pod = await this.#storedPod(a.namespace, ref.name);
    if (ref.uid !== pod.metadata?.uid) {
      throw deny(
        `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
      );
    }
    if (pod.spec?.nodeName !== node) throw deny("node requested token bound to a pod scheduled on a different node");
  }

  /** A pod from the shared cache; a missing one is the 404 a kubelet would get reading it. */
  async #storedPod(namespace: string, name: string): Promise<Json> {
    const pod = (await this.graph.cache(GRAPH_KINDS.pods)).get(`${namespace}/${name}`);
    if (!pod) throw notFound({ group: "", resource: "pods" }, name);
    return pod;
  }
}

/** kube's admission operation names, as its messages print them. */
function operationName(operation: Operation): string {
  return operation === "create" ? "CREATE" : operation === "update" ? "UPDATE" : "DELETE";
}

/** kube's `admitPVCStatus`: a node may change only a claim's capacity, conditions and resize status. */
function pvcStatus(
  node: string,
  operation: Operation,
  claim: Json,
  current: Json,
  deny: (cause: string) => StatusError,
): void {
  if (operation !== "update") throw deny(`unexpected operation ${q(operationName(operation))}`);
  const strip = (pvc: Json) => {
    const copy = structuredClone(pvc ?? {});
    if (copy.metadata) {
      delete copy.metadata.resourceVersion;
      delete copy.metadata.managedFields;
    }
    if (copy.status) {
      for (const field of ["capacity", "conditions", "allocatedResources", "allocatedResourceStatuses"]) {
        delete copy.status[field];
      }
    }
    return copy;
  };
  if (!same(strip(claim), strip(current))) {
    throw deny(`node ${q(node)} is not allowed to update fields other than status.capacity and status.conditions`);
  }
}
