/**
 * ControllerRevisions as kube's `pkg/controller/history` and the StatefulSet and DaemonSet controllers
 * build and compare them. A revision stores a workload's pod template as the strategic merge patch that
 * restores it — `{"spec":{"template":{…,"$patch":"replace"}}}` — which is exactly what
 * `kubectl rollout undo` applies, and `revision` orders them (the highest is the newest).
 *
 * @module
 */
import type { KubeObject, OwnerReference } from "../../core/operator/mod.ts";
import { canonicalJson } from "../deployment/hash.ts";
import { controllerRevisionHash, controllerRevisionName } from "./hash.ts";

/** How clients name the kind. */
export const CONTROLLER_REVISION = { apiVersion: "apps/v1", kind: "ControllerRevision" } as const;

/** A pod template as these controllers read it. */
export interface PodTemplate {
  metadata?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    [field: string]: unknown;
  };
  spec?: Record<string, unknown>;
  [field: string]: unknown;
}

/** The patch a revision stores. */
export interface TemplatePatch {
  spec: { template: PodTemplate & { $patch?: string } };
}

/** An `apps/v1` ControllerRevision. */
export interface ControllerRevision extends KubeObject {
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: OwnerReference[];
  };
  data?: unknown;
  revision: number;
}

/** The workload a revision belongs to: a StatefulSet or DaemonSet. */
export interface RevisionParent {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; uid: string; annotations?: Record<string, string> };
  spec: { template?: PodTemplate };
}

/**
 * Kube's `getPatch`: the strategic merge patch that puts `template` back, with keys sorted as Go's
 * `json.Marshal` of a map sorts them (so `kubectl rollout undo` recognises a revision that is already current).
 *
 * @example
 * ```ts
 * templatePatch({ metadata: { labels: { app: "web" } } });
 * // { spec: { template: { $patch: "replace", metadata: { creationTimestamp: null, labels: { app: "web" } } } } }
 * ```
 */
export function templatePatch(template: PodTemplate | undefined): TemplatePatch {
  // Go encodes a template's zero creationTimestamp as null; kubectl compares against that encoding.
  const metadata = { creationTimestamp: null, ...template?.metadata };
  return JSON.parse(canonicalJson({ spec: { template: { ...template, metadata, $patch: "replace" } } }));
}

/**
 * The pod template a revision restores (kube's `ApplyRevision` for the only part revisions hold), or
 * undefined for data this controller did not write.
 *
 * @example
 * ```ts
 * templateOf({ metadata: { name: "web-1" }, revision: 1, data: templatePatch(t) }); // t
 * ```
 */
export function templateOf(revision: ControllerRevision): PodTemplate | undefined {
  const template = (revision.data as Partial<TemplatePatch> | undefined)?.spec?.template;
  if (!template || typeof template !== "object") return undefined;
  const { $patch: _, ...rest } = template;
  if (rest.metadata?.creationTimestamp === null) {
    const { creationTimestamp: _, ...metadata } = rest.metadata;
    return { ...rest, metadata };
  }
  return rest;
}

/**
 * Kube's `EqualRevision`: whether two revisions hold the same data.
 *
 * @example
 * ```ts
 * equalRevision(a, { ...a, revision: a.revision + 1 }); // true
 * ```
 */
export function equalRevision(a: ControllerRevision, b: ControllerRevision): boolean {
  return canonicalJson(a.data) === canonicalJson(b.data);
}

/**
 * Oldest first, as kube's `SortControllerRevisions`: by `revision`, then creation time, then name.
 *
 * @example
 * ```ts
 * const sorted = [...revisions].sort(byRevision);
 * ```
 */
export function byRevision(a: ControllerRevision, b: ControllerRevision): number {
  if (a.revision !== b.revision) return a.revision - b.revision;
  const ta = a.metadata.creationTimestamp ?? "", tb = b.metadata.creationTimestamp ?? "";
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/**
 * Kube's `nextRevision`: one past the highest `revision` (1 for none).
 *
 * @example
 * ```ts
 * nextRevision([{ metadata: { name: "a" }, revision: 3 }]); // 4
 * ```
 */
export function nextRevision(revisions: readonly ControllerRevision[]): number {
  return revisions.reduce((max, r) => Math.max(max, r.revision), 0) + 1;
}

/**
 * Kube's `NewControllerRevision` (plus the parent's annotations, which both workload controllers copy, so
 * `kubernetes.io/change-cause` shows in `kubectl rollout history`): a revision of `parent`'s template,
 * controlled by it, labelled with the template's labels and `hashLabel: <hash>`, named `<parent>-<hash>`.
 *
 * @example
 * ```ts
 * const rev = newControllerRevision(sts, "controller.kubernetes.io/hash", 1, 0);
 * await client.create(rev);
 * ```
 */
export function newControllerRevision(
  parent: RevisionParent,
  hashLabel: string,
  revision: number,
  collisionCount: number,
): ControllerRevision & { apiVersion: string; kind: string } {
  const data = templatePatch(parent.spec.template);
  const hash = controllerRevisionHash(data, collisionCount);
  return {
    ...CONTROLLER_REVISION,
    metadata: {
      name: controllerRevisionName(parent.metadata.name, hash),
      namespace: parent.metadata.namespace,
      labels: { ...parent.spec.template?.metadata?.labels, [hashLabel]: hash },
      ...(parent.metadata.annotations ? { annotations: { ...parent.metadata.annotations } } : {}),
      ownerReferences: [{
        apiVersion: parent.apiVersion,
        kind: parent.kind,
        name: parent.metadata.name,
        uid: parent.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      }],
    },
    data,
    revision,
  };
}
