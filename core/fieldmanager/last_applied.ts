/**
 * The bridge between client-side and server-side apply that kube-apiserver keeps for `kubectl apply --server-side`
 * (manager `kubectl`) on objects with a `kubectl.kubernetes.io/last-applied-configuration` annotation: conflicts on
 * fields the annotation set to their live values are taken over rather than reported (upgrading from client-side
 * apply), and the annotation is rewritten to the new configuration so a later client-side apply diffs against it.
 *
 * @module
 */
import type { KubeObject } from "../api/storage.ts";
import { compare } from "./compare.ts";
import type { FieldSet } from "./fieldset.ts";
import { goJson } from "./path.ts";
import { fieldSetOf } from "./tofieldset.ts";
import type { MapType } from "./types.ts";

/** kubectl's client-side apply annotation. */
export const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

/** The manager whose applies are bridged. */
export const KUBECTL_MANAGER = "kubectl";

function lastApplied(object: KubeObject | undefined): string | undefined {
  const text = object?.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  return typeof text === "string" && text !== "" ? text : undefined;
}

/**
 * The fields the live object's last-applied configuration set to the values they still have: conflicts on these may
 * be taken over by `kubectl`. Undefined without a usable annotation.
 *
 * @example
 * ```ts
 * const allowed = fieldsFromLastApplied(live, configMapType, "v1");
 * ```
 */
export function fieldsFromLastApplied(live: KubeObject, type: MapType, apiVersion: string): FieldSet | undefined {
  const text = lastApplied(live);
  if (text === undefined) return undefined;
  let applied: KubeObject;
  try {
    applied = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (applied === null || typeof applied !== "object" || applied.apiVersion !== apiVersion) return undefined;
  const { set } = fieldSetOf(applied, type);
  const changed = compare(applied, live, type);
  return set.difference(changed.modified).difference(changed.added).difference(changed.removed);
}

/**
 * Rewrite the annotation of `object` (when it has one) to `config` without its annotation, in the JSON kubectl would
 * have written (keys sorted, a trailing newline).
 *
 * @example
 * ```ts
 * syncLastApplied(merged, applyConfiguration);
 * ```
 */
export function syncLastApplied(object: KubeObject, config: KubeObject): void {
  if (lastApplied(object) === undefined) return;
  const copy = structuredClone(config);
  const annotations = copy.metadata?.annotations;
  if (annotations) delete annotations[LAST_APPLIED_ANNOTATION];
  object.metadata = {
    ...object.metadata,
    annotations: { ...object.metadata!.annotations, [LAST_APPLIED_ANNOTATION]: goJson(sortedKeys(copy)) + "\n" },
  };
}

/** Go marshals maps with sorted keys. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== "object") return value;
  const map = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(map).sort().map((k) => [k, sortedKeys(map[k])]));
}
