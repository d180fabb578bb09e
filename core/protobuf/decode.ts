/**
 * Decodes `application/vnd.kubernetes.protobuf` request bodies (kubectl 1.32's typed clients send
 * them for `create <generator>`, `auth can-i|whoami`, drain's DeleteOptions, …) into the plain JSON
 * object a JSON client would have sent for the same Go struct, so the rest of the API server only
 * ever sees JSON.
 *
 * JSON fidelity follows Go's `encoding/json` over the k8s.io/api structs:
 * - A scalar that is on the wire with its zero value (`""`, `0`, `false`) is kept only when the Go
 *   field is a pointer (gogo writes pointers only when set, so `replicas: 0` survives) or has no
 *   `omitempty` (`containerPort`, `status.allowed`); otherwise Go would have omitted it.
 * - Message fields present on the wire are kept, even when empty (`resources: {}`, `status: {}`),
 *   as Go writes every non-pointer struct.
 * - Empty repeated fields and maps are absent (protobuf cannot tell `[]` from nil; Go writes `null`
 *   for the few non-`omitempty` ones, which means the same to a decoder).
 * - A zero `metav1.Time` (`creationTimestamp`, which Go writes as `null`) is left out.
 *
 * @module
 */

import { DescriptorSet, type FieldInfo, type MessageInfo, type ScalarCode, type ValueType } from "./descriptor.ts";
import { KubernetesProtobufError } from "./errors.ts";
import { MESSAGES, PACKAGES } from "./generated/k8s_1_32.ts";
import { WELL_KNOWN } from "./well_known.ts";
import { decodeUtf8, ProtobufWireError, WireReader, WireType } from "./wire.ts";
import { Buffer } from "node:buffer";

export { KubernetesProtobufError } from "./errors.ts";

/** The request/response media type of Kubernetes protobuf. */
export const KUBERNETES_PROTOBUF_MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

/** The 4-byte prefix of every Kubernetes protobuf body: `k8s\0`. */
const MAGIC = [0x6b, 0x38, 0x73, 0x00];

/** The `runtime.Unknown` envelope after the magic bytes. */
export interface KubernetesProtobufEnvelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

let descriptors: DescriptorSet | undefined;

function descriptorSet(): DescriptorSet {
  return descriptors ??= new DescriptorSet(PACKAGES, MESSAGES);
}

/** Whether the bytes start with the `k8s\0` magic. */
function hasMagic(body: Uint8Array): boolean {
  return body.length >= MAGIC.length && MAGIC.every((b, i) => body[i] === b);
}

/**
 * Checks the magic and reads the `runtime.Unknown` envelope without decoding the object.
 *
 * @example
 * ```ts
 * const { apiVersion, kind } = readKubernetesEnvelope(body); // "v1", "ConfigMap"
 * ```
 */
export function readKubernetesEnvelope(body: Uint8Array): KubernetesProtobufEnvelope {
  if (!hasMagic(body)) {
    throw new KubernetesProtobufError('not a Kubernetes protobuf body: missing the "k8s\\x00" prefix');
  }
  const env: KubernetesProtobufEnvelope = {
    apiVersion: "",
    kind: "",
    raw: new Uint8Array(),
    contentEncoding: "",
    contentType: "",
  };
  wireErrors("envelope", () => {
    const r = new WireReader(body.subarray(MAGIC.length));
    while (r.more()) {
      const { field, wireType } = r.tag();
      if (wireType !== WireType.LEN || field > 4) {
        r.skip(wireType);
        continue;
      }
      const value = r.lengthDelimited();
      if (field === 1) {
        const t = new WireReader(value);
        while (t.more()) {
          const tag = t.tag();
          if (tag.wireType !== WireType.LEN || tag.field > 2) t.skip(tag.wireType);
          else if (tag.field === 1) env.apiVersion = decodeUtf8(t.lengthDelimited());
          else env.kind = decodeUtf8(t.lengthDelimited());
        }
      } else if (field === 2) env.raw = value;
      else if (field === 3) env.contentEncoding = decodeUtf8(value);
      else env.contentType = decodeUtf8(value);
    }
  });
  return env;
}

