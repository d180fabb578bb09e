/**
 * ConfigMaps and Secrets: `stringData` folded into base64 `data`, the Opaque default, key syntax, the 1 MiB limit,
 * type-specific required keys, and the `immutable: true` and Secret-type update rules.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import type { StatusCause } from "../api/status.ts";
import { at, forbidden, invalid, invalidEach, required, tooLong } from "./field.ts";
import { validateImmutable, validateObjectMeta, validateObjectMetaUpdate } from "./meta.ts";
import { byteLength, isConfigMapKey, nameIsDNSSubdomain } from "./names.ts";
import { isObj, type Obj, obj, semanticEqual, str } from "./object.ts";

/** kube's `MaxSecretSize`, which also bounds ConfigMaps: 1 MiB. */
export const maxDataSize = 1024 * 1024;

/**
 * Secret defaults: `type: Opaque`, and `stringData` merged into `data` as base64 (winning over `data` on the same
 * key) then dropped, as kube does when it converts the request.
 *
 * @example
 * ```ts
 * const s = { stringData: { password: "hunter2" } };
 * defaultSecret(s); // s.data.password === "aHVudGVyMg==", s.type === "Opaque"
 * ```
 */
export function defaultSecret(secret: Obj): void {
  if (isObj(secret.stringData)) {
    const data = isObj(secret.data) ? secret.data : {};
    for (const [k, v] of Object.entries(secret.stringData)) data[k] = Buffer.from(str(v), "utf8").toString("base64");
    secret.data = data;
  }
  delete secret.stringData;
  if (!str(secret.type)) secret.type = "Opaque";
}

function decodedLength(v: unknown): number {
  return Buffer.from(str(v), "base64").length;
}

/**
 * Create validation of a ConfigMap: keys, no key in both `data` and `binaryData`, 1 MiB in total.
 *
 * @example
 * ```ts
 * validateConfigMap({ metadata: { name: "Bad_Name", namespace: "default" } });
 * ```
 */
export function validateConfigMap(cm: Obj): StatusCause[] {
  const errs = validateObjectMeta(cm.metadata, { nameFn: nameIsDNSSubdomain, namespaced: true });
  const data = obj(cm.data);
  const binary = obj(cm.binaryData);
  let total = 0;
  for (const [key, value] of Object.entries(data)) {
    errs.push(...invalidEach(at("data", key), key, isConfigMapKey(key)));
    if (key in binary) errs.push(invalid(at("data", key), key, "duplicate of key present in binaryData"));
    total += byteLength(str(value));
  }
  for (const [key, value] of Object.entries(binary)) {
    errs.push(...invalidEach(at("binaryData", key), key, isConfigMapKey(key)));
    total += decodedLength(value);
  }
  // kube reports this one against the whole object, with an empty field path.
  if (total > maxDataSize) errs.push(tooLong("", maxDataSize));
  return errs;
}

function immutableData(next: Obj, old: Obj, keys: string[]): StatusCause[] {
  if (old.immutable !== true) return [];
  const errs: StatusCause[] = [];
  if (next.immutable !== true) errs.push(forbidden("immutable", "field is immutable when `immutable` is set"));
  for (const key of keys) {
    if (!semanticEqual(next[key], old[key])) errs.push(forbidden(key, "field is immutable when `immutable` is set"));
  }
  return errs;
}

/**
 * Update validation of a ConfigMap: once `immutable: true`, neither the flag nor the data may change.
 *
 * @example
 * ```ts
 * validateConfigMapUpdate(next, old);
 * ```
 */
export function validateConfigMapUpdate(cm: Obj, old: Obj): StatusCause[] {
  return [
    ...validateObjectMetaUpdate(cm.metadata, old.metadata),
    ...immutableData(cm, old, ["data", "binaryData"]),
    ...validateConfigMap(cm),
  ];
}

function goQuoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}

// Go's json.Unmarshal into map[string]interface{}: the common failures, worded as Go words them.
function jsonObjectError(bytes: Uint8Array): string | undefined {
  const text = new TextDecoder().decode(bytes);
  const trimmed = text.trim();
  if (trimmed === "") return "unexpected end of JSON input";
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const first = trimmed[0];
    if (!'{["-0123456789tfn'.includes(first)) {
      return `invalid character ${goQuoteChar(first)} looking for beginning of value`;
    }
    return "unexpected end of JSON input";
  }
  if (parsed === null || isObj(parsed)) return undefined;
  const type = Array.isArray(parsed) ? "array" : typeof parsed === "boolean" ? "bool" : typeof parsed;
  return `json: cannot unmarshal ${type} into Go value of type map[string]interface {}`;
}

/**
 * Create validation of a Secret: keys, 1 MiB of decoded data, and the keys its type requires
 * (`tls.crt`/`tls.key`, `.dockerconfigjson` holding a JSON object, basic-auth, ssh-auth, service-account tokens).
 *
 * @example
 * ```ts
 * validateSecret({ metadata: { name: "t", namespace: "default" }, type: "kubernetes.io/tls", data: {} });
 * ```
 */
export function validateSecret(secret: Obj): StatusCause[] {
  const errs = validateObjectMeta(secret.metadata, { nameFn: nameIsDNSSubdomain, namespaced: true });
  const data = obj(secret.data);
  let total = 0;
  for (const [key, value] of Object.entries(data)) {
    errs.push(...invalidEach(at("data", key), key, isConfigMapKey(key)));
    total += decodedLength(value);
  }
  if (total > maxDataSize) errs.push(tooLong("data", maxDataSize));
  const has = (k: string) => k in data;
  switch (str(secret.type)) {
    case "kubernetes.io/service-account-token":
      if (!str(obj(obj(secret.metadata).annotations)["kubernetes.io/service-account.name"])) {
        errs.push(required("metadata.annotations[kubernetes.io/service-account.name]"));
      }
      break;
    case "kubernetes.io/dockercfg":
    case "kubernetes.io/dockerconfigjson": {
      const key = secret.type === "kubernetes.io/dockercfg" ? ".dockercfg" : ".dockerconfigjson";
      if (!has(key)) errs.push(required(at("data", key)));
      else {
        const error = jsonObjectError(Buffer.from(str(data[key]), "base64"));
        if (error) errs.push(invalid(at("data", key), "<secret contents redacted>", error));
      }
      break;
    }
    case "kubernetes.io/basic-auth":
      if (!has("username") && !has("password")) errs.push(required("data[username]"), required("data[password]"));
      break;
    case "kubernetes.io/ssh-auth":
      if (decodedLength(data["ssh-privatekey"]) === 0) errs.push(required("data[ssh-privatekey]"));
      break;
    case "kubernetes.io/tls":
      if (!has("tls.crt")) errs.push(required("data[tls.crt]"));
      if (!has("tls.key")) errs.push(required("data[tls.key]"));
      break;
  }
  return errs;
}

/**
 * Update validation of a Secret: its `type` never changes, and `immutable: true` freezes the flag and the data.
 *
 * @example
 * ```ts
 * validateSecretUpdate(next, old);
 * ```
 */
export function validateSecretUpdate(secret: Obj, old: Obj): StatusCause[] {
  return [
    ...validateObjectMetaUpdate(secret.metadata, old.metadata),
    ...validateImmutable("type", str(secret.type), str(old.type)),
    ...immutableData(secret, old, ["data"]),
    ...validateSecret(secret),
  ];
}
