/**
 * Sprig's `b64enc`/`b64dec`/`b32enc`/`b32dec`: Go's standard padded Base64 and Base32 of a string's UTF-8 bytes.
 * Decoding follows Go's decoder (newlines skipped, padding required) and, as Sprig does, a corrupt input decodes
 * to Go's error text ("illegal base64 data at input byte 4") instead of failing.
 *
 * @module
 */
import { withSignature as fn } from "../gotemplate/signature.ts";
import type { GoFunc } from "../gotemplate/value.ts";
import { text, utf8 } from "./bytes.ts";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** The input's UTF-8 bytes, one character each, so offsets count bytes as Go's do. */
function byteString(s: string): string {
  let out = "";
  for (const b of utf8(s)) out += String.fromCharCode(b);
  return out;
}

function corrupt(kind: string, at: number): Error {
  return new Error(`illegal ${kind} data at input byte ${at}`);
}

/**
 * Go's `base64.StdEncoding.EncodeToString` of the string's bytes.
 *
 * @example
 * ```ts
 * base64Encode("coffee"); // "Y29mZmVl"
 * ```
 */
export function base64Encode(s: string): string {
  const b = utf8(s);
  let out = "";
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    out += i + 1 < b.length ? B64[(n >> 6) & 63] : "=";
    out += i + 2 < b.length ? B64[n & 63] : "=";
  }
  return out;
}

/**
 * Go's `base64.StdEncoding.DecodeString` as text (invalid UTF-8 as U+FFFD), throwing its `CorruptInputError`.
 *
 * @example
 * ```ts
 * base64Decode("Y29mZmVl"); // "coffee"
 * base64Decode("Y29mZmV"); // throws "illegal base64 data at input byte 4"
 * ```
 */
export function base64Decode(input: string): string {
  return text(base64DecodeBytes(input));
}

/**
 * Go's `base64.StdEncoding.DecodeString`, throwing its `CorruptInputError`.
 *
 * @example
 * ```ts
 * base64DecodeBytes("AAE="); // Uint8Array [0, 1]
 * ```
 */
export function base64DecodeBytes(input: string): Uint8Array {
  const s = byteString(input);
  const out: number[] = [];
  let si = 0;
  const isNewline = (c: string) => c === "\n" || c === "\r";
  while (si < s.length) {
    const quantum: number[] = [];
    let length = 4;
    for (let j = 0; j < 4;) {
      if (si === s.length) {
        if (j === 0) return new Uint8Array(out);
        throw corrupt("base64", si - j);
      }
      const c = s[si++];
      const v = B64.indexOf(c);
      if (v >= 0) {
        quantum[j++] = v;
        continue;
      }
      if (isNewline(c)) continue;
      if (c !== "=") throw corrupt("base64", si - 1);
      if (j < 2) throw corrupt("base64", si - 1);
      if (j === 2) {
        while (si < s.length && isNewline(s[si])) si++;
        if (si === s.length) throw corrupt("base64", s.length);
        if (s[si] !== "=") throw corrupt("base64", si - 1);
        si++;
      }
      while (si < s.length && isNewline(s[si])) si++;
      if (si < s.length) throw corrupt("base64", si);
      length = j;
      break;
    }
    const n = (quantum[0] << 18) | (quantum[1] << 12) | ((quantum[2] ?? 0) << 6) | (quantum[3] ?? 0);
    out.push((n >> 16) & 255);
    if (length > 2) out.push((n >> 8) & 255);
    if (length > 3) out.push(n & 255);
  }
  return new Uint8Array(out);
}

/**
 * Go's `base32.StdEncoding.EncodeToString` of the string's bytes.
 *
 * @example
 * ```ts
 * base32Encode("coffee"); // "MNXWMZTFMU======"
 * ```
 */
export function base32Encode(s: string): string {
  const b = utf8(s);
  let out = "";
  for (let i = 0; i < b.length; i += 5) {
    const chunk = b.subarray(i, i + 5);
    let bits = 0n;
    for (let k = 0; k < 5; k++) bits = (bits << 8n) | BigInt(chunk[k] ?? 0);
    const chars = Math.ceil((chunk.length * 8) / 5);
    for (let k = 0; k < 8; k++) out += k < chars ? B32[Number((bits >> BigInt(35 - 5 * k)) & 31n)] : "=";
  }
  return out;
}

/**
 * Go's `base32.StdEncoding.DecodeString` (newlines stripped first), throwing its `CorruptInputError`.
 *
 * @example
 * ```ts
 * base32Decode("MNXWMZTFMU======"); // "coffee"
 * ```
 */
export function base32Decode(input: string): string {
  const s = byteString(input).replace(/[\r\n]/g, "");
  const out: number[] = [];
  let i = 0;
  const olen = s.length;
  let end = false;
  while (i < s.length && !end) {
    const quantum: number[] = [];
    let length = 8;
    for (let j = 0; j < 8;) {
      if (i === s.length) throw corrupt("base32", olen - (s.length - i) - j);
      const c = s[i++];
      const remaining = s.length - i;
      if (c === "=" && j >= 2 && remaining < 8) {
        if (remaining + j < 7) throw corrupt("base32", olen);
        for (let k = 0; k < 7 - j; k++) {
          if (remaining > k && s[i + k] !== "=") throw corrupt("base32", olen - remaining + k - 1);
        }
        length = j;
        end = true;
        if (length === 1 || length === 3 || length === 6) throw corrupt("base32", olen - remaining - 1);
        break;
      }
      const v = B32.indexOf(c);
      if (v < 0) throw corrupt("base32", olen - remaining - 1);
      quantum[j++] = v;
    }
    let bits = 0n;
    for (let k = 0; k < 8; k++) bits = (bits << 5n) | BigInt(quantum[k] ?? 0);
    const bytes = [0, 1, 1, 2, 2, 3, 4, 4, 5][length];
    for (let k = 0; k < bytes; k++) out.push(Number((bits >> BigInt(32 - 8 * k)) & 255n));
    if (end) break;
  }
  return text(new Uint8Array(out));
}

/** Sprig's decoders return Go's error text in place of the data. */
function orError(decode: (s: string) => string) {
  return (s: unknown) => {
    try {
      return decode(s as string);
    } catch (err) {
      return (err as Error).message;
    }
  };
}

/** Sprig's encoding functions by their template names. */
export const encodingFunctions: Record<string, GoFunc> = {
  b64enc: fn((s) => base64Encode(s as string), ["string"]),
  b64dec: fn(orError(base64Decode), ["string"]),
  b32enc: fn((s) => base32Encode(s as string), ["string"]),
  b32dec: fn(orError(base32Decode), ["string"]),
};
