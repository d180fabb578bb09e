/**
 * The fields each kind may be selected by (`?fieldSelector=`), as kube-apiserver allows them.
 *
 * @module
 */
import { badRequest } from "./status.ts";
import type { FieldSelector } from "./selectors.ts";

const COMMON = ["metadata.name", "metadata.namespace"];

/** Extra selectable fields per `group/Kind` (core group: just `Kind`). */
const SELECTABLE: Record<string, string[]> = {
  Pod: [
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.schedulerName",
    "spec.serviceAccountName",
    "spec.hostNetwork",
    "status.phase",
    "status.podIP",
    "status.podIPs",
    "status.nominatedNodeName",
  ],
  Event: [
    "involvedObject.kind",
    "involvedObject.namespace",
    "involvedObject.name",
    "involvedObject.uid",
    "involvedObject.apiVersion",
    "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
    "reason",
    "reportingComponent",
    "source",
    "type",
  ],
  "events.k8s.io/Event": ["regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid", "reason", "type"],
  Secret: ["type"],
  Node: ["spec.unschedulable"],
  Namespace: ["status.phase"],
  ReplicationController: ["status.replicas"],
  "apps/ReplicaSet": ["status.replicas"],
  "batch/Job": ["status.successful"],
  "certificates.k8s.io/CertificateSigningRequest": ["spec.signerName"],
};

function lookup(object: Record<string, unknown>, path: string): unknown {
  let value: unknown = object;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map((v) => (typeof v === "object" ? (v as { ip?: string }).ip : v)).join(",");
  return String(value);
}

/**
 * Refuse a selector on fields the kind does not index, with kube-apiserver's message.
 *
 * @example
 * ```ts
 * checkSelectableFields("", "Pod", parseFieldSelector("spec.nodeName=n1")); // ok
 * ```
 */
export function checkSelectableFields(group: string, kind: string, selector: FieldSelector): void {
  const allowed = [...COMMON, ...(SELECTABLE[group ? `${group}/${kind}` : kind] ?? [])];
  for (const field of selector.fields) {
    if (!allowed.includes(field)) {
      throw badRequest(`field label not supported: ${field}`);
    }
  }
}

/**
 * A reader of an object's selectable fields, for {@linkcode FieldSelector.matches}.
 *
 * @example
 * ```ts
 * selector.matches(fieldReader(pod)); // reads spec.nodeName, status.phase, …
 * ```
 */
export function fieldReader(object: Record<string, unknown>): (field: string) => string | undefined {
  return (field) => {
    // Pods report an unset host network as "false", like kube-apiserver's pod field set.
    const value = lookup(object, field);
    if (field === "spec.hostNetwork" && value === undefined) return "false";
    if (field === "spec.unschedulable" && value === undefined) return "false";
    if (field === "source") return text(lookup(object, "source.component") ?? lookup(object, "reportingComponent"));
    return text(value);
  };
}
