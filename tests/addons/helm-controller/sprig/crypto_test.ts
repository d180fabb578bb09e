// Sprig's hashing and password functions: digests of the UTF-8 bytes, bcrypt as x/crypto writes it (checked
// against the OpenBSD test vector), htpasswd lines, Master Password's derivePassword, and AES round trips.
import assert from "node:assert/strict";
import { call, table } from "./support.ts";
import { bcryptHash } from "../../../../addons/helm-controller/sprig/bcrypt.ts";

table("digests", [
  { name: "sha1sum", fn: "sha1sum", args: ["abc"], want: "a9993e364706816aba3e25717850c26c9cd0d89d" },
  {
    name: "sha256sum",
    fn: "sha256sum",
    args: ["abc"],
    want: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  },
  {
    name: "sha512sum",
    fn: "sha512sum",
    args: ["abc"],
    want: "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a" +
      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
  },
  { name: "adler32sum", fn: "adler32sum", args: ["abc"], want: "38600999" },
]);

table("derivePassword", [
  { name: "long", fn: "derivePassword", args: [1n, "long", "password", "user", "example.com"], want: "ZedaFaxcZaso9*" },
  {
    name: "another counter",
    fn: "derivePassword",
    args: [2n, "long", "password", "user", "example.com"],
    want: "Fovi2@JifpTupx",
  },
  {
    name: "maximum",
    fn: "derivePassword",
    args: [1n, "maximum", "password", "user", "example.com"],
    want: "pf4zS1LjCg&LjhsZ7T2~",
  },
  { name: "pin", fn: "derivePassword", args: [1n, "pin", "password", "user", "example.com"], want: "6685" },
  {
    name: "an unknown template",
    fn: "derivePassword",
    args: [1n, "huge", "p", "u", "s"],
    want: "cannot find password template huge",
  },
]);

Deno.test("bcrypt matches the OpenBSD test vector", () => {
  assert.equal(
    bcryptHash("U*U", 5, "CCCCCCCCCCCCCCCCCCCCC."),
    "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
  );
});

Deno.test("bcrypt hashes at cost 10 with a random salt, verifiable with that salt", () => {
  const hash = call("bcrypt", "abc") as string;
  assert.match(hash, /^\$2a\$10\$[./A-Za-z0-9]{53}$/);
  assert.equal(bcryptHash("abc", 10, hash.slice(7, 29)), hash);
});

Deno.test("bcrypt of a password over 72 bytes is the failure text", () => {
  assert.equal(
    call("bcrypt", "x".repeat(73)),
    "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes",
  );
});

Deno.test("htpasswd writes user:bcrypt and refuses a colon in the user", () => {
  assert.match(call("htpasswd", "myUser", "myPassword") as string, /^myUser:\$2a\$10\$/);
  assert.equal(call("htpasswd", "my:User", "x"), "invalid username: my:User");
});

Deno.test("encryptAES and decryptAES round trip", () => {
  const secret = call("encryptAES", "secretkey", "plaintext") as string;
  assert.notEqual(secret, call("encryptAES", "secretkey", "plaintext"));
  assert.equal(call("decryptAES", "secretkey", secret), "plaintext");
  assert.equal(call("encryptAES", "k", ""), "");
});

Deno.test("randBytes gives base64 of that many bytes", () => {
  assert.equal(atob(call("randBytes", 24n) as string).length, 24);
});
