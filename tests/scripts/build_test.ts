// `deno task build` end to end: it runs once for this file, then its binaries run the way users run them,
// from a folder outside the source tree with their own data dirs.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kubectl } from "../support/k3s_process.ts";
import { ensureBinary } from "../support/servers.ts";

const root = new URL("../..", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "k3s-build-test-"));
const text = new TextDecoder();
/** The binary this machine runs natively. */
const HOST = Deno.build.arch === "aarch64" ? "arm64" : "amd64";
let built: Promise<string> | undefined;

/** Runs `deno task build` once for every test of this file; resolves to what it printed. */
function build(): Promise<string> {
  return built ??= (async () => {
    const out = await new Deno.Command(Deno.execPath(), { args: ["task", "build"], cwd: root }).output();
    assert.equal(out.code, 0, text.decode(out.stderr));
    return text.decode(out.stdout);
  })();
}

async function run(command: string, args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(command, { args, env, cwd: work }).output();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

/** `k3s server` from this machine's binary, on a free port, until its ready line; stops on SIGTERM. */
async function startServer(dataDir: string) {
  const kubeconfig = join(dataDir, "k3s.yaml");
  const child = new Deno.Command(join(root, `dist/k3s-${HOST}`), {
    args: [
      "server",
      "--data-dir",
      dataDir,
      "--https-listen-port",
      "0",
      "--bind-address",
      "127.0.0.1",
      "--write-kubeconfig",
      kubeconfig,
      "--disable-agent",
    ],
    cwd: work,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const reading = Promise.all(
    [child.stdout, child.stderr].map((stream) =>
      stream.pipeThrough(new TextDecoderStream()).pipeTo(new WritableStream({ write: (s) => void (output += s) }))
    ),
  );
  let exited = false;
  const status = child.status.finally(() => exited = true);
  const deadline = Date.now() + 60_000;
  while (!/k3s is up and running/.test(output)) {
    if (exited || Date.now() > deadline) {
      if (!exited) child.kill("SIGKILL");
      await status;
      throw new Error(`the binary's k3s server did not become ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    kubeconfig,
    output: () => output,
    async stop() {
      child.kill("SIGTERM");
      const { code } = await status;
      await reading;
      return code;
    },
  };
}

Deno.test("build: deno task build says its route and makes an amd64 and an arm64 binary under 100 MB", async () => {
  const printed = await build();
  assert.match(printed, /^route: (deno compile|Node\.js [\d.]+ single-executable application)/m);
  for (const arch of ["amd64", "arm64"]) {
    const { size } = statSync(join(root, `dist/k3s-${arch}`));
    assert.ok(size < 100_000_000, `dist/k3s-${arch} is ${size} bytes`);
    assert.match(printed, new RegExp(`^built dist/k3s-${arch}: ${(size / 1e6).toFixed(1)} MB`, "m"));
  }
});

Deno.test("build: the bundle both binaries are made of runs k3s under deno run", async () => {
  await build();
  const { code, stdout } = await run(Deno.execPath(), ["run", "-A", join(root, "dist/k3s.mjs"), "--version"]);
  assert.equal(code, 0);
  assert.match(stdout, /^k3s version v1\.32\./);
});

Deno.test("build: this machine's binary prints the release and the Kubernetes version from outside the source tree", async () => {
  await build();
  const { code, stdout } = await run(join(root, `dist/k3s-${HOST}`), ["--version"], {
    K3S_DATA_DIR: join(work, "version"),
  });
  assert.equal(code, 0);
  assert.match(stdout.split("\n")[0], /^k3s version v1\.32\.\d+\+k3sts1\b/);
});

Deno.test("build: this machine's binary serves the real kubectl, and a restart keeps the data", async () => {
  await build();
  const dataDir = join(work, "server");
  const first = await startServer(dataDir);
  try {
    assert.match(first.output(), /Preparing data dir /);
    assert.ok(existsSync(join(dataDir, "data/current/bin/k3s")), "the payload is unpacked where K3s unpacks its own");
    const created = await kubectl(first, "create", "configmap", "kept", "--from-literal=answer=42");
    assert.equal(created.code, 0, created.stderr);
    const listed = await kubectl(first, "get", "configmaps", "-o", "name");
    assert.match(listed.stdout, /^configmap\/kept$/m);
  } finally {
    assert.equal(await first.stop(), 0);
  }
  const second = await startServer(dataDir);
  try {
    assert.doesNotMatch(second.output(), /Preparing data dir/);
    const got = await kubectl(second, "get", "configmap", "kept", "-o", "jsonpath={.data.answer}");
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.stdout, "42");
  } finally {
    assert.equal(await second.stop(), 0);
  }
});

/**
 * Lets the kernel run arm64 executables through qemu-user-static, as Debian's systemd-binfmt registers it at
 * boot; this machine's init does not. Resolves to the function that undoes what it changed.
 */
async function registerQemuAarch64(): Promise<() => void> {
  const binfmt = "/proc/sys/fs/binfmt_misc";
  if (existsSync(`${binfmt}/qemu-aarch64`)) return () => {};
  const mounted = !existsSync(`${binfmt}/register`);
  if (mounted) {
    const { code } = await run("mount", ["-t", "binfmt_misc", "binfmt_misc", binfmt]);
    assert.equal(code, 0, `mounting ${binfmt} needs root`);
  }
  Deno.writeTextFileSync(`${binfmt}/register`, readFileSync("/usr/lib/binfmt.d/qemu-aarch64.conf", "utf8"));
  return () => {
    Deno.writeTextFileSync(`${binfmt}/qemu-aarch64`, "-1");
    if (mounted) new Deno.Command("umount", { args: [binfmt] }).outputSync();
  };
}

Deno.test("build: the arm64 binary prints its version under qemu-user-static", async () => {
  await build();
  await ensureBinary("qemu-aarch64-static", ["/usr/bin/qemu-aarch64-static"], "qemu-user-static");
  // Node's runtime links glibc and libstdc++ dynamically: Debian's arm64 cross packages hold them.
  const libs = "/usr/aarch64-linux-gnu";
  await ensureBinary("arm64 glibc", [`${libs}/lib/ld-linux-aarch64.so.1`], "libc6-arm64-cross");
  await ensureBinary("arm64 libstdc++", [`${libs}/lib/libstdc++.so.6`], "libstdc++6-arm64-cross");
  const unregister = await registerQemuAarch64();
  try {
    const { code, stdout, stderr } = await run(join(root, "dist/k3s-arm64"), ["--version"], {
      K3S_DATA_DIR: join(work, "arm64"),
      QEMU_LD_PREFIX: libs,
    });
    assert.equal(code, 0, stderr);
    assert.match(stdout.split("\n")[0], /^k3s version v1\.32\.\d+\+k3sts1\b/);
  } finally {
    unregister();
  }
});

Deno.test("build: install.sh installs the built binary for this machine, which runs from the bin dir", async () => {
  await build();
  const installRoot = join(work, "root");
  const install = await run("sh", [join(root, "scripts/install.sh")], {
    INSTALL_K3S_ROOT: installRoot,
    INSTALL_K3S_BINARY: join(root, "dist"),
    INSTALL_K3S_SKIP_START: "true",
  });
  assert.equal(install.code, 0, install.stderr);
  const installed = join(installRoot, "usr/local/bin/k3s");
  assert.deepEqual(readFileSync(installed), readFileSync(join(root, `dist/k3s-${HOST}`)));
  const { code, stdout } = await run(installed, ["--version"], {
    K3S_DATA_DIR: join(installRoot, "var/lib/rancher/k3s"),
  });
  assert.equal(code, 0);
  assert.match(stdout, /^k3s version v1\.32\./);
});

globalThis.addEventListener("unload", () => rmSync(work, { recursive: true, force: true }));
