/**
 * containerd as the agent's supervised child, as K3s runs it: the generated config, `-c -a --state
 * --root` on the command line, output appended to `containerd.log`, and ready once CRI answers. Unlike
 * K3s, which exits when containerd dies (leaving the restart to systemd), the supervisor starts it again
 * with exponential back-off through the operator framework's work queue; running containers survive,
 * since their shims do. Stopping sends SIGTERM, then SIGKILL after a grace period.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, fstatSync, mkdirSync, openSync, readSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import process from "node:process";
import { ExponentialBackoff, type RateLimiter, WorkQueue } from "../../core/operator/workqueue.ts";
import { CNI_BIN_DIRS } from "../check_config.ts";
import { findContainerd } from "./binary.ts";
import {
  canLowerOomScore,
  type CgroupDriver,
  containerdConfig,
  DEFAULT_PAUSE_IMAGE,
  DEFAULT_STREAM_SERVER_PORT,
  detectCgroupDriver,
} from "./config.ts";
import { stopLeftover } from "./leftover.ts";
import { type ContainerdPaths, containerdPaths } from "./paths.ts";
import { waitForRuntime } from "./ready.ts";
import type { ContainerRuntime } from "./runtime.ts";

/** Options of {@linkcode startContainerd}. */
export interface ContainerdOptions {
  /** K3s's `--data-dir`. */
  dataDir: string;
  /** Where containerd's state and socket go (default `/run/k3s/containerd`). */
  runDir?: string;
  /** The containerd executable (default: the one on PATH). */
  binary?: string;
  /** `--pause-image` (default `rancher/mirrored-pause:3.6`). */
  pauseImage?: string;
  /** Where the CNI plugins are (default: Debian's `/usr/lib/cni`, else `/opt/cni/bin`). */
  cniBinDir?: string;
  /** The CRI streaming server's port (default 10010; 0 picks a free one). */
  streamServerPort?: number;
  /** Default: systemd's when systemd runs, else cgroupfs. */
  cgroupDriver?: CgroupDriver;
  /** How long one start may take until CRI answers (default 60 s). */
  readyTimeoutMs?: number;
  /** How long containerd gets to exit after SIGTERM before SIGKILL (default 10 s). */
  stopTimeoutMs?: number;
  /** Delays between restarts (default 1 s doubling to 30 s; reset after a minute of running). */
  restartBackoff?: RateLimiter;
  /** Progress lines (default: the console). */
  log?: (line: string) => void;
  /** Stops containerd when aborted. */
  signal?: AbortSignal;
}

/** The work queue's one key: there is one containerd to keep running. */
const KEY = "containerd";

/** After running this long, a crash counts as a new problem and the back-off starts over. */
const STABLE_AFTER_MS = 60_000;

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

/** The last lines containerd wrote to its log since `offset`, to explain a failed start. */
function logTail(path: string, offset: number, lines = 15): string {
  try {
    const fd = openSync(path, "r");
    try {
      const size = fstatSync(fd).size;
      const start = Math.max(offset, size - 16 * 1024);
      const buffer = Buffer.alloc(size - start);
      readSync(fd, buffer, 0, buffer.length, start);
      const text = buffer.toString("utf8").trimEnd().split("\n").slice(-lines).join("\n");
      return text ? `\ncontainerd's last log lines (${path}):\n${text}` : "";
    } finally {
      closeSync(fd);
    }
  } catch {
    return "";
  }
}

/**
 * A running, supervised containerd. Build it with {@linkcode startContainerd}.
 *
 * @example
 * ```ts
 * await using containerd = await startContainerd({ dataDir: "/var/lib/rancher/k3s" });
 * new CriClient(containerd.address);
 * ```
 */
export class ContainerdSupervisor implements ContainerRuntime {
  readonly paths: ContainerdPaths;
  readonly binary: string;
  /** How many times containerd was started again after dying. */
  restarts = 0;
  readonly #options: ContainerdOptions;
  readonly #log: (line: string) => void;
  readonly #backoff: RateLimiter;
  readonly #queue: WorkQueue;
  readonly #stop = new AbortController();
  #child?: ChildProcess;
  #exited: Promise<void> = Promise.resolve();
  #running = false;
  #startedAt = 0;
  #waiters: { resolve(): void; reject(error: Error): void }[] = [];
  #worker: Promise<void> = Promise.resolve();
  #stopped?: Promise<void>;

  constructor(options: ContainerdOptions) {
    this.#options = options;
    this.#log = options.log ?? ((line) => console.log(line));
    this.paths = containerdPaths(options.dataDir, options.runDir);
    this.binary = findContainerd(options.binary);
    this.#backoff = options.restartBackoff ?? new ExponentialBackoff(1_000, 30_000);
    this.#queue = new WorkQueue(this.#backoff);
  }

  /** The CRI socket. */
  get address(): string {
    return this.paths.address;
  }

  /** The running containerd's process ID. */
  get pid(): number | undefined {
    return this.#running ? this.#child?.pid : undefined;
  }

