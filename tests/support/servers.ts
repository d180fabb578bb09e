/**
 * Real database servers for tests and benchmarks: PostgreSQL, MariaDB and etcd, each a child process
 * listening on 127.0.0.1 with its data in a fresh temporary directory.
 *
 * ```ts
 * import { startPostgres } from "./servers.ts";
 * await using pg = await startPostgres();
 * // pg.endpoint === "postgres://kine:kine@127.0.0.1:PORT/kine?sslmode=disable"
 * await pg.restart(); // same port, same data
 * ```
 *
 * Binaries come from Debian packages; when one is missing it is installed with apt-get on first use,
 * so a fresh CI machine needs nothing but Node/npm.
 *
 * @module
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as fsp from "node:fs/promises";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import process from "node:process";

/** A database server run as a child process; see {@link startPostgres}, {@link startMariadb}, {@link startEtcd}. */
export interface TestServer {
  readonly kind: "postgres" | "mariadb" | "etcd";
  /** In K3s's `--datastore-endpoint` form, with working credentials. */
  readonly endpoint: string;
  readonly port: number;
  /** The temporary directory holding the data and `server.log`; removed by `stop()`. */
  readonly dataDir: string;
  readonly logFile: string;
  /** Starts the server again after `kill()` (same port and data); resolves once it accepts clients. */
  start(): Promise<void>;
  /** Shuts down gracefully and removes `dataDir`. Idempotent. */
  stop(): Promise<void>;
  /** Graceful shutdown followed by `start()`, keeping port and data. */
  restart(): Promise<void>;
  /** SIGKILL, like a crash; the data stays for a later `start()`. */
  kill(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** The user and password every endpoint carries. */
export const DB_USER = "kine";
export const DB_PASSWORD = "kine";
const DB_NAME = "kine";

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
const isRoot = process.getuid?.() === 0;

/**
 * Starts PostgreSQL with database `kine` owned by password user `kine` (scram-sha-256 over TCP).
 *
 * ```ts
 * const pg = await startPostgres();
 * const sql = postgres(pg.endpoint);
 * await sql`select 1`;
 * await sql.end();
 * await pg.stop();
 * ```
 */
export async function startPostgres(): Promise<TestServer> {
  const bin = await postgresBinDir();
  const dir = await makeTempDir("postgres");
  // Postgres refuses to run as root, so the directory belongs to the `postgres` system user.
  const owner = isRoot ? await systemUser("postgres") : undefined;
  if (owner) await fsp.chown(dir, owner.uid, owner.gid);
  const port = await freePort();
  const data = path.join(dir, "data");
  const asOwner = owner ? ["--reuid=postgres", "--regid=postgres", "--init-groups"] : [];
  const log = path.join(dir, "server.log");

  await run("setpriv", [
    ...asOwner,
    "--",
    path.join(bin, "initdb"),
    `--pgdata=${data}`,
    "--username=postgres",
    "--auth-local=trust",
    "--auth-host=scram-sha-256",
    "--encoding=UTF8",
    "--locale=C",
    // The directory is thrown away after the test; the server itself keeps fsync on.
    "--no-sync",
    "--no-instructions",
  ], { cwd: dir, log });

  const server = new ManagedServer({
    kind: "postgres",
    endpoint: `postgres://${DB_USER}:${DB_PASSWORD}@127.0.0.1:${port}/${DB_NAME}?sslmode=disable`,
    port,
    dir,
    command: [...asOwner, "--", path.join(bin, "postgres"), "-D", data, "-h", "127.0.0.1", "-k", dir].concat(
      ["-p", String(port), "-c", "shared_buffers=32MB", "-c", "max_connections=200"],
    ),
    // SIGTERM is "smart" shutdown, which waits for every client to disconnect; SIGINT is "fast".
    stopSignal: "SIGINT",
    ready: async () =>
      (await tryRun(path.join(bin, "pg_isready"), ["-q", "-h", "127.0.0.1", "-p", String(port)])) === 0,
  });
  await server.boot(async () => {
    await run(path.join(bin, "psql"), [
      ..."-X -q -v ON_ERROR_STOP=1 -U postgres -d postgres".split(" "),
      ...["-h", dir, "-p", String(port)],
      ...["-c", `CREATE USER ${DB_USER} PASSWORD '${DB_PASSWORD}' CREATEDB`],
      ...["-c", `CREATE DATABASE ${DB_NAME} OWNER ${DB_USER}`],
    ], { cwd: dir, log });
  });
  return server;
}

/**
 * Starts MariaDB with database `kine` and user `kine` (all privileges, password auth over TCP).
 *
 * ```ts
 * const db = await startMariadb(); // db.endpoint === "mysql://kine:kine@tcp(127.0.0.1:PORT)/kine"
 * const conn = await mysql.createConnection({ host: "127.0.0.1", port: db.port, user: "kine", password: "kine" });
 * await conn.query("select 1");
 * await conn.end();
 * await db.stop();
 * ```
 */
export async function startMariadb(): Promise<TestServer> {
  const mariadbd = await ensureBinary("mariadbd", ["/usr/sbin/mariadbd"], "mariadb-server");
  const dir = await makeTempDir("mariadb");
  const port = await freePort();
  const data = path.join(dir, "data");
  const log = path.join(dir, "server.log");
  // A small redo log and buffer pool make install and start take about a second.
  const tuning = ["--innodb-buffer-pool-size=32M", "--innodb-log-file-size=8M", "--skip-name-resolve"];
  const asRoot = isRoot ? ["--user=root"] : [];
  await run("mariadb-install-db", [
    "--no-defaults",
    `--datadir=${data}`,
    "--auth-root-authentication-method=normal",
    "--skip-test-db",
    ...asRoot,
    ...tuning,
  ], { cwd: dir, log });

  // Runs on every boot, so it must be idempotent; it completes before the server accepts clients.
  const initFile = path.join(dir, "init.sql");
  await fsp.writeFile(
    initFile,
    [
      `CREATE DATABASE IF NOT EXISTS ${DB_NAME};`,
      ...["%", "localhost"].flatMap((host) => [
        `CREATE USER IF NOT EXISTS '${DB_USER}'@'${host}' IDENTIFIED BY '${DB_PASSWORD}';`,
        `GRANT ALL PRIVILEGES ON *.* TO '${DB_USER}'@'${host}' WITH GRANT OPTION;`,
      ]),
      "",
    ].join("\n"),
  );

  const server = new ManagedServer({
    kind: "mariadb",
    endpoint: `mysql://${DB_USER}:${DB_PASSWORD}@tcp(127.0.0.1:${port})/${DB_NAME}`,
    port,
    dir,
    command: ["--", mariadbd, "--no-defaults", `--datadir=${data}`, ...asRoot, ...tuning].concat([
      `--port=${port}`,
      "--bind-address=127.0.0.1",
      "--skip-networking=0",
      `--socket=${path.join(dir, "mysqld.sock")}`,
      `--pid-file=${path.join(dir, "mysqld.pid")}`,
      `--init-file=${initFile}`,
      "--max-connections=500",
    ]),
    stopSignal: "SIGTERM",
    // Logging in proves both that the init file ran and that the endpoint's credentials work.
    ready: async () =>
      (await tryRun("mariadb", [
        ..."--no-defaults --protocol=tcp -h 127.0.0.1 --connect-timeout=2 -N -e".split(" "),
        "SELECT 1",
        ...[`-P${port}`, `-u${DB_USER}`, `-p${DB_PASSWORD}`, DB_NAME],
      ])) === 0,
  });
  await server.boot();
  return server;
}

/**
 * Starts a single-member etcd 3.4 cluster with default (durable) settings, so benchmarks compare against a
 * realistic peer.
 *
 * ```ts
 * const etcd = await startEtcd(); // etcd.endpoint === "http://127.0.0.1:PORT"
 * console.log(await (await fetch(`${etcd.endpoint}/version`)).json());
 * await etcd.stop();
 * ```
 */
export async function startEtcd(): Promise<TestServer> {
  const etcd = await ensureBinary("etcd", ["/usr/bin/etcd"], "etcd-server");
  const dir = await makeTempDir("etcd");
  const port = await freePort();
  const peerPort = await freePort();
  const client = `http://127.0.0.1:${port}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const server = new ManagedServer({
    kind: "etcd",
    endpoint: client,
    port,
    dir,
    command: ["--", etcd, "--name=default", `--data-dir=${path.join(dir, "data")}`].concat([
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=default=${peer}`,
      "--initial-cluster-state=new",
      // A lone member still waits one election timeout to lead after each (re)start; a shorter one makes
      // restarts take ~0.3s instead of ~1.5s. Ticks do not affect the write path, so benchmarks stay fair.
      "--heartbeat-interval=20",
      "--election-timeout=200",
      "--logger=zap",
      "--log-outputs=stderr",
    ]),
    stopSignal: "SIGTERM",
    ready: async () => {
      try {
        const res = await fetch(`${client}/health`, { signal: AbortSignal.timeout(2000) });
        const body = await res.json() as { health?: string };
        return res.ok && body.health === "true";
      } catch {
        return false;
      }
    },
  });
  await server.boot();
  return server;
}

