// scripts/install.sh into temporary roots (INSTALL_K3S_ROOT), as K3s's get.k3s.io script installs: the files
// it writes, an agent install, the download route, and uninstalling back to the root it found. The binary
// installed is a small stand-in script (the built binary's install is in build_test.ts).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const script = new URL("../../scripts/install.sh", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "k3s-install-test-"));
const ARCH = Deno.build.arch === "aarch64" ? "arm64" : "amd64";
const STAND_IN = '#!/bin/sh\necho "stand-in $(basename "$0") $*"\n';
const binary = join(work, `k3s-${ARCH}`);
writeFileSync(binary, STAND_IN, { mode: 0o755 });

/** A fresh root with the folders a Debian system has, plus `files` (path → content, executable). */
function newRoot(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(work, "root-"));
  for (const dir of ["usr/local/bin", "usr/bin", "etc/systemd/system", "var/lib"]) {
    mkdirSync(join(root, dir), { recursive: true });
  }
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), content, { mode: 0o755 });
  }
  return root;
}

async function install(root: string, env: Record<string, string> = {}, args: string[] = []) {
  const out = await new Deno.Command("sh", {
    args: [script, ...args],
    env: { INSTALL_K3S_ROOT: root, INSTALL_K3S_BINARY: binary, INSTALL_K3S_SKIP_START: "true", ...env },
    cwd: work,
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

async function installed(root: string, env: Record<string, string> = {}, args: string[] = []): Promise<string> {
  const { code, stdout, stderr } = await install(root, env, args);
  assert.equal(code, 0, stderr);
  return stdout;
}

/** Every path under `root`, folders with a trailing slash and symlinks with their target. */
function tree(root: string, dir = root): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    const rel = relative(root, path);
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return [`${rel} -> ${readlinkSync(path)}`];
    return stat.isDirectory() ? [`${rel}/`, ...tree(root, path)] : [rel];
  });
}

