/**
 * bcrypt as golang.org/x/crypto/bcrypt computes it (`$2a$`, the password plus a NUL byte as the key), for Sprig's
 * `bcrypt` and `htpasswd`. node:crypto has no bcrypt. Blowfish's initial boxes are the hexadecimal digits of π;
 * rather than carrying the 1042-word table they are computed once, on first use.
 *
 * @module
 */
import { randomBytes } from "node:crypto";

const ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** bcrypt's base64: its own alphabet, no padding. */
function encode64(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.ceil(((Math.min(3, bytes.length - i)) * 8) / 6);
    for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

function decode64(s: string): Uint8Array {
  const out: number[] = [];
  let bits = 0;
  let n = 0;
  for (const c of s) {
    const v = ALPHABET.indexOf(c);
    if (v < 0) throw new Error(`bcrypt: invalid character in salt`);
    n = (n << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((n >> bits) & 0xff);
    }
  }
  return new Uint8Array(out);
}

let piWords: Uint32Array | undefined;

/** The first 1042 32-bit words of π's fractional part (Blowfish's P-array then its four S-boxes). */
function pi(): Uint32Array {
  if (piWords) return piWords;
  const bits = 1042 * 32 + 64;
  const one = 1n << BigInt(bits);
  // Machin's formula: π = 16·atan(1/5) − 4·atan(1/239), in fixed point.
  const atanInv = (x: bigint) => {
    let term = one / x;
    let sum = term;
    const x2 = x * x;
    for (let k = 1n; term !== 0n; k++) {
      term /= x2;
      sum += (k % 2n === 1n ? -term : term) / (2n * k + 1n);
    }
    return sum;
  };
  const value = 16n * atanInv(5n) - 4n * atanInv(239n);
  const fraction = (value - 3n * one) >> 64n;
  const hex = fraction.toString(16).padStart(1042 * 8, "0");
  piWords = new Uint32Array(1042);
  for (let i = 0; i < 1042; i++) piWords[i] = parseInt(hex.slice(i * 8, i * 8 + 8), 16);
  return piWords;
}

class Blowfish {
  p: Uint32Array;
  s: Uint32Array;

  constructor() {
    const words = pi();
    this.p = words.slice(0, 18);
    this.s = words.slice(18);
  }

  private f(x: number): number {
    const s = this.s;
    return ((((s[x >>> 24] + s[256 + ((x >>> 16) & 0xff)]) >>> 0) ^ s[512 + ((x >>> 8) & 0xff)]) +
      s[768 + (x & 0xff)]) >>> 0;
  }

  encrypt(l: number, r: number): [number, number] {
    const p = this.p;
    l ^= p[0];
    for (let i = 1; i < 16; i += 2) {
      r ^= this.f(l >>> 0) ^ p[i];
      l ^= this.f(r >>> 0) ^ p[i + 1];
    }
    r ^= p[17];
    return [r >>> 0, l >>> 0];
  }

  /** Blowfish's key schedule mixed with a salt (the salt all zeros for the plain `ExpandKey`). */
  expand(key: Uint8Array, salt?: Uint8Array): void {
    let k = 0;
    const keyWord = () => {
      let w = 0;
      for (let i = 0; i < 4; i++) {
        w = (w << 8) | key[k];
        k = (k + 1) % key.length;
      }
      return w >>> 0;
    };
    for (let i = 0; i < 18; i++) this.p[i] ^= keyWord();
    let j = 0;
    const saltWord = () => {
      if (!salt) return 0;
      let w = 0;
      for (let i = 0; i < 4; i++) {
        w = (w << 8) | salt[j];
        j = (j + 1) % salt.length;
      }
      return w >>> 0;
    };
    let l = 0;
    let r = 0;
    const fill = (box: Uint32Array) => {
      for (let i = 0; i < box.length; i += 2) {
        l ^= saltWord();
        r ^= saltWord();
        [l, r] = this.encrypt(l, r);
        box[i] = l;
        box[i + 1] = r;
      }
    };
    fill(this.p);
    fill(this.s);
  }
}

/**
 * bcrypt of `password` with a given cost and 22-character salt, as `$2a$<cost>$<salt><hash>`.
 *
 * @example
 * ```ts
 * bcryptHash("U*U", 5, "CCCCCCCCCCCCCCCCCCCCC."); // "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"
 * ```
 */
export function bcryptHash(password: string, cost: number, salt: string): string {
  const key = new TextEncoder().encode(password + "\0");
  const saltBytes = decode64(salt).subarray(0, 16);
  const bf = new Blowfish();
  bf.expand(key, saltBytes);
  for (let i = 0; i < 2 ** cost; i++) {
    bf.expand(key);
    bf.expand(saltBytes);
  }
  const text = new TextEncoder().encode("OrpheanBeholderScryDoubt");
  const view = new DataView(text.buffer);
  for (let block = 0; block < 24; block += 8) {
    let l = view.getUint32(block);
    let r = view.getUint32(block + 4);
    for (let i = 0; i < 64; i++) [l, r] = bf.encrypt(l, r);
    view.setUint32(block, l);
    view.setUint32(block + 4, r);
  }
  return `$2a$${String(cost).padStart(2, "0")}$${salt}${encode64(text.subarray(0, 23))}`;
}

/**
 * x/crypto's `GenerateFromPassword(password, DefaultCost)`: cost 10 and a random salt; throws for passwords
 * over 72 bytes, as x/crypto does.
 *
 * @example
 * ```ts
 * generateFromPassword("secret").startsWith("$2a$10$"); // true
 * ```
 */
export function generateFromPassword(password: string): string {
  if (new TextEncoder().encode(password).length > 72) throw new Error("bcrypt: password length exceeds 72 bytes");
  return bcryptHash(password, 10, encode64(randomBytes(16)));
}
