/**
 * apimachinery types whose JSON form is not their protobuf structure (Go gives them custom
 * `MarshalJSON`s): times, durations, quantities, int-or-string, and raw embedded JSON.
 *
 * @module
 */

import { KubernetesProtobufError } from "./errors.ts";
import { decodeUtf8, WireReader, WireType } from "./wire.ts";

/** Converts one message's bytes to its JSON value; `undefined` means Go would write `null`. */
export type WellKnownDecoder = (bytes: Uint8Array, decodeNested: (bytes: Uint8Array) => unknown) => unknown;

function fields(bytes: Uint8Array): Map<number, number | Uint8Array> {
  const out = new Map<number, number | Uint8Array>();
  const r = new WireReader(bytes);
  while (r.more()) {
    const { field, wireType } = r.tag();
    if (wireType === WireType.VARINT) out.set(field, r.varint());
    else if (wireType === WireType.LEN) out.set(field, r.lengthDelimited());
    else r.skip(wireType);
  }
  return out;
}

function num(f: Map<number, number | Uint8Array>, n: number): number {
  const v = f.get(n);
  return typeof v === "number" ? v : 0;
}

function text(f: Map<number, number | Uint8Array>, n: number): string {
  const v = f.get(n);
  return v instanceof Uint8Array ? decodeUtf8(v) : "";
}

/** ISO form with the millisecond part cut, i.e. Go's `time.RFC3339` in UTC. */
function rfc3339(seconds: number): string {
  const d = new Date(seconds * 1000);
  if (Number.isNaN(d.getTime())) throw new KubernetesProtobufError(`timestamp ${seconds}s is out of range`);
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * `metav1.Time`. An empty message is the zero time (Go marshals it as JSON `null`); nanoseconds
 * are dropped because Go's own unmarshaller drops them.
 *
 * @example
 * ```ts
 * decodeTime(new Uint8Array([0x08, 0x80, 0x81, 0xc8, 0xac, 0x06])); // "2024-01-01T00:00:00Z"
 * ```
 */
export function decodeTime(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return undefined;
  return rfc3339(num(fields(bytes), 1));
}

/**
 * `metav1.MicroTime`: RFC 3339 with exactly six fractional digits (`RFC3339Micro`).
 *
 * @example
 * ```ts
 * decodeMicroTime(new Uint8Array([0x08, 0x01, 0x10, 0xe8, 0x07])); // "1970-01-01T00:00:01.000001Z"
 * ```
 */
export function decodeMicroTime(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return undefined;
  const f = fields(bytes);
  const micros = Math.floor(num(f, 2) / 1000);
  return rfc3339(num(f, 1)).replace(/Z$/, `.${String(micros).padStart(6, "0")}Z`);
}

function fraction(value: number, digits: number): string {
  if (digits === 0) return String(value);
  const scale = 10 ** digits;
  const frac = String(value % scale).padStart(digits, "0").replace(/0+$/, "");
  return `${Math.floor(value / scale)}${frac ? `.${frac}` : ""}`;
}

/**
 * Formats nanoseconds the way Go's `time.Duration.String` does (`metav1.Duration` is JSON-encoded
 * that way): `1h0m0s`, `1m30s`, `1.5s`, `2ms`, `0s`.
 *
 * @example
 * ```ts
 * goDuration(90e9); // "1m30s"
 * ```
 */
export function goDuration(nanos: number): string {
  if (nanos === 0) return "0s";
  const sign = nanos < 0 ? "-" : "";
  const u = Math.abs(nanos);
  if (u < 1e3) return `${sign}${u}ns`;
  if (u < 1e6) return `${sign}${fraction(u, 3)}µs`;
  if (u < 1e9) return `${sign}${fraction(u, 6)}ms`;
  const totalSeconds = Math.floor(u / 1e9);
  const seconds = `${fraction((totalSeconds % 60) * 1e9 + (u % 1e9), 9)}s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes === 0) return sign + seconds;
  const hours = Math.floor(totalMinutes / 60);
  return `${sign}${hours > 0 ? `${hours}h` : ""}${totalMinutes % 60}m${seconds}`;
}

/** Raw bytes that hold JSON (RawExtension, FieldsV1): an absent value is Go's `null`. */
function rawJson(bytes: Uint8Array, decodeNested: (bytes: Uint8Array) => unknown): unknown {
  const raw = fields(bytes).get(1);
  if (!(raw instanceof Uint8Array) || raw.length === 0) return undefined;
  // An embedded object may itself be a protobuf-encoded runtime.Unknown.
  if (raw[0] === 0x6b && raw[1] === 0x38 && raw[2] === 0x73 && raw[3] === 0) return decodeNested(raw);
  try {
    return JSON.parse(decodeUtf8(raw));
  } catch {
    throw new KubernetesProtobufError("embedded raw object is neither JSON nor Kubernetes protobuf");
  }
}

const META = "k8s.io.apimachinery.pkg.apis.meta.v1";

/** Decoders by fully qualified proto message name. */
export const WELL_KNOWN: ReadonlyMap<string, WellKnownDecoder> = new Map<string, WellKnownDecoder>([
  [`${META}.Time`, decodeTime],
  [`${META}.MicroTime`, decodeMicroTime],
  [`${META}.Duration`, (b) => goDuration(num(fields(b), 1))],
  [`${META}.FieldsV1`, rawJson],
  ["k8s.io.apimachinery.pkg.runtime.RawExtension", rawJson],
  // Quantity's wire string is already canonical (Go marshals q.String()); empty is the zero "0".
  ["k8s.io.apimachinery.pkg.api.resource.Quantity", (b) => text(fields(b), 1) || "0"],
  ["k8s.io.apimachinery.pkg.api.resource.QuantityValue", (b) => text(fields(b), 1) || "0"],
  ["k8s.io.apimachinery.pkg.util.intstr.IntOrString", (b) => {
    const f = fields(b);
    return num(f, 1) === 1 ? text(f, 3) : num(f, 2) | 0;
  }],
]);