/** Where meta.k8s.io/v1's option kinds live; every group version accepts them (drain sends v1). */
const META_V1 = "k8s.io.apimachinery.pkg.apis.meta.v1";
const META_KINDS = new Set([
  "DeleteOptions",
  "CreateOptions",
  "UpdateOptions",
  "PatchOptions",
  "GetOptions",
  "ListOptions",
  "Status",
  "WatchEvent",
]);
/** API groups whose proto package is not `k8s.io.api.<first label of the group>`. */
const GROUP_PACKAGES: Record<string, string> = {
  "": "k8s.io.api.core",
  "meta.k8s.io": "k8s.io.apimachinery.pkg.apis.meta",
  "internal.apiserver.k8s.io": "k8s.io.api.apiserverinternal",
  "metrics.k8s.io": "k8s.io.metrics.pkg.apis.metrics",
};

/**
 * Finds the proto message of a built-in kind, or `undefined`.
 *
 * @example
 * ```ts
 * protobufTypeFor("apps/v1", "Deployment")?.fullName; // "k8s.io.api.apps.v1.Deployment"
 * protobufTypeFor("v1", "DeleteOptions")?.fullName; // "k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions"
 * ```
 */
export function protobufTypeFor(apiVersion: string, kind: string): MessageInfo | undefined {
  if (!/^[A-Z]\w*$/.test(kind)) return undefined;
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  if (!/^v\d+\w*$/.test(version)) return undefined;
  const pkg = GROUP_PACKAGES[group] ?? `k8s.io.api.${group.split(".")[0]}`;
  const set = descriptorSet();
  return set.find(`${pkg}.${version}.${kind}`) ?? (META_KINDS.has(kind) ? set.find(`${META_V1}.${kind}`) : undefined);
}

/**
 * Decodes a Kubernetes protobuf request body into the JSON object a JSON client would send,
 * with `apiVersion` and `kind` from the envelope. Throws `KubernetesProtobufError` for a missing
 * magic, an unknown kind, an unsupported encoding, or malformed/truncated data.
 *
 * @example
 * ```ts
 * const obj = decodeKubernetesProtobuf(new Uint8Array(await req.arrayBuffer()));
 * // { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "1" } }
 * ```
 */
export function decodeKubernetesProtobuf(body: Uint8Array): Record<string, unknown> {
  const env = readKubernetesEnvelope(body);
  const what = `${env.apiVersion || "(no apiVersion)"} ${env.kind || "(no kind)"}`;
  if (env.contentEncoding !== "") {
    throw new KubernetesProtobufError(`unsupported contentEncoding ${JSON.stringify(env.contentEncoding)} in ${what}`);
  }
  let object: unknown;
  const contentType = env.contentType.split(";")[0].trim();
  if (contentType === "application/json") {
    try {
      object = JSON.parse(decodeUtf8(env.raw));
    } catch {
      throw new KubernetesProtobufError(`embedded JSON of ${what} does not parse`);
    }
  } else if (contentType === "" || contentType === KUBERNETES_PROTOBUF_MEDIA_TYPE) {
    const type = protobufTypeFor(env.apiVersion, env.kind);
    if (!type) {
      throw new KubernetesProtobufError(
        `no protobuf type is known for apiVersion ${JSON.stringify(env.apiVersion)}, kind ${JSON.stringify(env.kind)}`,
      );
    }
    object = wireErrors(what, () => decodeMessage(env.raw, type));
  } else {
    throw new KubernetesProtobufError(`unsupported contentType ${JSON.stringify(env.contentType)} in ${what}`);
  }
  if (typeof object !== "object" || object === null || Array.isArray(object)) {
    throw new KubernetesProtobufError(`${what} does not decode to a JSON object`);
  }
  const typeMeta: Record<string, unknown> = {};
  if (env.apiVersion) typeMeta.apiVersion = env.apiVersion;
  if (env.kind) typeMeta.kind = env.kind;
  return { ...typeMeta, ...object as Record<string, unknown> };
}

function wireErrors<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ProtobufWireError) throw new KubernetesProtobufError(`invalid protobuf in ${what}: ${e.message}`);
    throw e;
  }
}