  /** Write the config and start containerd; resolves once CRI answers, rejects (with its log) if it cannot. */
  async start(): Promise<void> {
    const { paths } = this;
    for (const dir of [dirname(paths.config), paths.root, paths.state, paths.cniConfDir]) {
      mkdirSync(dir, { recursive: true });
    }
    writeFileSync(paths.config, containerdConfig(this.#settings()));
    await stopLeftover(paths.pidFile, paths.config, this.#log);
    this.#options.signal?.addEventListener("abort", () => this.stop(), { once: true });
    await this.#launch();
    this.#worker = this.#work();
  }

  ready(): Promise<void> {
    if (this.#stopped) return Promise.reject(new Error("containerd is stopped"));
    if (this.#running) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Stop containerd (SIGTERM, then SIGKILL) and the restarts; idempotent. */
  stop(): Promise<void> {
    this.#stopped ??= this.#shutdown();
    return this.#stopped;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  #settings() {
    const options = this.#options;
    return {
      optDir: this.paths.root,
      pauseImage: options.pauseImage ?? DEFAULT_PAUSE_IMAGE,
      cniBinDir: options.cniBinDir ?? CNI_BIN_DIRS[0],
      cniConfDir: this.paths.cniConfDir,
      streamServerPort: options.streamServerPort ?? DEFAULT_STREAM_SERVER_PORT,
      cgroupDriver: options.cgroupDriver ?? detectCgroupDriver(),
      restrictOomScoreAdj: !canLowerOomScore(),
    };
  }

  /** Spawn containerd and wait until CRI answers; on failure the child is gone and the error carries its log. */
  async #launch(): Promise<void> {
    const { paths } = this;
    const args = ["-c", paths.config, "-a", paths.address, "--state", paths.state, "--root", paths.root];
    if (process.env.CONTAINERD_LOG_LEVEL) args.push("-l", process.env.CONTAINERD_LOG_LEVEL);
    // containerd is not a systemd service here; it must not answer systemd's notifications for the agent.
    const env = { ...process.env };
    delete env.NOTIFY_SOCKET;
    const logFd = openSync(paths.log, "a");
    const logOffset = fstatSync(logFd).size;
    this.#log(`Running containerd ${args.join(" ")}`);
    let child: ChildProcess;
    try {
      child = spawn(this.binary, args, { stdio: ["ignore", logFd, logFd], env });
    } finally {
      closeSync(logFd);
    }
    let ended: string | undefined;
    this.#child = child;
    this.#exited = new Promise<void>((resolve) => {
      child.once("exit", (code, signal) => {
        ended = describeExit(code, signal);
        resolve();
        this.#onExit(child, ended);
      });
      // A spawn failure (the binary vanished) comes as "error" without "exit".
      child.once("error", (error) => {
        if (ended) return;
        ended = error.message;
        resolve();
        this.#onExit(child, ended);
      });
    });
    if (child.pid) writeFileSync(paths.pidFile, `${child.pid}\n`);
    try {
      await waitForRuntime(paths.address, {
        deadline: Date.now() + (this.#options.readyTimeoutMs ?? 60_000),
        signal: this.#stop.signal,
        gone: () => ended && `containerd exited during start-up (${ended})`,
      });
    } catch (error) {
      if (!ended && !this.#stop.signal.aborted) {
        child.kill("SIGKILL");
        await this.#exited;
      }
      throw new Error(`${(error as Error).message}${logTail(paths.log, logOffset)}`, { cause: error });
    }
    this.#running = true;
    this.#startedAt = Date.now();
    this.#log(`Containerd is now running (pid ${child.pid}, socket ${paths.address}, log ${paths.log})`);
    for (const waiter of this.#waiters.splice(0)) waiter.resolve();
  }

  #onExit(child: ChildProcess, how: string): void {
    if (child !== this.#child) return;
    const wasRunning = this.#running;
    this.#running = false;
    rmSync(this.paths.pidFile, { force: true });
    // A failed start is reported by #launch's caller; a stop is expected.
    if (!wasRunning || this.#stop.signal.aborted) return;
    const ranMs = Date.now() - this.#startedAt;
    if (ranMs >= STABLE_AFTER_MS) this.#backoff.forget(KEY);
    const delay = this.#backoff.when(KEY);
    this.#log(
      `containerd exited unexpectedly (${how}) after ${(ranMs / 1000).toFixed(1)}s; restarting in ${delay / 1000}s`,
    );
    this.#queue.addAfter(KEY, delay);
  }

  /** The restart loop: each key taken from the queue is one attempt to bring containerd back. */
  async #work(): Promise<void> {
    while (true) {
      const key = await this.#queue.get();
      if (key === undefined) return;
      try {
        await this.#launch();
        this.restarts++;
      } catch (error) {
        if (!this.#stop.signal.aborted) {
          const delay = this.#backoff.when(KEY);
          this.#log(`containerd did not start: ${(error as Error).message}\nretrying in ${delay / 1000}s`);
          this.#queue.addAfter(KEY, delay);
        }
      } finally {
        this.#queue.done(key);
      }
    }
  }

  async #shutdown(): Promise<void> {
    this.#stop.abort();
    this.#queue.shutDown();
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new Error("containerd is stopped"));
    const child = this.#child;
    if (child && child.exitCode === null && child.signalCode === null) {
      this.#log(`Stopping containerd (pid ${child.pid})`);
      child.kill("SIGTERM");
      const timeoutMs = this.#options.stopTimeoutMs ?? 10_000;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(true), timeoutMs));
      if (await Promise.race([this.#exited.then(() => false), timedOut])) {
        this.#log(`containerd did not exit within ${timeoutMs / 1000}s of SIGTERM; killing it`);
        child.kill("SIGKILL");
      }
      clearTimeout(timer);
      await this.#exited;
    }
    await this.#worker;
    rmSync(this.paths.pidFile, { force: true });
  }
}

/**
 * Start the agent's containerd and keep it running until stopped: restarted with back-off whenever it
 * dies. Rejects with a clear error when containerd or runc is missing, or the first start fails.
 *
 * @example
 * ```ts
 * const containerd = await startContainerd({ dataDir: "/var/lib/rancher/k3s", pauseImage: "rancher/mirrored-pause:3.6" });
 * // … containerd.address is the CRI socket
 * await containerd.stop();
 * ```
 */
export async function startContainerd(options: ContainerdOptions): Promise<ContainerdSupervisor> {
  const supervisor = new ContainerdSupervisor(options);
  await supervisor.start();
  return supervisor;
}
