/**
 * The scale subresource of custom resources: an `autoscaling/v1` Scale read from (and written to) the paths the
 * CRD names — `specReplicasPath`, `statusReplicasPath`, `labelSelectorPath` — as apiextensions-apiserver does.
 *
 * @module
 */
import type { KubeObject } from "../api/storage.ts";

/** A CRD version's scale paths (`.spec.replicas`). */
export interface ScalePaths {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

function read(object: unknown, path: string | undefined): unknown {
  if (!path) return undefined;
  let value = object;
  for (const part of path.replace(/^\./, "").split(".")) {
    value = value && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
  }
  return value;
}

/**
 * The Scale of a custom object.
 *
 * @example
 * ```ts
 * scaleOf(widget, { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas" }).spec;
 * // { replicas: 3 }
 * ```
 */
export function scaleOf(object: KubeObject, paths: ScalePaths): KubeObject {
  const replicas = read(object, paths.specReplicasPath);
  const current = read(object, paths.statusReplicasPath);
  const selector = read(object, paths.labelSelectorPath);
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: {
      name: object.metadata?.name,
      namespace: object.metadata?.namespace,
      uid: object.metadata?.uid,
      resourceVersion: object.metadata?.resourceVersion,
      creationTimestamp: object.metadata?.creationTimestamp,
    },
    spec: { replicas: typeof replicas === "number" ? replicas : 0 },
    status: {
      replicas: typeof current === "number" ? current : 0,
      ...(typeof selector === "string" && selector ? { selector } : {}),
    },
  };
}

/**
 * The merge patch that sets the replicas at `specReplicasPath`.
 *
 * @example
 * ```ts
 * replicasPatch({ specReplicasPath: ".spec.size", statusReplicasPath: ".status.size" }, 3); // { spec: { size: 3 } }
 * ```
 */
export function replicasPatch(paths: ScalePaths, replicas: number): Record<string, unknown> {
  const parts = paths.specReplicasPath.replace(/^\./, "").split(".");
  let patch: unknown = replicas;
  for (const part of parts.reverse()) patch = { [part]: patch };
  return patch as Record<string, unknown>;
}