/** Decodes one message, or a well-known type, to its JSON value (`undefined` = Go's `null`). */
function decodeMessage(bytes: Uint8Array, msg: MessageInfo): unknown {
  const special = WELL_KNOWN.get(msg.fullName);
  if (special) return special(bytes, decodeKubernetesProtobuf);
  const out: Record<string, unknown> = {};
  const r = new WireReader(bytes);
  while (r.more()) {
    const { field, wireType } = r.tag();
    const f = msg.fields.get(field);
    if (!f) {
      r.skip(wireType);
      continue;
    }
    if (f.key) {
      const [key, value] = readMapEntry(expectLen(r, wireType, msg, f), f.key, f.value, msg, f);
      const map = (out[f.jsonName] ??= {}) as Record<string, unknown>;
      if (value !== undefined) map[String(key)] = value;
    } else if (f.repeated) {
      const list = (out[f.jsonName] ??= []) as unknown[];
      if ("scalar" in f.value && wireType === WireType.LEN && isVarint(f.value.scalar)) {
        // Packed encoding: allowed for repeated numbers even though gogo writes them unpacked.
        const packed = new WireReader(r.lengthDelimited());
        while (packed.more()) list.push(scalarFromVarint(packed.varint(), f.value.scalar));
      } else {
        const value = readValue(r, wireType, f.value, msg, f);
        if (value !== undefined) list.push(value);
      }
    } else {
      const value = readValue(r, wireType, f.value, msg, f);
      if (value === undefined) delete out[f.jsonName];
      else out[f.jsonName] = value;
    }
  }
  for (const f of msg.fields.values()) {
    if (!(f.jsonName in out)) continue;
    const value = out[f.jsonName];
    if (f.inline) {
      delete out[f.jsonName];
      // As in Go, a field of the outer struct wins over a same-named one from the inlined struct.
      for (const [k, v] of Object.entries(value as object)) if (!(k in out)) out[k] = v;
    } else if (!f.keepZero && "scalar" in f.value && (value === "" || value === 0 || value === false)) {
      delete out[f.jsonName];
    }
  }
  return msg.list ? (out[msg.fields.get(1)?.jsonName ?? "items"] ?? []) : out;
}

function isVarint(code: ScalarCode): boolean {
  return code !== "s" && code !== "y";
}

function scalarFromVarint(v: number, code: ScalarCode): number | boolean {
  switch (code) {
    case "b":
      return v !== 0;
    case "i":
      return v | 0;
    case "u":
      return v >>> 0;
    default:
      return v;
  }
}

function fieldError(msg: MessageInfo, f: FieldInfo, wireType: number): KubernetesProtobufError {
  return new KubernetesProtobufError(`field ${msg.fullName}.${f.jsonName} has unexpected wire type ${wireType}`);
}

function expectLen(r: WireReader, wireType: number, msg: MessageInfo, f: FieldInfo): Uint8Array {
  if (wireType !== WireType.LEN) throw fieldError(msg, f, wireType);
  return r.lengthDelimited();
}

function readValue(r: WireReader, wireType: number, type: ValueType, msg: MessageInfo, f: FieldInfo): unknown {
  if ("message" in type) return decodeMessage(expectLen(r, wireType, msg, f), descriptorSet().at(type.message));
  if (type.scalar === "s") return decodeUtf8(expectLen(r, wireType, msg, f));
  if (type.scalar === "y") return Buffer.from(expectLen(r, wireType, msg, f)).toString("base64");
  if (wireType !== WireType.VARINT) throw fieldError(msg, f, wireType);
  return scalarFromVarint(r.varint(), type.scalar);
}

/** The JSON value of a map entry's absent key or value: protobuf's default for the type. */
function defaultValue(type: ValueType): unknown {
  if ("message" in type) return decodeMessage(new Uint8Array(), descriptorSet().at(type.message));
  return type.scalar === "s" || type.scalar === "y" ? "" : type.scalar === "b" ? false : 0;
}

function readMapEntry(
  bytes: Uint8Array,
  keyType: ScalarCode,
  valueType: ValueType,
  msg: MessageInfo,
  f: FieldInfo,
): [unknown, unknown] {
  let key: unknown, value: unknown;
  let hasValue = false;
  const r = new WireReader(bytes);
  while (r.more()) {
    const { field, wireType } = r.tag();
    if (field === 1) key = readValue(r, wireType, { scalar: keyType }, msg, f);
    else if (field === 2) {
      value = readValue(r, wireType, valueType, msg, f);
      hasValue = true;
    } else r.skip(wireType);
  }
  return [key ?? defaultValue({ scalar: keyType }), hasValue ? value : defaultValue(valueType)];
}
