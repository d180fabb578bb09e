/**
 * Request bodies in the media types kube-apiserver accepts (JSON, YAML, Kubernetes protobuf), and the
 * response form a client asks for with `Accept` (an object, or a `Table` for `kubectl get`).
 *
 * @module
 */
import { parse as parseYaml } from "yaml";
import { decodeKubernetesProtobuf } from "../protobuf/decode.ts";
import { badRequest, notAcceptable, StatusError, tooLarge, unsupportedMediaType } from "./status.ts";

/** kube-apiserver's limit on a request body (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/**
 * Read a request body, refusing one over {@linkcode MAX_BODY_BYTES} with 413 before it is all buffered.
 *
 * @example
 * ```ts
 * const bytes = await readBody(request);
 * ```
 */
export async function readBody(request: Request): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}

/**
 * Decode a body by its `Content-Type` into a JSON value; malformed input is a 400 with the parser's words.
 *
 * @example
 * ```ts
 * decodeBody(new TextEncoder().encode('{"kind":"ConfigMap"}'), "application/json"); // { kind: "ConfigMap" }
 * ```
 */
export function decodeBody(body: Uint8Array, contentType: string | null): unknown {
  const type = (contentType ?? "application/json").split(";")[0].trim().toLowerCase();
  if (body.length === 0) return undefined;
  try {
    if (type === "application/vnd.kubernetes.protobuf") return decodeKubernetesProtobuf(body);
    const text = new TextDecoder("utf-8", { fatal: true }).decode(body);
    if (type === "application/yaml" || type === "application/apply-patch+yaml" || type === "text/yaml") {
      return parseYaml(text, { uniqueKeys: false });
    }
    if (type.endsWith("json") || type === "*/*" || type === "") return JSON.parse(text);
  } catch (error) {
    if (error instanceof StatusError) throw error;
    throw badRequest(
      `the object provided is unrecognized or malformed: ${error instanceof Error ? error.message : error}`,
    );
  }
  throw unsupportedMediaType(type);
}

/** What a GET should answer with. */
export interface ResponseForm {
  /** `Table` rows instead of objects (kubectl get). */
  table: boolean;
  /** `meta.k8s.io` version of the Table (v1 or v1beta1). */
  tableVersion: "v1" | "v1beta1";
  /** `PartialObjectMetadata` instead of objects. */
  partialMetadata: boolean;
}

/**
 * Which representation the `Accept` header asks for. Protobuf-only Accepts get 406 (responses are JSON).
 *
 * @example
 * ```ts
 * responseForm("application/json;as=Table;v=v1;g=meta.k8s.io,application/json").table; // true
 * ```
 */
export function responseForm(accept: string | null): ResponseForm {
  const options = (accept ?? "*/*").split(",").map((part) => {
    const [type, ...params] = part.split(";").map((s) => s.trim());
    const p: Record<string, string> = {};
    for (const param of params) {
      const [k, v] = param.split("=");
      if (k && v !== undefined) p[k.trim()] = v.trim();
    }
    return { type: type.toLowerCase(), p };
  });
  for (const { type, p } of options) {
    const json = type === "application/json" || type === "*/*" || type === "application/*";
    if (!json) continue;
    if (p.as === "Table" && p.g === "meta.k8s.io" && (p.v === "v1" || p.v === "v1beta1")) {
      return { table: true, tableVersion: p.v, partialMetadata: false };
    }
    if ((p.as === "PartialObjectMetadata" || p.as === "PartialObjectMetadataList") && p.g === "meta.k8s.io") {
      return { table: false, tableVersion: "v1", partialMetadata: true };
    }
    if (!p.as) return { table: false, tableVersion: "v1", partialMetadata: false };
  }
  if (options.some((o) => o.type === "application/yaml")) {
    return { table: false, tableVersion: "v1", partialMetadata: false };
  }
  throw notAcceptable(`only the following media types are accepted: application/json, application/yaml`);
}
