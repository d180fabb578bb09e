/**
 * A minimal reader for the protobuf wire format: just what decoding Kubernetes objects (and the
 * FileDescriptorSet they are described by) needs. Every read is bounds-checked so truncated input
 * fails with one recognisable error instead of garbage values.
 *
 * @module
 */

/** Wire types of the protobuf encoding. Groups (3, 4) never occur in Kubernetes messages. */
export const WireType = { VARINT: 0, FIXED64: 1, LEN: 2, FIXED32: 5 } as const;

/** Thrown for input that ends in the middle of a value or is otherwise not valid protobuf. */
export class ProtobufWireError extends Error {
  override name = "ProtobufWireError";
}

/**
 * Sequential reader over one message's bytes.
 *
 * @example
 * ```ts
 * const r = new WireReader(new Uint8Array([0x08, 0x96, 0x01]));
 * const { field, wireType } = r.tag(); // field 1, varint
 * r.varint(); // 150
 * ```
 */
export class WireReader {
  pos = 0;

  constructor(readonly bytes: Uint8Array) {}

  /** True while unread bytes remain. */
  more(): boolean {
    return this.pos < this.bytes.length;
  }

  /** Reads a field key. */
  tag(): { field: number; wireType: number } {
    const key = this.varint();
    const field = Math.floor(key / 8);
    if (field === 0) throw new ProtobufWireError("invalid protobuf field number 0");
    return { field, wireType: key % 8 };
  }

  /**
   * Reads a varint as a signed 64-bit number (int32 and int64 negatives are sign-extended to ten
   * bytes on the wire, so one interpretation serves both). Values beyond 2^53 lose precision,
   * as they would in any JSON client.
   */
  varint(): number {
    let result = 0;
    // Fast path: up to four bytes fit exactly in a double without bit tricks.
    for (let shift = 0; shift < 28; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
    }
    let big = BigInt(result);
    for (let shift = 28n; shift < 70n; shift += 7n) {
      const b = this.byte();
      big |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return Number(BigInt.asIntN(64, big));
    }
    throw new ProtobufWireError("invalid protobuf varint (longer than 10 bytes)");
  }

  /** Reads a length-delimited value (string, bytes or sub-message) without copying. */
  lengthDelimited(): Uint8Array {
    const len = this.varint();
    if (len < 0 || this.pos + len > this.bytes.length) {
      throw new ProtobufWireError("protobuf data is truncated (length-delimited field runs past the end)");
    }
    const out = this.bytes.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  /** Skips a value of the given wire type (unknown fields are ignored, as Go's decoder does). */
  skip(wireType: number): void {
    switch (wireType) {
      case WireType.VARINT:
        this.varint();
        return;
      case WireType.FIXED64:
        this.advance(8);
        return;
      case WireType.LEN:
        this.lengthDelimited();
        return;
      case WireType.FIXED32:
        this.advance(4);
        return;
      default:
        throw new ProtobufWireError(`unsupported protobuf wire type ${wireType}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.bytes.length) throw new ProtobufWireError("protobuf data is truncated");
    this.pos += n;
  }

  private byte(): number {
    if (this.pos >= this.bytes.length) throw new ProtobufWireError("protobuf data is truncated (inside a varint)");
    return this.bytes[this.pos++];
  }
}

const utf8 = new TextDecoder();

/**
 * Decodes protobuf string bytes. Not fatal on bad UTF-8: Go's proto2 decoder does not check either.
 *
 * @example
 * ```ts
 * decodeUtf8(new Uint8Array([0x68, 0x69])); // "hi"
 * ```
 */
export function decodeUtf8(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
