/**
 * A tiny protobuf writer for hand-built test bodies (the product only ever decodes).
 *
 * @module
 */

/** Varint bytes; negative numbers are sign-extended to ten bytes, as Go writes int32/int64. */
export function varint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? b | 0x80 : b);
  } while (v > 0n);
  return out;
}

/** A varint field. */
export function num(field: number, n: number | bigint): number[] {
  return [...varint(field * 8), ...varint(n)];
}

/** A length-delimited field holding raw bytes or a sub-message built from parts. */
export function bytes(field: number, ...parts: (number[] | Uint8Array)[]): number[] {
  const payload = parts.flatMap((p) => [...p]);
  return [...varint(field * 8 + 2), ...varint(payload.length), ...payload];
}

/** A string field. */
export function str(field: number, s: string): number[] {
  return bytes(field, new TextEncoder().encode(s));
}

/** A map entry (`map<string,string>` unless `value` is given pre-encoded). */
export function entry(field: number, key: string, value: string | number[]): number[] {
  return bytes(field, str(1, key), typeof value === "string" ? str(2, value) : value);
}

/** `k8s\0` + runtime.Unknown{typeMeta, raw, contentEncoding?, contentType?}. */
export function envelope(
  apiVersion: string,
  kind: string,
  raw: number[],
  extra: { contentEncoding?: string; contentType?: string } = {},
): Uint8Array {
  return new Uint8Array([
    0x6b,
    0x38,
    0x73,
    0x00,
    ...bytes(1, str(1, apiVersion), str(2, kind)),
    ...bytes(2, raw),
    ...(extra.contentEncoding !== undefined ? str(3, extra.contentEncoding) : []),
    ...(extra.contentType !== undefined ? str(4, extra.contentType) : []),
  ]);
}
