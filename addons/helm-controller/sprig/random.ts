/**
 * Sprig's random strings and UUIDs: `randAlphaNum`, `randAlpha`, `randNumeric`, `randAscii` (goutils'
 * cryptographically random strings) and `uuidv4`.
 *
 * @module
 */
import { randomInt, randomUUID } from "node:crypto";
import { withSignature as fn } from "../gotemplate/signature.ts";
import type { GoFunc } from "../gotemplate/value.ts";

const DIGITS = "0123456789";
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join("");

/**
 * `count` characters drawn uniformly from `alphabet`; a negative count is goutils' error, which Sprig turns
 * into "".
 *
 * @example
 * ```ts
 * randomString(5, "ab").length; // 5
 * ```
 */
export function randomString(count: number, alphabet: string): string {
  let out = "";
  for (let i = 0; i < count; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

const rand = (alphabet: string) => fn((n) => randomString(Number(n), alphabet), ["int"]);

/** Sprig's random functions by their template names. */
export const randomFunctions: Record<string, GoFunc> = {
  randAlphaNum: rand(DIGITS + LETTERS),
  randAlpha: rand(LETTERS),
  randNumeric: rand(DIGITS),
  randAscii: rand(PRINTABLE),
  uuidv4: fn(() => randomUUID(), []),
};
