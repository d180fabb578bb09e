/**
 * Go strings are byte sequences: `len(s)` counts UTF-8 bytes and `s[i:j]` slices bytes. These helpers give Sprig's
 * byte-indexed functions (`trunc`, `substr`, `abbrev`, `wrap`) the same arithmetic on JavaScript strings; a slice
 * that splits a character decodes its broken bytes as U+FFFD, where Go would keep the raw bytes.
 *
 * @module
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// deno-lint-ignore no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/**
 * The UTF-8 bytes of `s` (Go's `[]byte(s)`).
 *
 * @example
 * ```ts
 * utf8("é").length; // 2
 * ```
 */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/**
 * Bytes back to text (Go's `string(b)`), invalid sequences as U+FFFD.
 *
 * @example
 * ```ts
 * text(new Uint8Array([104, 105])); // "hi"
 * ```
 */
export function text(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/**
 * Go's `len(s)`: the UTF-8 byte length.
 *
 * @example
 * ```ts
 * byteLength("héllo"); // 6
 * ```
 */
export function byteLength(s: string): number {
  return ASCII.test(s) ? s.length : encoder.encode(s).length;
}

/**
 * Go's `s[start:end]` on byte offsets (the caller checks the bounds, as Go would panic).
 *
 * @example
 * ```ts
 * byteSlice("héllo", 0, 3); // "hé"
 * ```
 */
export function byteSlice(s: string, start: number, end?: number): string {
  if (ASCII.test(s)) return s.slice(start, end);
  return decoder.decode(encoder.encode(s).subarray(start, end));
}

/**
 * Go's runtime panic text for a slice expression out of range, `s[low:high]` with `length` bytes.
 *
 * @example
 * ```ts
 * sliceBoundsError(0, 10, 3).message; // "runtime error: slice bounds out of range [:10] with length 3"
 * ```
 */
export function sliceBoundsError(low: number, high: number, length: number): Error {
  const prefix = "runtime error: slice bounds out of range";
  if (high < 0) return new Error(`${prefix} [:${high}]`);
  if (high > length) return new Error(`${prefix} [:${high}] with length ${length}`);
  if (low < 0) return new Error(`${prefix} [${low}:]`);
  return new Error(`${prefix} [${low}:${high}]`);
}
