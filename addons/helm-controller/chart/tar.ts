/**
 * A tar reader for chart archives, covering the formats `helm package` and the system `tar` write: ustar (with its
 * name prefix), GNU long names and link names (`L`/`K` entries) and base-256 sizes, and pax extended headers
 * (`x` per entry, `g` global), as Go's `archive/tar` reads them.
 *
 * @module
 */

/** One entry of an archive. */
export interface TarEntry {
  /** The path, after long-name and pax overrides. */
  name: string;
  /** Go's `Typeflag`: "0" file, "5" directory, "2" symlink, "g" pax global header, … */
  type: string;
  data: Uint8Array;
}

const BLOCK = 512;

/**
 * Reads every entry of an uncompressed tar archive. Throws `archive/tar: invalid header` on a damaged header and
 * `unexpected EOF` on a truncated archive, as Go does.
 *
 * @example
 * ```ts
 * for (const entry of readTar(bytes)) console.log(entry.name, entry.data.length);
 * ```
 */
export function readTar(bytes: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  let pos = 0;
  let longName: string | undefined;
  let pax: Record<string, string> = {};
  let globalPax: Record<string, string> = {};
  while (pos + BLOCK <= bytes.length) {
    const header = bytes.subarray(pos, pos + BLOCK);
    if (header.every((b) => b === 0)) break;
    if (!validChecksum(header)) throw new Error("archive/tar: invalid header");
    const type = header[156] === 0 ? "0" : String.fromCharCode(header[156]);
    const size = pax.size !== undefined && type !== "x" ? Number(pax.size) : parseNumber(header.subarray(124, 136));
    pos += BLOCK;
    if (pos + size > bytes.length) throw new Error("unexpected EOF");
    const data = bytes.subarray(pos, pos + size);
    pos += Math.ceil(size / BLOCK) * BLOCK;
    switch (type) {
      case "L":
        longName = cString(data);
        continue;
      case "K":
        continue;
      case "x":
        pax = parsePax(data);
        continue;
    }
    const ustar = cString(header.subarray(257, 263)) === "ustar";
    const prefix = ustar ? cString(header.subarray(345, 500)) : "";
    let name = cString(header.subarray(0, 100));
    if (prefix) name = `${prefix}/${name}`;
    if (type === "g") {
      globalPax = { ...globalPax, ...parsePax(data) };
      entries.push({ name, type, data });
      continue;
    }
    const records = { ...globalPax, ...pax };
    name = records.path ?? longName ?? name;
    entries.push({ name, type, data });
    longName = undefined;
    pax = {};
  }
  return entries;
}

function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** A NUL-terminated field. */
function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return text(end < 0 ? bytes : bytes.subarray(0, end));
}

/** An octal field, or GNU's base-256 encoding when the high bit of the first byte is set. */
function parseNumber(field: Uint8Array): number {
  if (field[0] & 0x80) {
    let n = BigInt(field[0] & 0x7f);
    for (const b of field.subarray(1)) n = (n << 8n) | BigInt(b);
    return Number(n);
  }
  const digits = cString(field).trim();
  if (digits === "") return 0;
  if (!/^[0-7]+$/.test(digits)) throw new Error("archive/tar: invalid header");
  return parseInt(digits, 8);
}

/** The header checksum: the byte sum with the checksum field counted as spaces (signed sums are accepted too). */
function validChecksum(header: Uint8Array): boolean {
  const stored = parseInt(cString(header.subarray(148, 156)).trim(), 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : header[i];
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

/** pax records: `<length> <key>=<value>\n`. */
function parsePax(data: Uint8Array): Record<string, string> {
  const records: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space < 0) throw new Error("archive/tar: invalid header");
    const length = parseInt(text(data.subarray(pos, space)), 10);
    if (!(length > 0) || pos + length > data.length) throw new Error("archive/tar: invalid header");
    const record = text(data.subarray(space + 1, pos + length - 1));
    const eq = record.indexOf("=");
    if (eq < 0) throw new Error("archive/tar: invalid header");
    records[record.slice(0, eq)] = record.slice(eq + 1);
    pos += length;
  }
  return records;
}
