/**
 * A stateful pod's identity, after kube's `stateful_set_utils.go`: the name `<set>-<ordinal>`, the labels
 * naming the pod, its index and its revision, the hostname and subdomain that give it a stable DNS name
 * under the set's headless Service, and one PersistentVolumeClaim per `volumeClaimTemplates` entry named
 * `<template>-<set>-<ordinal>`.
 *
 * @module
 */
import type { KubeObject } from "../../core/operator/mod.ts";
import { controllerRefTo } from "../../core/operator/mod.ts";
import type { PodTemplate } from "../history/mod.ts";
import type { Pod } from "./pods.ts";
import { type ClaimTemplate, STATEFUL_SET, type StatefulSet } from "./statefulset.ts";

/** The label naming the pod itself, for a per-pod Service. */
export const POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
/** The label holding the pod's ordinal. */
export const POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
/** The label holding the name of the ControllerRevision the pod was made from. */
export const REVISION_LABEL = "controller-revision-hash";

const STATEFUL_POD_NAME = /^(.*)-([0-9]+)$/;
const MAX_INT32 = 2 ** 31 - 1;

/** A PersistentVolumeClaim as the controller makes one. */
export interface Claim extends KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
}

/**
 * Kube's `getParentNameAndOrdinal`: the set a pod name belongs to and its ordinal (-1 when the name
 * has none).
 *
 * @example
 * ```ts
 * parentAndOrdinal("db-web-2"); // { parent: "db-web", ordinal: 2 }
 * parentAndOrdinal("web"); // { parent: "", ordinal: -1 }
 * ```
 */
export function parentAndOrdinal(name: string): { parent: string; ordinal: number } {
  const match = STATEFUL_POD_NAME.exec(name);
  if (!match) return { parent: "", ordinal: -1 };
  const ordinal = Number(match[2]);
  return { parent: match[1], ordinal: ordinal <= MAX_INT32 ? ordinal : -1 };
}

/**
 * The pod's ordinal, -1 when its name has none.
 *
 * @example
 * ```ts
 * ordinalOf({ metadata: { name: "web-3" } }); // 3
 * ```
 */
export function ordinalOf(pod: Pod): number {
  return parentAndOrdinal(pod.metadata.name).ordinal;
}

/**
 * Kube's `isMemberOf`: whether the pod's name makes it one of the set's pods.
 *
 * @example
 * ```ts
 * isMemberOf(web, { metadata: { name: "web-0" } }); // true
 * ```
 */
export function isMemberOf(set: StatefulSet, pod: Pod): boolean {
  return parentAndOrdinal(pod.metadata.name).parent === set.metadata.name;
}

/**
 * `<set>-<ordinal>`.
 *
 * @example
 * ```ts
 * podName(web, 0); // "web-0"
 * ```
 */
export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata.name}-${ordinal}`;
}

/**
 * `<template>-<set>-<ordinal>`, the claim a pod of that ordinal mounts.
 *
 * @example
 * ```ts
 * claimName(web, { metadata: { name: "data" } }, 0); // "data-web-0"
 * ```
 */
export function claimName(set: StatefulSet, template: ClaimTemplate, ordinal: number): string {
  return `${template.metadata?.name}-${set.metadata.name}-${ordinal}`;
}

/**
 * The revision name a pod carries in its `controller-revision-hash` label.
 *
 * @example
 * ```ts
 * revisionOf(pod); // "web-7c8d5f9b6"
 * ```
 */
export function revisionOf(pod: Pod): string {
  return pod.metadata.labels?.[REVISION_LABEL] ?? "";
}

/**
 * Kube's `getPersistentVolumeClaims`: the claims of the pod with `ordinal`, labelled with the template's
 * labels and the set's `matchLabels`.
 *
 * @example
 * ```ts
 * claimsFor(web, 0).map((c) => c.metadata.name); // ["data-web-0"]
 * ```
 */
export function claimsFor(set: StatefulSet, ordinal: number): Claim[] {
  return (set.spec.volumeClaimTemplates ?? []).map((template) => ({
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: {
      name: claimName(set, template, ordinal),
      namespace: set.metadata.namespace,
      labels: { ...template.metadata?.labels, ...set.spec.selector?.matchLabels },
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
    },
    spec: structuredClone(template.spec ?? {}),
  }));
}

interface Volume {
  name: string;
  persistentVolumeClaim?: { claimName?: string; readOnly?: boolean };
  [field: string]: unknown;
}

/** Kube's `updateStorage`: a volume per claim template, replacing any template volume of that name. */
function volumesFor(set: StatefulSet, ordinal: number, volumes: Volume[]): Volume[] {
  const templates = set.spec.volumeClaimTemplates ?? [];
  const names = new Set(templates.map((t) => t.metadata?.name));
  return [
    ...templates.map((t) => ({
      name: t.metadata?.name ?? "",
      persistentVolumeClaim: { claimName: claimName(set, t, ordinal) },
    })),
    ...volumes.filter((v) => !names.has(v.name)),
  ];
}

/**
 * Kube's `newVersionedStatefulSetPod`: the pod with `ordinal` made from `template` (the template of
 * revision `revision`), controlled by the set.
 *
 * @example
 * ```ts
 * await client.create(newStatefulSetPod(web, web.spec.template, 0, "web-7c8d5f9b6"));
 * ```
 */
export function newStatefulSetPod(
  set: StatefulSet,
  template: PodTemplate | undefined,
  ordinal: number,
  revision: string,
): Pod & { apiVersion: string; kind: string } {
  const meta = template?.metadata ?? {};
  const name = podName(set, ordinal);
  const spec = structuredClone(template?.spec ?? {});
  const volumes = volumesFor(set, ordinal, (spec.volumes as Volume[] | undefined) ?? []);
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: set.metadata.namespace,
      labels: {
        ...meta.labels,
        [POD_NAME_LABEL]: name,
        [POD_INDEX_LABEL]: String(ordinal),
        [REVISION_LABEL]: revision,
      },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [controllerRefTo({ ...STATEFUL_SET, metadata: set.metadata })],
    },
    spec: {
      ...spec,
      ...(volumes.length > 0 ? { volumes } : {}),
      hostname: name,
      ...(set.spec.serviceName ? { subdomain: set.spec.serviceName } : {}),
    },
  };
}

/**
 * Kube's `identityMatches`: the pod is named and labelled as the set's pod of its ordinal.
 *
 * @example
 * ```ts
 * if (!identityMatches(web, pod)) await relabel(pod);
 * ```
 */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const { parent, ordinal } = parentAndOrdinal(pod.metadata.name);
  return ordinal >= 0 && parent === set.metadata.name && pod.metadata.namespace === set.metadata.namespace &&
    pod.metadata.labels?.[POD_NAME_LABEL] === pod.metadata.name;
}

/**
 * Kube's `storageMatches`: the pod mounts the claim of every template under the template's name.
 *
 * @example
 * ```ts
 * storageMatches(web, pod); // false when a claim volume is missing
 * ```
 */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = ordinalOf(pod);
  if (ordinal < 0) return false;
  const volumes = new Map(((pod.spec?.volumes as Volume[] | undefined) ?? []).map((v) => [v.name, v]));
  return (set.spec.volumeClaimTemplates ?? []).every((t) =>
    volumes.get(t.metadata?.name ?? "")?.persistentVolumeClaim?.claimName === claimName(set, t, ordinal)
  );
}
