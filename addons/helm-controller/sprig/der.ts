/**
 * The little ASN.1 DER that Sprig's certificate functions need, synchronously: encoding the parts of an X.509
 * certificate as Go's `encoding/asn1` writes them, and walking the parts of a parsed one.
 *
 * @module
 */

/** A DER value: its tag, and where its header and contents lie in the buffer. */
export interface Tlv {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return [0x80 | bytes.length, ...bytes];
}

/**
 * A tag-length-value of already encoded contents.
 *
 * @example
 * ```ts
 * tlv(0x04, new Uint8Array([1])); // 04 01 01
 * ```
 */
export function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const length = contents.reduce((n, c) => n + c.length, 0);
  const header = [tag, ...lengthBytes(length)];
  const out = new Uint8Array(header.length + length);
  out.set(header);
  let at = header.length;
  for (const c of contents) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * A SEQUENCE of encoded values.
 *
 * @example
 * ```ts
 * sequence(); // 30 00
 * ```
 */
export function sequence(...items: Uint8Array[]): Uint8Array {
  return tlv(0x30, ...items);
}

/**
 * An INTEGER, minimal two's complement.
 *
 * @example
 * ```ts
 * integer(128n); // 02 02 00 80
 * ```
 */
export function integer(n: bigint): Uint8Array {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v !== 0n && v !== -1n);
  if (n >= 0n && bytes[0] & 0x80) bytes.unshift(0);
  if (n < 0n && !(bytes[0] & 0x80)) bytes.unshift(0xff);
  return tlv(0x02, new Uint8Array(bytes));
}

/**
 * An OBJECT IDENTIFIER from its dotted form.
 *
 * @example
 * ```ts
 * oid("2.5.4.3"); // 06 03 55 04 03
 * ```
 */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split(".").map(Number);
  const bytes: number[] = [arcs[0] * 40 + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    let v = Math.floor(arc / 128);
    while (v > 0) {
      chunk.unshift(0x80 | (v & 0x7f));
      v = Math.floor(v / 128);
    }
    bytes.push(...chunk);
  }
  return tlv(0x06, new Uint8Array(bytes));
}

/**
 * A BIT STRING with `unused` padding bits in its last byte.
 *
 * @example
 * ```ts
 * bitString(new Uint8Array([0xa0]), 5); // 03 02 05 a0
 * ```
 */
export function bitString(bytes: Uint8Array, unused = 0): Uint8Array {
  return tlv(0x03, new Uint8Array([unused]), bytes);
}

/**
 * A string in the type Go's `asn1.Marshal` picks: PrintableString when every byte allows it, else UTF8String.
 *
 * @example
 * ```ts
 * goString("my-ca"); // a PrintableString
 * ```
 */
export function goString(s: string): Uint8Array {
  const printable = /^[A-Za-z0-9 '()+,\-./:=?*]*$/.test(s);
  return tlv(printable ? 0x13 : 0x0c, new TextEncoder().encode(s));
}

/**
 * A time as Go encodes certificate validity: UTCTime for 1950–2049, else GeneralizedTime, to the second.
 *
 * @example
 * ```ts
 * time(new Date(Date.UTC(2030, 0, 2, 3, 4, 5))); // UTCTime "300102030405Z"
 * ```
 */
export function time(d: Date): Uint8Array {
  const year = d.getUTCFullYear();
  const p = (n: number) => String(n).padStart(2, "0");
  const rest = p(d.getUTCMonth() + 1) + p(d.getUTCDate()) + p(d.getUTCHours()) + p(d.getUTCMinutes()) +
    p(d.getUTCSeconds()) + "Z";
  const utc = year >= 1950 && year < 2050;
  const text = (utc ? p(year % 100) : String(year).padStart(4, "0")) + rest;
  return tlv(utc ? 0x17 : 0x18, new TextEncoder().encode(text));
}

/**
 * Reads the value whose header starts at `at`.
 *
 * @example
 * ```ts
 * readTlv(new Uint8Array([0x04, 0x01, 0x07]), 0); // { tag: 4, start: 0, contentStart: 2, end: 3 }
 * ```
 */
export function readTlv(buf: Uint8Array, at: number): Tlv {
  if (at + 2 > buf.length) throw new Error("asn1: syntax error: data truncated");
  const tag = buf[at];
  let length = buf[at + 1];
  let contentStart = at + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || contentStart + n > buf.length) throw new Error("asn1: syntax error: invalid length");
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[contentStart + i];
    contentStart += n;
  }
  const end = contentStart + length;
  if (end > buf.length) throw new Error("asn1: syntax error: data truncated");
  return { tag, start: at, contentStart, end };
}

/**
 * The values inside a constructed value.
 *
 * @example
 * ```ts
 * const seq = sequence(integer(1n), integer(2n));
 * children(seq, readTlv(seq, 0)).length; // 2
 * ```
 */
export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.end;) {
    const child = readTlv(buf, at);
    out.push(child);
    at = child.end;
  }
  return out;
}