async function uninstall(root: string, name = "k3s-uninstall.sh"): Promise<void> {
  const out = await new Deno.Command(join(root, "usr/local/bin", name), { stderr: "piped" }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
}

const read = (root: string, path: string) => readFileSync(join(root, path), "utf8");

Deno.test("install: a server writes the binary, links for missing tools, the unit, its env file and both scripts", async () => {
  const root = newRoot({ "usr/bin/kubectl": "#!/bin/sh\n" });
  const stdout = await installed(root, { K3S_TOKEN: "secret", K3S_NODE_NAME: "n1", HTTPS_PROXY: "http://proxy:3128" });
  assert.equal(read(root, "usr/local/bin/k3s"), STAND_IN);
  assert.equal(statSync(join(root, "usr/local/bin/k3s")).mode & 0o777, 0o755);
  assert.deepEqual(tree(root, join(root, "usr/local/bin")), [
    "usr/local/bin/crictl -> k3s",
    "usr/local/bin/ctr -> k3s",
    "usr/local/bin/k3s",
    "usr/local/bin/k3s-killall.sh",
    "usr/local/bin/k3s-uninstall.sh",
  ]);
  assert.match(
    stdout,
    new RegExp(`Skipping .*/kubectl symlink to k3s, command exists in PATH at ${root}/usr/bin/kubectl`),
  );
  const unit = read(root, "etc/systemd/system/k3s.service");
  assert.match(unit, /^\[Unit\]\nDescription=Lightweight Kubernetes\n/);
  assert.match(unit, /\nType=exec\n/);
  assert.match(unit, new RegExp(`\nEnvironmentFile=-${root}/etc/systemd/system/k3s.service.env\n`));
  assert.match(unit, new RegExp(`\nExecStart=${root}/usr/local/bin/k3s \\\\\n    server \\\\\n\n$`));
  const env = read(root, "etc/systemd/system/k3s.service.env");
  assert.deepEqual(env.trim().split("\n").sort(), [
    "HTTPS_PROXY='http://proxy:3128'",
    "K3S_NODE_NAME='n1'",
    "K3S_TOKEN='secret'",
  ]);
  assert.equal(statSync(join(root, "etc/systemd/system/k3s.service.env")).mode & 0o777, 0o600);
  assert.match(stdout, /Skipping enabling k3s: installed into INSTALL_K3S_ROOT/);
  for (const name of ["k3s-killall.sh", "k3s-uninstall.sh"]) {
    const path = join(root, "usr/local/bin", name);
    assert.equal(statSync(path).mode & 0o777, 0o755);
    assert.equal((await new Deno.Command("sh", { args: ["-n", path] }).output()).code, 0, `${name} parses`);
  }
});

Deno.test("install: INSTALL_K3S_EXEC's words then the script's arguments make the exec line, one quoted per line", async () => {
  const root = newRoot();
  await installed(root, { INSTALL_K3S_EXEC: "--disable=traefik --node-label 'tier=front end'" }, ["--tls-san", "it's"]);
  const unit = read(root, "etc/systemd/system/k3s.service");
  const exec = unit.slice(unit.indexOf("ExecStart="));
  assert.equal(
    exec,
    `ExecStart=${root}/usr/local/bin/k3s \\\n    server \\\n\t'--disable=traefik' \\\n\t'--node-label' \\\n` +
      `\t'tier=front end' \\\n\t'--tls-san' \\\n\t'it'\\''s' \\\n\n`,
  );
});

Deno.test("install: K3S_URL and K3S_TOKEN install an agent, with its own unit, env file and uninstall script", async () => {
  const root = newRoot();
  await installed(root, { K3S_URL: "https://10.0.0.1:6443", K3S_TOKEN: "K10abc::server:pw" });
  const unit = read(root, "etc/systemd/system/k3s-agent.service");
  assert.match(unit, new RegExp(`\nExecStart=${root}/usr/local/bin/k3s \\\\\n    agent \\\\\n\n$`));
  const env = read(root, "etc/systemd/system/k3s-agent.service.env").trim().split("\n").sort();
  assert.deepEqual(env, ["K3S_TOKEN='K10abc::server:pw'", "K3S_URL='https://10.0.0.1:6443'"]);
  assert.ok(existsSync(join(root, "usr/local/bin/k3s-agent-uninstall.sh")));
  assert.ok(!existsSync(join(root, "etc/systemd/system/k3s.service")));
});

Deno.test("install: K3S_URL without a token, or not https://, is refused as K3s refuses it", async () => {
  const noToken = await install(newRoot(), { K3S_URL: "https://10.0.0.1:6443" });
  assert.equal(noToken.code, 1);
  assert.match(noToken.stderr, /because K3S_URL is defined, but K3S_TOKEN or K3S_TOKEN_FILE is not defined/);
  const http = await install(newRoot(), { K3S_URL: "http://10.0.0.1:6443", K3S_TOKEN: "t" });
  assert.equal(http.code, 1);
  assert.match(http.stderr, /Only https:\/\/ URLs are supported for K3S_URL \(have http:\/\/10\.0\.0\.1:6443\)/);
});

Deno.test("install: INSTALL_K3S_SYMLINK=skip makes no links; force links over tools already installed", async () => {
  const skipped = newRoot();
  await installed(skipped, { INSTALL_K3S_SYMLINK: "skip" });
  assert.deepEqual(tree(skipped, join(skipped, "usr/local/bin")).filter((p) => p.includes("->")), []);
  const forced = newRoot({ "usr/bin/kubectl": "#!/bin/sh\n", "usr/local/bin/crictl": "#!/bin/sh\n" });
  await installed(forced, { INSTALL_K3S_SYMLINK: "force" });
  for (const cmd of ["kubectl", "crictl", "ctr"]) assert.equal(readlinkSync(join(forced, "usr/local/bin", cmd)), "k3s");
});

Deno.test("install: INSTALL_K3S_BIN_DIR, INSTALL_K3S_SYSTEMD_DIR and INSTALL_K3S_NAME place and name the files", async () => {
  const root = newRoot();
  await installed(root, {
    INSTALL_K3S_BIN_DIR: "/opt/k3s/bin",
    INSTALL_K3S_SYSTEMD_DIR: "/lib/systemd/system",
    INSTALL_K3S_NAME: "edge",
  });
  for (const path of ["opt/k3s/bin/k3s", "opt/k3s/bin/k3s-edge-uninstall.sh", "opt/k3s/bin/k3s-killall.sh"]) {
    assert.ok(existsSync(join(root, path)), path);
  }
  const unit = read(root, "lib/systemd/system/k3s-edge.service");
  assert.match(unit, new RegExp(`\nEnvironmentFile=-${root}/lib/systemd/system/k3s-edge.service.env\n`));
  assert.match(unit, new RegExp(`\nExecStart=${root}/opt/k3s/bin/k3s \\\\\n    server \\\\\n`));
});

Deno.test("install: an OpenRC system gets an init script, its env file in /etc/rancher/k3s and a logrotate entry", async () => {
  const root = newRoot({ "sbin/openrc-run": "#!/bin/sh\n" });
  await installed(root, { K3S_TOKEN: "t" }, ["--disable=traefik"]);
  const init = read(root, "etc/init.d/k3s");
  assert.match(init, /^#!\/sbin\/openrc-run\n/);
  assert.match(init, new RegExp(`\ncommand="${root}/usr/local/bin/k3s"\n`));
  assert.match(init, /\ncommand_args="server \\\n\t'--disable=traefik' \\\n {4}>>.*\/var\/log\/k3s.log 2>&1"\n/);
  assert.equal(read(root, "etc/rancher/k3s/k3s.env"), "K3S_TOKEN='t'\n");
  assert.match(read(root, "etc/logrotate.d/k3s"), new RegExp(`^${root}/var/log/k3s.log \\{\n`));
  assert.ok(!existsSync(join(root, "etc/systemd/system/k3s.service")));
});

Deno.test("install: uninstall removes what the install and the server wrote, leaving the root as it was", async () => {
  for (const openrc of [false, true]) {
    const root = newRoot(openrc ? { "sbin/openrc-run": "#!/bin/sh\n" } : {});
    // An OpenRC system has these folders before k3s arrives.
    if (openrc) { for (const dir of ["etc/init.d", "etc/logrotate.d"]) mkdirSync(join(root, dir)); }
    const before = tree(root);
    await installed(root, { K3S_TOKEN: "t" });
    // What a running server adds: its data dir with the unpacked binary, and the admin kubeconfig.
    for (
      const path of [
        "var/lib/rancher/k3s/data/abc/bin/k3s",
        "var/lib/rancher/k3s/server/db/state.db",
        "etc/rancher/k3s/k3s.yaml",
      ]
    ) {
      mkdirSync(join(root, path, ".."), { recursive: true });
      writeFileSync(join(root, path), "x");
    }
    await uninstall(root);
    assert.deepEqual(tree(root), before);
  }
});

Deno.test("install: with a server and an agent installed, uninstalling one keeps the binary for the other", async () => {
  const root = newRoot();
  await installed(root);
  await installed(root, { K3S_URL: "https://10.0.0.1:6443", K3S_TOKEN: "t", INSTALL_K3S_NAME: "agent" });
  await uninstall(root, "k3s-agent-uninstall.sh");
  assert.ok(!existsSync(join(root, "etc/systemd/system/k3s-agent.service")));
  assert.ok(existsSync(join(root, "usr/local/bin/k3s")));
  assert.ok(existsSync(join(root, "etc/systemd/system/k3s.service")));
  await uninstall(root);
  assert.ok(!existsSync(join(root, "usr/local/bin/k3s")));
});

Deno.test("install: INSTALL_K3S_URL downloads k3s-<arch> checked against sha256sum-<arch>.txt", async () => {
  const body = new TextEncoder().encode(STAND_IN.replace("stand-in", "downloaded"));
  let sum = createHash("sha256").update(body).digest("hex");
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    // The same release folder as INSTALL_K3S_URL names it and as GITHUB_URL/download/<version> does.
    const path = new URL(request.url).pathname.replace(/^\/download/, "");
    if (path === `/v1.32.4+k3sts1/sha256sum-${ARCH}.txt`) return new Response(`${sum}  k3s-${ARCH}\n`);
    if (path === `/v1.32.4+k3sts1/k3s-${ARCH}`) return new Response(body);
    return new Response("not found", { status: 404 });
  });
  try {
    const base = `http://127.0.0.1:${server.addr.port}`;
    const root = newRoot();
    const stdout = await installed(root, { INSTALL_K3S_BINARY: "", INSTALL_K3S_URL: `${base}/v1.32.4+k3sts1` });
    assert.match(stdout, /Verifying binary download/);
    assert.equal(read(root, "usr/local/bin/k3s"), STAND_IN.replace("stand-in", "downloaded"));
    const again = await installed(root, {
      INSTALL_K3S_BINARY: "",
      GITHUB_URL: base,
      INSTALL_K3S_VERSION: "v1.32.4+k3sts1",
    });
    assert.match(again, /Skipping binary downloaded, installed k3s matches hash/);

    sum = "0".repeat(64);
    const bad = await install(newRoot(), { INSTALL_K3S_BINARY: "", INSTALL_K3S_URL: `${base}/v1.32.4+k3sts1` });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, new RegExp(`Download sha256 does not match ${sum}, got `));
  } finally {
    await server.shutdown();
  }
});

Deno.test("install: a local binary for another architecture is refused", async () => {
  // An ELF header: 64-bit little-endian, e_machine at byte 18 (0x3e x86-64, 0xb7 AArch64).
  const elf = new Uint8Array(64);
  elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  elf[18] = ARCH === "amd64" ? 0xb7 : 0x3e;
  const other = join(work, "k3s-other");
  writeFileSync(other, elf);
  chmodSync(other, 0o755);
  const { code, stderr } = await install(newRoot(), { INSTALL_K3S_BINARY: other });
  assert.equal(code, 1);
  assert.match(
    stderr,
    new RegExp(`k3s-other is a binary for ${ARCH === "amd64" ? "arm64" : "amd64"}; this machine is ${ARCH}`),
  );
});

Deno.test("install: nothing to install is an error that names the variables to set", async () => {
  const { code, stderr } = await install(newRoot(), { INSTALL_K3S_BINARY: "" });
  assert.equal(code, 1);
  assert.match(
    stderr,
    /Nothing to install: set INSTALL_K3S_BINARY, INSTALL_K3S_URL, or GITHUB_URL and INSTALL_K3S_VERSION/,
  );
});

globalThis.addEventListener("unload", () => rmSync(work, { recursive: true, force: true }));
