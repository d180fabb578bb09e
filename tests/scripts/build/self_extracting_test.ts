// The self-extracting launcher (scripts/build/launcher.c), compiled for this machine and packed with small
// payloads: shell scripts standing in for the Node single-executable application it normally carries.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileLauncher, packSelfExtracting } from "../../../scripts/build/self_extracting.ts";
import { TARGETS } from "../../../scripts/build/targets.ts";

const work = mkdtempSync(join(tmpdir(), "k3s-launcher-test-"));
const host = TARGETS.find((t) => t.hostArch === Deno.build.arch)!;
let launcher: Promise<string> | undefined;

/** Compiles the launcher once for all tests of this file. */
function compiled(): Promise<string> {
  return launcher ??= compileLauncher(host, join(work, "launcher")).then(() => join(work, "launcher"));
}

/** A k3s binary whose payload is `script` (plus `tail` after its `exit`, which sh never reads). */
async function binary(
  name: string,
  script: string,
  tail: Uint8Array = new Uint8Array(),
): Promise<{ path: string; hash: string }> {
  const payload = join(work, `${name}.payload`);
  const body = new Uint8Array([...new TextEncoder().encode(`#!/bin/sh\n${script}\nexit 0\n`), ...tail]);
  writeFileSync(payload, body, { mode: 0o755 });
  const path = join(work, name);
  packSelfExtracting(await compiled(), payload, path);
  return { path, hash: createHash("sha256").update(body).digest("hex") };
}

async function run(path: string, args: string[], env: Record<string, string> = {}, cwd = work) {
  const out = await new Deno.Command(path, { args, env: { K3S_DATA_DIR: "", ...env }, cwd }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

const echo = 'for a in "$@"; do echo "$a"; done';

// A payload this small is one fixed-Huffman deflate block.
Deno.test("launcher: the first start unpacks into <data-dir>/data/<sha256>/bin/k3s and runs it with the arguments", async () => {
  const { path, hash } = await binary("echo", echo);
  const dataDir = join(work, "first");
  const { code, stdout, stderr } = await run(path, ["server", "--data-dir", dataDir, "a b"]);
  assert.equal(code, 0, stderr);
  assert.equal(stdout, `server\n--data-dir\n${dataDir}\na b\n`);
  assert.equal(stderr, `Preparing data dir ${dataDir}/data/${hash}\n`);
  const unpacked = readFileSync(`${dataDir}/data/${hash}/bin/k3s`);
  assert.equal(createHash("sha256").update(unpacked).digest("hex"), hash);
  assert.equal(readlinkSync(`${dataDir}/data/current`), `${dataDir}/data/${hash}`);
});

Deno.test("launcher: later starts run the unpacked payload without unpacking again", async () => {
  const { path } = await binary("echo", echo);
  const dataDir = join(work, "again");
  await run(path, ["-d", dataDir]);
  const { code, stdout, stderr } = await run(path, ["-d", dataDir, "--version"]);
  assert.equal(code, 0);
  assert.equal(stderr, "");
  assert.equal(stdout, `-d\n${dataDir}\n--version\n`);
});

Deno.test("launcher: the data dir comes from --data-dir=, -d=, -dDIR, a relative path, then K3S_DATA_DIR", async () => {
  const { path, hash } = await binary("echo", echo);
  const cases: [string[], Record<string, string>, string][] = [
    [[`--data-dir=${work}/eq`], {}, `${work}/eq`],
    [[`-d=${work}/short-eq`], {}, `${work}/short-eq`],
    [[`-d${work}/joined`], {}, `${work}/joined`],
    [["server", "-d", "relative"], {}, `${work}/relative`],
    [["server"], { K3S_DATA_DIR: `${work}/env` }, `${work}/env`],
    [["--data-dir", `${work}/flag`], { K3S_DATA_DIR: `${work}/not-env` }, `${work}/flag`],
  ];
  for (const [args, env, dataDir] of cases) {
    const { code } = await run(path, args, env);
    assert.equal(code, 0);
    assert.ok(existsSync(`${dataDir}/data/${hash}/bin/k3s`), `${args.join(" ")} → ${dataDir}`);
  }
  assert.ok(!existsSync(`${work}/not-env`));
});

Deno.test("launcher: a new payload becomes data/current and the one it replaces data/previous", async () => {
  const dataDir = join(work, "upgrade");
  const old = await binary("old", "echo old");
  const next = await binary("new", "echo new");
  await run(old.path, ["-d", dataDir]);
  const { stdout } = await run(next.path, ["-d", dataDir]);
  assert.equal(stdout, "new\n");
  assert.equal(readlinkSync(`${dataDir}/data/current`), `${dataDir}/data/${next.hash}`);
  assert.equal(readlinkSync(`${dataDir}/data/previous`), `${dataDir}/data/${old.hash}`);
});

Deno.test("launcher: a large payload (stored and dynamic deflate blocks) unpacks byte for byte", async () => {
  const text = new TextEncoder().encode("kind: ConfigMap\nmetadata:\n  name: x\n".repeat(100_000));
  const tail = new Uint8Array([...randomBytes(2_000_000), ...text, ...randomBytes(1000)]);
  const { path, hash } = await binary("mixed", "echo mixed", tail);
  const dataDir = join(work, "mixed-dir");
  const { code, stdout } = await run(path, ["-d", dataDir]);
  assert.equal(code, 0);
  assert.equal(stdout, "mixed\n");
  const unpacked = readFileSync(`${dataDir}/data/${hash}/bin/k3s`);
  assert.equal(createHash("sha256").update(unpacked).digest("hex"), hash);
});

Deno.test("launcher: a damaged payload is an error that leaves nothing half-unpacked", async () => {
  const { path, hash } = await binary("damaged", "echo damaged", randomBytes(100_000));
  const bytes = readFileSync(path);
  const launcherSize = readFileSync(await compiled()).length;
  bytes[launcherSize + 50_000] ^= 0xff;
  writeFileSync(path, bytes);
  const dataDir = join(work, "damaged-dir");
  const { code, stdout, stderr } = await run(path, ["-d", dataDir]);
  assert.equal(code, 1);
  assert.equal(stdout, "");
  assert.match(stderr, /^Preparing data dir .*\nk3s: extracting data: the payload /);
  assert.ok(!existsSync(`${dataDir}/data/${hash}`));
  assert.deepEqual([...Deno.readDirSync(`${dataDir}/data`)], []);
});

Deno.test("launcher: what an unpack killed half-way left behind is removed by the next unpack", async () => {
  const { path, hash } = await binary("echo", echo);
  const dataDir = join(work, "killed");
  const gone = new Deno.Command("true").spawn();
  await gone.status;
  const abandoned = `${dataDir}/data/${hash}-tmp.${gone.pid}`;
  mkdirSync(`${abandoned}/bin`, { recursive: true });
  writeFileSync(`${abandoned}/bin/k3s`, "half");
  const { code } = await run(path, ["-d", dataDir]);
  assert.equal(code, 0);
  assert.deepEqual([...Deno.readDirSync(`${dataDir}/data`)].map((e) => e.name).sort(), ["current", hash]);
});

Deno.test("launcher: a binary without its payload says so", async () => {
  const { code, stderr } = await run(await compiled(), ["-d", join(work, "none")]);
  assert.equal(code, 1);
  assert.equal(stderr, "k3s: extracting data: this k3s binary carries no payload\n");
});

globalThis.addEventListener("unload", () => rmSync(work, { recursive: true, force: true }));
