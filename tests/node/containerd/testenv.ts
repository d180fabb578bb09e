/**
 * What the container runtime tests share: root check, Debian's containerd, runc and CNI plugins (installed
 * with apt-get on first use), the test images from `scripts/test-images` (built once per machine and
 * script version), a supervised containerd in a fresh directory, and pod sandboxes that are cleaned up.
 *
 * ```ts
 * Deno.test({ name: "…", ignore: !RUNTIME_TESTS, fn: () => withContainerd(async ({ containerd, cri }) => { … }) });
 * ```
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { type ContainerdOptions, type ContainerdSupervisor, startContainerd } from "../../../node/containerd/mod.ts";
import { CriClient, isNotFound, type PodSandboxConfig } from "../../../node/cri/mod.ts";
import { ctrImport, findCtr } from "../../../node/images/mod.ts";
import { ensureBinary } from "../../support/servers.ts";

const repo = new URL("../../..", import.meta.url).pathname;

/** containerd runs containers only as root; the runtime tests are skipped (and say so) otherwise. */
export const RUNTIME_TESTS = process.getuid?.() === 0;

/**
 * Say once, in a test file's output, why its runtime tests are ignored.
 *
 * @example
 * ```ts
 * explainSkip("tests/node/cri");
 * ```
 */
export function explainSkip(what: string): void {
  if (!RUNTIME_TESTS) console.warn(`${what}: skipping the containerd tests: they must run as root`);
}

let packages: Promise<void> | undefined;

/** containerd, runc and the CNI plugins from Debian, installed on first use. */
export function ensureRuntimePackages(): Promise<void> {
  packages ??= (async () => {
    await ensureBinary("containerd", ["/usr/bin/containerd"], "containerd");
    await ensureBinary("runc", ["/usr/sbin/runc", "/usr/bin/runc"], "runc");
    await ensureBinary("CNI bridge plugin", ["/usr/lib/cni/bridge"], "containernetworking-plugins");
  })();
  return packages;
}

let images: string | undefined;

/**
 * The directory holding `busybox.tar` and `pause.tar` from `scripts/test-images`, built once per machine
 * for each version of the script (the output is deterministic, so a cached build is the same bytes).
 *
 * @example
 * ```ts
 * const dir = testImages(); // …/busybox.tar, …/pause.tar
 * ```
 */
export function testImages(): string {
  if (images) return images;
  const script = join(repo, "scripts", "test-images");
  const version = createHash("sha256").update(readFileSync(script)).digest("hex").slice(0, 12);
  const dir = join(tmpdir(), `k3s-test-images-${version}`);
  if (!existsSync(join(dir, "busybox.tar")) || !existsSync(join(dir, "pause.tar"))) {
    execFileSync(script, [dir], { stdio: ["ignore", "inherit", "inherit"] });
  }
  images = dir;
  return dir;
}

/** What a runtime test gets. */
export interface RuntimeEnv {
  /** The test's data directory (K3s's `--data-dir`). */
  dataDir: string;
  containerd: ContainerdSupervisor;
  cri: CriClient;
  /** Lines the supervisor logged. */
  log: string[];
}

/**
 * Run `fn` against a supervised containerd in a fresh data directory, with its state and socket under it
 * and the streaming server on a free port; afterwards every sandbox is removed, containerd stopped and the
 * directory deleted.
 *
 * @example
 * ```ts
 * await withContainerd(async ({ cri }) => assert.equal((await cri.version()).runtime_name, "containerd"));
 * ```
 */
export async function withContainerd(
  fn: (env: RuntimeEnv) => Promise<void>,
  options: Partial<ContainerdOptions> = {},
): Promise<void> {
  await ensureRuntimePackages();
  const dataDir = mkdtempSync(join(tmpdir(), "k3s-containerd-"));
  const log: string[] = [];
  const containerd = await startContainerd({
    dataDir,
    runDir: join(dataDir, "run"),
    streamServerPort: 0,
    log: (line) => log.push(line),
    ...options,
  });
  const cri = new CriClient(containerd.address);
  try {
    await fn({ dataDir, containerd, cri, log });
  } finally {
    try {
      await containerd.ready();
      for (const sandbox of await cri.listPodSandbox()) {
        await cri.stopPodSandbox(sandbox.id);
        await cri.removePodSandbox(sandbox.id);
      }
    } finally {
      cri.close();
      await containerd.stop();
      removeCgroups();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

/**
 * Import the test images into the runtime at `address` (as the agent's importer does).
 *
 * @example
 * ```ts
 * await importTestImages(containerd.address);
 * ```
 */
export async function importTestImages(address: string): Promise<void> {
  for (const file of ["pause.tar", "busybox.tar"]) {
    await ctrImport({ ctr: findCtr(), address, tar: createReadStream(join(testImages(), file)) });
  }
}

/** The cgroup parent test sandboxes use; containerd leaves the parent directories behind, so tests remove them. */
export const TEST_CGROUP_PARENT = "/k3s-ts-test";

/** Remove the (empty) test cgroups from every hierarchy; what is still busy is left for the next run. */
function removeCgroups(): void {
  const base = "/sys/fs/cgroup";
  const hierarchies = existsSync(base) ? readdirSync(base).map((name) => join(base, name)) : [];
  for (const root of [base, ...hierarchies]) {
    const parent = join(root, TEST_CGROUP_PARENT);
    if (!existsSync(parent)) continue;
    const pods = readdirSync(parent, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    for (const dir of [...pods.map((pod) => join(parent, pod.name)), parent]) {
      try {
        rmdirSync(dir);
      } catch {
        // busy: a process of a sandbox that outlived its test
      }
    }
  }
}

/**
 * A host-network pod sandbox's config (no CNI needed), logging under the data directory.
 *
 * @example
 * ```ts
 * const config = sandboxConfig(dataDir, "echo");
 * const id = await cri.runPodSandbox(config);
 * ```
 */
export function sandboxConfig(dataDir: string, name: string): PodSandboxConfig {
  const uid = crypto.randomUUID();
  const logDirectory = join(dataDir, "pods", `default_${name}_${uid}`);
  mkdirSync(logDirectory, { recursive: true });
  return {
    // A kubelet gives only pods with their own network a hostname: the host's UTS namespace keeps its own.
    metadata: { name, namespace: "default", uid, attempt: 0 },
    log_directory: logDirectory,
    labels: { "io.kubernetes.pod.name": name },
    linux: {
      cgroup_parent: `${TEST_CGROUP_PARENT}/pod${uid}`,
      security_context: { namespace_options: { network: "NODE", pid: "CONTAINER", ipc: "POD" } },
    },
  };
}

/**
 * Wait until `check` holds (polling every 50 ms, for up to 30 s).
 *
 * @example
 * ```ts
 * await eventually(async () => (await cri.containerStatus(id)).status?.state === "CONTAINER_EXITED", "exited");
 * ```
 */
export async function eventually(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await Promise.resolve().then(check).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`not reached in time: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether the container with `id` is gone from the runtime. */
export async function containerGone(cri: CriClient, id: string): Promise<boolean> {
  try {
    await cri.containerStatus(id);
    return false;
  } catch (error) {
    if (isNotFound(error)) return true;
    throw error;
  }
}
