/**
 * `metadata.generateName`: the prefix plus five random characters from kube's alphabet (no vowels, no
 * look-alike digits), as kube-apiserver's simple name generator makes them.
 *
 * @module
 */

const ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/**
 * A name for an object created with `generateName: base`.
 *
 * @example
 * ```ts
 * generateName("web-7d4b9c-"); // "web-7d4b9c-x2k9q"
 * ```
 */
export function generateName(base: string): string {
  let out = base;
  for (const byte of crypto.getRandomValues(new Uint8Array(5))) out += ALPHABET[byte % ALPHABET.length];
  return out;
}
