/**
 * PATCH bodies: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and strategic merge patch for the
 * built-in kinds. Server-side apply, with its field ownership, is `Rest.apply` (core/fieldmanager).
 *
 * @module
 */
import {
  patchMetaFor,
  strategicMergePatch,
  StrategicMergePatchError,
  supportsStrategicMerge,
} from "../patch/strategic.ts";
import { badRequest, failure, unsupportedMediaType } from "./status.ts";
import type { ResourceInfo } from "../registry/types.ts";
import { DEDUCED } from "../fieldmanager/types.ts";
import { merge } from "../fieldmanager/merge.ts";

/** The patch media types kube-apiserver accepts. */
export type PatchType = "merge" | "json" | "strategic" | "apply";

/**
 * The patch type named by a `Content-Type`.
 *
 * @example
 * ```ts
 * patchTypeOf("application/merge-patch+json"); // "merge"
 * ```
 */
export function patchTypeOf(contentType: string): PatchType {
  const type = contentType.split(";")[0].trim().toLowerCase();
  switch (type) {
    case "application/merge-patch+json":
      return "merge";
    case "application/json-patch+json":
      return "json";
    case "application/strategic-merge-patch+json":
      return "strategic";
    case "application/apply-patch+yaml":
    case "application/apply-patch+cbor":
      return "apply";
    default:
      throw unsupportedMediaType(contentType);
  }
}

/**
 * Apply `patch` of `type` to `current`, returning the new document.
 *
 * @example
 * ```ts
 * applyPatch("merge", { a: 1, b: 2 }, { b: null, c: 3 }, configmaps); // { a: 1, c: 3 }
 * ```
 */
export function applyPatch(type: PatchType, current: unknown, patch: unknown, r: ResourceInfo): unknown {
  switch (type) {
    case "merge":
      return mergePatch(current, patch);
    case "json":
      return jsonPatch(current, patch);
    case "strategic":
      return strategic(current, patch, r);
    case "apply":
      // Only documents without an owner of their own come here (a `Scale`): the merge, without field ownership.
      return merge(current, patch, DEDUCED);
  }
}

function strategic(current: unknown, patch: unknown, r: ResourceInfo): unknown {
  if (!supportsStrategicMerge(r.group, r.kind)) {
    throw failure(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: ` +
        `application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
    );
  }
  try {
    return withoutDirectives(strategicMergePatch(current, patch, patchMetaFor(r.group, r.version, r.kind)));
  } catch (error) {
    if (!(error instanceof StrategicMergePatchError)) throw error;
    const reason = error.status === 400 ? "BadRequest" : error.status === 422 ? "Invalid" : "InternalError";
    throw failure(error.status, reason, error.message);
  }
}

/** Patch directives (`$retainKeys`, `$setElementOrder/…`) left where the stored object had nothing are not fields. */
function withoutDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDirectives);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).filter(([key]) => !key.startsWith("$")).map(([key, v]) => [key, withoutDirectives(v)]),
  );
}

/**
 * RFC 7386: objects merge recursively, `null` deletes, anything else replaces.
 *
 * @example
 * ```ts
 * mergePatch({ metadata: { labels: { a: "1" } } }, { metadata: { labels: { b: "2" } } });
 * ```
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> = target && typeof target === "object" && !Array.isArray(target)
    ? { ...(target as Record<string, unknown>) }
    : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

type Operation = { op: string; path: string; value?: unknown; from?: string };

function pointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw badRequest(`invalid JSON pointer "${path}"`);
  return path.slice(1).split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function parentOf(doc: unknown, parts: string[], path: string): [Record<string, unknown> | unknown[], string] {
  let node = doc;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(part)];
    else if (node && typeof node === "object") node = (node as Record<string, unknown>)[part];
    else node = undefined;
    if (node === undefined) {
      throw badRequest(
        `the server rejected our request due to an error in our request: doc is missing path: "${path}"`,
      );
    }
  }
  if (!node || typeof node !== "object") throw badRequest(`doc is missing path: "${path}"`);
  return [node as Record<string, unknown> | unknown[], parts[parts.length - 1]];
}

function get(doc: unknown, path: string): unknown {
  let node = doc;
  for (const part of pointer(path)) {
    if (Array.isArray(node)) node = node[Number(part)];
    else if (node && typeof node === "object") node = (node as Record<string, unknown>)[part];
    else node = undefined;
    if (node === undefined) throw badRequest(`doc is missing path: "${path}"`);
  }
  return node;
}

function index(array: unknown[], part: string, forAdd: boolean, path: string): number {
  if (forAdd && part === "-") return array.length;
  if (!/^\d+$/.test(part)) throw badRequest(`invalid array index "${part}" in "${path}"`);
  const i = Number(part);
  if (i > array.length || (!forAdd && i === array.length)) throw badRequest(`array index out of bounds in "${path}"`);
  return i;
}

/**
 * RFC 6902: add, remove, replace, move, copy and test, applied in order to a copy of `target`.
 *
 * @example
 * ```ts
 * jsonPatch({ spec: { replicas: 1 } }, [{ op: "replace", path: "/spec/replicas", value: 3 }]);
 * ```
 */
export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw badRequest("a JSON patch must be an array of operations");
  let doc = structuredClone(target);
  const add = (path: string, value: unknown) => {
    const parts = pointer(path);
    if (parts.length === 0) {
      doc = value;
      return;
    }
    const [parent, last] = parentOf(doc, parts, path);
    if (Array.isArray(parent)) parent.splice(index(parent, last, true, path), 0, value);
    else parent[last] = value;
  };
  const remove = (path: string) => {
    const parts = pointer(path);
    const [parent, last] = parentOf(doc, parts, path);
    if (Array.isArray(parent)) parent.splice(index(parent, last, false, path), 1);
    else {
      if (!Object.hasOwn(parent, last)) throw badRequest(`unable to remove nonexistent key: ${last}: missing value`);
      delete parent[last];
    }
  };
  for (const raw of operations) {
    const op = raw as Operation;
    if (!op || typeof op.op !== "string" || typeof op.path !== "string") {
      throw badRequest("invalid JSON patch operation");
    }
    switch (op.op) {
      case "add":
        add(op.path, structuredClone(op.value));
        break;
      case "remove":
        remove(op.path);
        break;
      case "replace":
        get(doc, op.path);
        if (op.path === "") doc = structuredClone(op.value);
        else {
          remove(op.path);
          add(op.path, structuredClone(op.value));
        }
        break;
      case "move": {
        const value = get(doc, op.from ?? "");
        remove(op.from ?? "");
        add(op.path, value);
        break;
      }
      case "copy":
        add(op.path, structuredClone(get(doc, op.from ?? "")));
        break;
      case "test":
        if (JSON.stringify(get(doc, op.path)) !== JSON.stringify(op.value)) {
          throw failure(
            422,
            "Invalid",
            `the server rejected our request due to an error in our request: testing value ${op.path} failed`,
          );
        }
        break;
      default:
        throw badRequest(`Unexpected kind: ${op.op}`);
    }
  }
  return doc;
}
