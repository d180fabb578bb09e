/**
 * SPDY/3 header blocks: name/value pairs, compressed with one zlib context per direction for the whole session.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import zlib from "node:zlib";
import { SPDY3_DICTIONARY } from "./dictionary.ts";

/** Header names are lower-case; repeated values are joined with NUL, as on the wire. */
export type SpdyHeaders = Record<string, string>;

/**
 * Serializes a header block (uncompressed): a 32-bit pair count, then length-prefixed names and values.
 *
 * @example
 * ```ts
 * encodeHeaderBlock({ streamtype: "stdout" });
 * ```
 */
export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const parts: Buffer[] = [];
  const entries = Object.entries(headers);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(entries.length);
  parts.push(count);
  for (const [name, value] of entries) {
    for (const text of [name.toLowerCase(), value]) {
      const bytes = Buffer.from(text, "utf8");
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      parts.push(length, bytes);
    }
  }
  return Buffer.concat(parts);
}

/**
 * Parses an uncompressed header block; throws on a truncated or malformed one.
 *
 * @example
 * ```ts
 * decodeHeaderBlock(encodeHeaderBlock({ port: "80" })); // { port: "80" }
 * ```
 */
export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  const headers: SpdyHeaders = {};
  let offset = 0;
  const take = (): string => {
    if (offset + 4 > block.length) throw new Error("truncated SPDY header block");
    const length = block.readUInt32BE(offset);
    offset += 4;
    if (offset + length > block.length) throw new Error("truncated SPDY header block");
    const text = block.toString("utf8", offset, offset + length);
    offset += length;
    return text;
  };
  if (block.length < 4) throw new Error("truncated SPDY header block");
  const count = block.readUInt32BE(0);
  offset = 4;
  for (let i = 0; i < count; i++) {
    const name = take();
    headers[name.toLowerCase()] = take();
  }
  return headers;
}

/**
 * The sending side's zlib context. Blocks are emitted as stored deflate blocks of one zlib stream, each ended
 * like a Z_SYNC_FLUSH: every SPDY reader inflates them with its single session context, and writing stays
 * synchronous so frames keep their order.
 *
 * @example
 * ```ts
 * const deflater = new HeaderDeflater();
 * const compressed = deflater.compress({ streamtype: "error" });
 * ```
 */
export class HeaderDeflater {
  #started = false;

  /** Compresses one header block, continuing the session's zlib stream. */
  compress(headers: SpdyHeaders): Buffer {
    const block = encodeHeaderBlock(headers);
    const parts: Buffer[] = [];
    if (!this.#started) {
      this.#started = true;
      // zlib header announcing a preset dictionary (FDICT), followed by the dictionary's Adler-32.
      const header = Buffer.alloc(6);
      header[0] = 0x78;
      header[1] = 0xbb;
      header.writeUInt32BE(adler32(SPDY3_DICTIONARY), 2);
      parts.push(header);
    }
    for (let offset = 0; offset < block.length; offset += 0xffff) {
      const chunk = block.subarray(offset, offset + 0xffff);
      const stored = Buffer.alloc(5);
      stored[0] = 0; // not final, stored
      stored.writeUInt16LE(chunk.length, 1);
      stored.writeUInt16LE(~chunk.length & 0xffff, 3);
      parts.push(stored, chunk);
    }
    // Z_SYNC_FLUSH's empty stored block: Go's inflater hands out a block's bytes only once it sees the next block.
    parts.push(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]));
    return Buffer.concat(parts);
  }
}

/**
 * The receiving side's zlib context, fed every compressed block of the session in order (Z_SYNC_FLUSH after each).
 *
 * @example
 * ```ts
 * const inflater = new HeaderInflater();
 * const headers = await inflater.decompress(compressed);
 * ```
 */
export class HeaderInflater {
  #inflate = zlib.createInflate({ dictionary: SPDY3_DICTIONARY });
  #error: Error | undefined;

  constructor() {
    this.#inflate.on("error", (error) => this.#error = error);
  }

  /** Inflates one header block and parses it. */
  decompress(compressed: Buffer): Promise<SpdyHeaders> {
    return new Promise((resolve, reject) => {
      if (this.#error) return reject(this.#error);
      this.#inflate.write(compressed);
      this.#inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        if (this.#error) return reject(this.#error);
        const chunks: Buffer[] = [];
        for (let chunk = this.#inflate.read(); chunk !== null; chunk = this.#inflate.read()) chunks.push(chunk);
        try {
          resolve(decodeHeaderBlock(Buffer.concat(chunks)));
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  /** Releases the zlib context. */
  close(): void {
    this.#inflate.close();
  }
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}
