// kube's value transformers: the envelope prefix, AES-CBC that OpenSSL can open, reading with every key
// while the first one writes, and identity as fallback.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { encryptionConfiguration, type EncryptionKey } from "../../../core/encryption/config.ts";
import { transformerFor } from "../../../core/encryption/transformer.ts";
import { run, tempDir } from "../pki/tools.ts";

const KEY = "/registry/secrets/default/s1";
const plain = new TextEncoder().encode('{"kind":"Secret","data":{"pw":"aHVudGVyMg=="}}');
const key = (name: string, byte: number): EncryptionKey => ({
  name,
  secret: Buffer.alloc(32, byte).toString("base64"),
});

Deno.test("encryption transformer: aescbc values carry kube's prefix and OpenSSL decrypts the rest", async () => {
  const t = transformerFor(encryptionConfiguration([key("aescbckey", 7)], true));
  const stored = Buffer.from(t.toStorage(plain, KEY));
  const prefix = "k8s:enc:aescbc:v1:aescbckey:";
  assert.equal(stored.subarray(0, prefix.length).toString(), prefix);
  const body = stored.subarray(prefix.length);
  assert.equal((body.length - 16) % 16, 0, "IV then whole AES blocks");
  assert.ok(!stored.includes(Buffer.from("aHVudGVyMg==")), "the value is not readable in the stored bytes");

  const dir = tempDir("k3s-enc-");
  writeFileSync(join(dir, "ct"), body.subarray(16));
  const openssl = await run("openssl", [
    "enc",
    "-d",
    "-aes-256-cbc",
    "-K",
    Buffer.alloc(32, 7).toString("hex"),
    "-iv",
    body.subarray(0, 16).toString("hex"),
    "-in",
    join(dir, "ct"),
  ]);
  assert.equal(openssl.code, 0, openssl.stderr);
  assert.equal(openssl.stdout, new TextDecoder().decode(plain));
});

Deno.test("encryption transformer: a value written with an older key reads back, marked stale", () => {
  const old = transformerFor(encryptionConfiguration([key("aescbckey", 1)], true));
  const rotated = transformerFor(encryptionConfiguration([key("aescbckey-2026", 2), key("aescbckey", 1)], true));
  const read = rotated.fromStorage(old.toStorage(plain, KEY), KEY);
  assert.deepEqual(read.data, plain);
  assert.equal(read.stale, true);
  const fresh = rotated.fromStorage(rotated.toStorage(plain, KEY), KEY);
  assert.equal(fresh.stale, false);
});

Deno.test("encryption transformer: plain values read through identity; identity first still reads encrypted ones", () => {
  const enabled = transformerFor(encryptionConfiguration([key("aescbckey", 3)], true));
  assert.deepEqual(enabled.fromStorage(plain, KEY), { data: plain, stale: true });
  const disabled = transformerFor(encryptionConfiguration([key("aescbckey", 3)], false));
  assert.deepEqual(disabled.toStorage(plain, KEY), plain);
  assert.deepEqual(disabled.fromStorage(enabled.toStorage(plain, KEY), KEY), { data: plain, stale: true });
});

Deno.test("encryption transformer: a value no configured key wrote is refused", () => {
  const a = transformerFor(encryptionConfiguration([key("a", 4)], true));
  const b = transformerFor({
    kind: "EncryptionConfiguration",
    apiVersion: "apiserver.config.k8s.io/v1",
    resources: [{ resources: ["secrets"], providers: [{ aescbc: { keys: [key("b", 5)] } }] }],
  });
  assert.throws(() => b.fromStorage(a.toStorage(plain, KEY), KEY), /no matching prefix found/);
});

Deno.test("encryption transformer: aesgcm binds the value to its storage key", () => {
  const t = transformerFor({
    kind: "EncryptionConfiguration",
    apiVersion: "apiserver.config.k8s.io/v1",
    resources: [{ resources: ["secrets"], providers: [{ aesgcm: { keys: [key("gcm", 6)] } }, { identity: {} }] }],
  });
  const stored = t.toStorage(plain, KEY);
  assert.ok(Buffer.from(stored).toString().startsWith("k8s:enc:aesgcm:v1:gcm:"));
  assert.deepEqual(t.fromStorage(stored, KEY).data, plain);
  assert.throws(() => t.fromStorage(stored, "/registry/secrets/default/other"), /authentication failed/);
});