interface ServerSpec {
  kind: TestServer["kind"];
  endpoint: string;
  port: number;
  dir: string;
  /** Arguments for `setpriv`, ending with `--` and the server's command line. */
  command: string[];
  stopSignal: NodeJS.Signals;
  ready: () => Promise<boolean>;
}

class ManagedServer implements TestServer {
  readonly kind: TestServer["kind"];
  readonly endpoint: string;
  readonly port: number;
  readonly dataDir: string;
  readonly logFile: string;
  #spec: ServerSpec;
  #child?: ChildProcess;
  #exited?: Promise<void>;
  #removed = false;

  constructor(spec: ServerSpec) {
    this.#spec = spec;
    this.kind = spec.kind;
    this.endpoint = spec.endpoint;
    this.port = spec.port;
    this.dataDir = spec.dir;
    this.logFile = path.join(spec.dir, "server.log");
  }

  /** First start; on failure nothing is left behind. */
  async boot(afterFirstStart?: () => Promise<void>): Promise<void> {
    try {
      await this.start();
      await afterFirstStart?.();
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  async start(): Promise<void> {
    if (this.#removed) throw new Error(`${this.kind} server was stopped and its data removed; start a new one`);
    if (this.#child) return;
    const began = Date.now();
    fs.appendFileSync(this.logFile, `--- starting ${this.kind} at ${new Date().toISOString()}\n`);
    // `exec` keeps one pid from sh through setpriv to the server, so signals reach the server itself, and
    // --pdeathsig kills it even if this process dies without running exit handlers (SIGKILL, crash).
    const child = spawn(
      "sh",
      ["-c", 'log="$1"; shift; exec "$@" >>"$log" 2>&1', "sh", this.logFile, "setpriv", "--pdeathsig=KILL"].concat(
        this.#spec.command,
      ),
      { cwd: this.dataDir, stdio: "ignore" },
    );
    // A forgotten server must not keep a script alive; the exit handler below kills it instead.
    child.unref();
    this.#child = child;
    liveChildren.add(child);
    registerExitCleanup();
    this.#exited = new Promise((resolve) => {
      child.once("exit", () => {
        liveChildren.delete(child);
        if (this.#child === child) this.#child = undefined;
        resolve();
      });
      child.once("error", () => resolve());
    });

    let exited = false;
    this.#exited.then(() => exited = true);
    while (!exited) {
      if (await this.#spec.ready()) return;
      if (Date.now() - began > READY_TIMEOUT_MS) {
        await this.kill();
        throw new Error(await this.#failure(`did not become ready within ${READY_TIMEOUT_MS / 1000}s`));
      }
      await sleep(50);
    }
    throw new Error(await this.#failure(`exited during start (code ${child.exitCode}, signal ${child.signalCode})`));
  }

  async stop(): Promise<void> {
    await this.#signalAndWait(this.#spec.stopSignal, STOP_TIMEOUT_MS);
    if (this.#removed) return;
    this.#removed = true;
    liveDirs.delete(this.dataDir);
    await fsp.rm(this.dataDir, { recursive: true, force: true, maxRetries: 5 });
  }

  async restart(): Promise<void> {
    await this.#signalAndWait(this.#spec.stopSignal, STOP_TIMEOUT_MS);
    await this.start();
  }

  async kill(): Promise<void> {
    await this.#signalAndWait("SIGKILL", STOP_TIMEOUT_MS);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  async #signalAndWait(signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
    const child = this.#child;
    if (!child) return;
    child.ref();
    child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    await this.#exited;
    clearTimeout(timer);
  }

  async #failure(what: string): Promise<string> {
    return `${this.kind} on 127.0.0.1:${this.port} ${what}; log ${this.logFile} ends with:\n${await logTail(
      this.logFile,
    )}`;
  }
}

// --- process lifetime ---------------------------------------------------------------------------------------

const liveChildren = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let exitCleanupRegistered = false;

/** Servers must never outlive the test process, or they pile up across runs. */
function registerExitCleanup(): void {
  if (exitCleanupRegistered) return;
  exitCleanupRegistered = true;
  const cleanup = () => {
    for (const child of liveChildren) child.kill("SIGKILL");
    liveChildren.clear();
    for (const dir of liveDirs) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    liveDirs.clear();
  };
  process.on("exit", cleanup);
  globalThis.addEventListener?.("unload", cleanup);
}

const TEMP_PREFIX = "k3s-test-";
const OWNER_FILE = "owner.pid";
let staleSwept = false;

async function makeTempDir(kind: string): Promise<string> {
  if (!staleSwept) {
    staleSwept = true;
    await sweepStaleDirs();
  }
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), `${TEMP_PREFIX}${kind}-`));
  liveDirs.add(dir);
  registerExitCleanup();
  await fsp.writeFile(path.join(dir, OWNER_FILE), String(process.pid));
  return dir;
}

/** A test process killed by a signal skips exit handlers; its servers die (pdeathsig) but its data stays. */
async function sweepStaleDirs(): Promise<void> {
  const names = (await fsp.readdir(os.tmpdir())).filter((n) => n.startsWith(TEMP_PREFIX));
  for (const name of names) {
    const dir = path.join(os.tmpdir(), name);
    const owner = Number(await fsp.readFile(path.join(dir, OWNER_FILE), "utf8").catch(() => "0"));
    if (owner > 0 && !processExists(owner)) await fsp.rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

// --- binaries -----------------------------------------------------------------------------------------------

async function postgresBinDir(): Promise<string> {
  const find = () => {
    const versions = fs.existsSync("/usr/lib/postgresql") ? fs.readdirSync("/usr/lib/postgresql") : [];
    const dirs = versions.sort((a, b) => Number(b) - Number(a)).map((v) => `/usr/lib/postgresql/${v}/bin`);
    return dirs.find((d) => fs.existsSync(path.join(d, "postgres")));
  };
  const found = find();
  if (found) return found;
  await aptInstall("postgresql");
  const installed = find();
  if (!installed) throw new Error("apt-get installed postgresql but no /usr/lib/postgresql/*/bin/postgres exists");
  return installed;
}

/**
 * Returns the path of `name`, installing the Debian package `pkg` with apt-get if it is absent.
 *
 * ```ts
 * const etcdctl = await ensureBinary("etcdctl", ["/usr/bin/etcdctl"], "etcd-client");
 * ```
 */
export async function ensureBinary(name: string, candidates: string[], pkg: string): Promise<string> {
  const find = () => candidates.find((p) => fs.existsSync(p));
  const found = find();
  if (found) return found;
  await aptInstall(pkg);
  const installed = find();
  if (!installed) throw new Error(`apt-get installed ${pkg} but ${name} is not at ${candidates.join(" or ")}`);
  return installed;
}

let aptUpdated: Promise<void> | undefined;
const aptInstalls = new Map<string, Promise<void>>();

function aptInstall(pkg: string): Promise<void> {
  let pending = aptInstalls.get(pkg);
  if (!pending) {
    pending = (async () => {
      console.error(`servers: ${pkg} is not installed; installing it with apt-get (once per machine)…`);
      const sudo = isRoot ? [] : ["sudo", "-n"];
      const apt = async (...args: string[]) => {
        const [cmd, ...rest] = [...sudo, "apt-get", "-o", "DPkg::Lock::Timeout=600", ...args];
        await run(cmd, rest, { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" }, timeoutMs: 900_000 });
      };
      aptUpdated ??= apt("update");
      await aptUpdated;
      await apt("install", "-y", "--no-install-recommends", pkg);
    })();
    aptInstalls.set(pkg, pending);
  }
  return pending;
}

async function systemUser(name: string): Promise<{ uid: number; gid: number }> {
  const line = (await fsp.readFile("/etc/passwd", "utf8")).split("\n").find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`system user ${name} is missing; reinstall the Debian postgresql package`);
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

// --- small helpers ------------------------------------------------------------------------------------------

/** Asks the kernel for a free port. Another process could grab it before the server binds; unlikely enough. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Where the output goes; on failure its tail is part of the error either way. */
  log?: string;
  timeoutMs?: number;
}

/** Runs a command to completion; throws with its output when it fails. */
async function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<void> {
  const result = await exec(cmd, args, opts);
  const output = result.stdout + result.stderr;
  if (opts.log) await fsp.appendFile(opts.log, `--- ${cmd} ${args.join(" ")}\n${output}`);
  if (result.code !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} failed (exit ${result.code}):\n${tailLines(output, 30)}`);
  }
}

/** Runs a command and returns only its exit code (for readiness probes). */
async function tryRun(cmd: string, args: string[]): Promise<number> {
  return (await exec(cmd, args, { timeoutMs: 5000 })).code;
}

function exec(
  cmd: string,
  args: string[],
  opts: RunOptions,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd: opts.cwd, env: opts.env, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        // A numeric code is the command's exit status; anything else (ENOENT, timeout) is a failure to run it.
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        const why = err && typeof err.code !== "number" ? `${err.message}\n` : "";
        resolve({ code, stdout: String(stdout), stderr: String(stderr) + why });
      },
    );
  });
}

async function logTail(file: string, lines = 30): Promise<string> {
  try {
    return tailLines(await fsp.readFile(file, "utf8"), lines);
  } catch (err) {
    return `(no log: ${err})`;
  }
}

function tailLines(text: string, lines: number): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
