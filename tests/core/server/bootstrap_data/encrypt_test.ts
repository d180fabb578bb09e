// The sealing K3s uses for bootstrap data: the key name from the password's hash, and PBKDF2-SHA1 + AES-256-GCM in
// K3s's `<salt>:<base64(nonce ‖ ciphertext ‖ tag)>` form — checked against WebCrypto, an independent implementation.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { decryptBootstrap, encryptBootstrap, storageKey } from "../../../../core/server/bootstrap_data/mod.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("bootstrap data: sealed data opens with the same password", () => {
  const plaintext = bytes('{"ServerCA":{"Timestamp":"2026-01-02T03:04:05Z","Content":"LS0t"}}\n');
  assert.equal(text(decryptBootstrap("secret", encryptBootstrap("secret", plaintext))), text(plaintext));
});

Deno.test("bootstrap data: a wrong password fails with Go's authentication error", () => {
  const sealed = encryptBootstrap("secret", bytes("{}\n"));
  assert.throws(() => decryptBootstrap("other", sealed), /^Error: cipher: message authentication failed$/);
});

Deno.test("bootstrap data: the key is /bootstrap/ and the first 12 hex digits of the password's sha256", () => {
  // printf %s pw | sha256sum → 30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4
  assert.equal(storageKey("pw"), "/bootstrap/30c952fab122");
});

Deno.test("bootstrap data: the sealed form is K3s's hex salt, then nonce, ciphertext and tag in base64", async () => {
  const plaintext = bytes("cluster secrets");
  const sealed = text(encryptBootstrap("secret", plaintext));
  const match = /^([0-9a-f]{16}):([A-Za-z0-9+/]+=*)$/.exec(sealed);
  assert.ok(match, sealed);
  const [, salt, body] = match;
  const raw = Buffer.from(body, "base64");
  assert.equal(raw.length, 12 + plaintext.length + 16);
  // Opened the way K3s's Go code opens it: PBKDF2-SHA1(password, salt text, 4096, 32 bytes), AES-GCM, 12-byte nonce.
  const material = await crypto.subtle.importKey("raw", bytes("secret"), "PBKDF2", false, ["deriveKey"]);
  const key = await crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-1", salt: bytes(salt), iterations: 4096 },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["decrypt"],
  );
  const opened = await crypto.subtle.decrypt({ name: "AES-GCM", iv: raw.subarray(0, 12) }, key, raw.subarray(12));
  assert.equal(text(new Uint8Array(opened)), "cluster secrets");
});

Deno.test("bootstrap data: every seal uses a fresh salt and nonce", () => {
  const plaintext = bytes("same");
  assert.notEqual(text(encryptBootstrap("secret", plaintext)), text(encryptBootstrap("secret", plaintext)));
});
