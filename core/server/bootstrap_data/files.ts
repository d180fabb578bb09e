/**
 * The files servers of one cluster must share, and their form in the datastore: K3s's `bootstrap.File` map
 * (`pkg/bootstrap/bootstrap.go`), a JSON object from a name to `{"Timestamp": <RFC 3339>, "Content": <base64>}`,
 * written as Go's `json.Encoder` writes it. Names are K3s's `ControlRuntimeBootstrap` fields where one exists.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { readFile, stat, utimes } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../../pki/atomic_write.ts";
import { TLS_FILES, tlsDir } from "../../pki/server.ts";
import { SERVICE_KEY_FILE } from "../../auth/serviceaccount/keys.ts";
import { encryptionConfigPath, encryptionStatePath } from "../../encryption/config.ts";

/** One shared file as the datastore keeps it. */
export interface BootstrapFile {
  /** When the file was last modified, in Go's RFC 3339 form (what `time.Time` encodes to). */
  timestamp: string;
  content: Uint8Array;
}

/** A shared file's place on disk. */
export interface SharedFile {
  /** The entry's name in the bootstrap data. */
  name: string;
  path: string;
  /** Permission bits it is written with (the modes the server itself creates it with). */
  mode: number;
}

/**
 * Every file a server must hold as the others do to be the same cluster: the three CAs with their keys, the
 * service-account signing key, the Secrets encryption configuration and its stage file, and the agent token
 * (`AgentToken`, ours: K3s shares the agent password through `PasswdFile`, which this server keeps in
 * `server/agent-token`).
 *
 * @example
 * ```ts
 * sharedFiles("/var/lib/rancher/k3s")[0]; // { name: "ServerCA", path: "/var/lib/rancher/k3s/server/tls/server-ca.crt", mode: 0o644 }
 * ```
 */
export function sharedFiles(dataDir: string): SharedFile[] {
  const tls = (file: string) => join(tlsDir(dataDir), file);
  return [
    { name: "ServerCA", path: tls(TLS_FILES.serverCA), mode: 0o644 },
    { name: "ServerCAKey", path: tls(TLS_FILES.serverCAKey), mode: 0o600 },
    { name: "ClientCA", path: tls(TLS_FILES.clientCA), mode: 0o644 },
    { name: "ClientCAKey", path: tls(TLS_FILES.clientCAKey), mode: 0o600 },
    { name: "RequestHeaderCA", path: tls(TLS_FILES.requestHeaderCA), mode: 0o644 },
    { name: "RequestHeaderCAKey", path: tls(TLS_FILES.requestHeaderCAKey), mode: 0o600 },
    { name: "ServiceKey", path: tls(SERVICE_KEY_FILE), mode: 0o600 },
    { name: "EncryptionConfig", path: encryptionConfigPath(dataDir), mode: 0o600 },
    { name: "EncryptionHash", path: encryptionStatePath(dataDir), mode: 0o600 },
    { name: "AgentToken", path: join(dataDir, "server", "agent-token"), mode: 0o600 },
  ];
}

/**
 * Read the shared files present under `dataDir` (K3s's `ReadFromDisk`): a missing one is left out, a symlink is
 * read through, and each carries its modification time.
 *
 * @example
 * ```ts
 * const files = await readBootstrapFiles("/var/lib/rancher/k3s");
 * files.get("ServerCA")?.timestamp; // "2026-01-02T03:04:05.123456789Z"
 * ```
 */
export async function readBootstrapFiles(dataDir: string): Promise<Map<string, BootstrapFile>> {
  const files = new Map<string, BootstrapFile>();
  for (const { name, path } of sharedFiles(dataDir)) {
    const info = await stat(path, { bigint: true }).catch((error) => {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    });
    if (!info) continue;
    files.set(name, { timestamp: goTimestamp(info.mtimeNs), content: new Uint8Array(await readFile(path)) });
  }
  return files;
}

/**
 * Write every entry of `files` this server knows to its place (K3s's `WriteToDiskFromStorage`), each stamped with
 * the modification time the datastore recorded, so the next reconcile sees them as in step.
 *
 * @example
 * ```ts
 * await writeBootstrapFiles("/var/lib/rancher/k3s", decodeBootstrapFiles(plaintext));
 * ```
 */
export async function writeBootstrapFiles(dataDir: string, files: Map<string, BootstrapFile>): Promise<string[]> {
  const written: string[] = [];
  for (const { name, path, mode } of sharedFiles(dataDir)) {
    const file = files.get(name);
    if (!file) continue;
    await writeFileAtomic(path, file.content, mode, 0o700);
    const time = Number(unixNanos(file.timestamp) / 1000n) / 1e6;
    await utimes(path, time, time);
    written.push(path);
  }
  return written;
}

/**
 * The bytes K3s stores before sealing: Go's `json.Encoder` output for the map (keys sorted, `[]byte` as base64,
 * a trailing newline).
 *
 * @example
 * ```ts
 * encodeBootstrapFiles(new Map([["ServiceKey", { timestamp: "2026-01-02T03:04:05Z", content }]]));
 * // '{"ServiceKey":{"Timestamp":"2026-01-02T03:04:05Z","Content":"LS0t…"}}\n' as bytes
 * ```
 */
export function encodeBootstrapFiles(files: Map<string, BootstrapFile>): Uint8Array {
  const ordered: Record<string, { Timestamp: string; Content: string }> = {};
  for (const name of [...files.keys()].sort()) {
    const file = files.get(name)!;
    ordered[name] = { Timestamp: file.timestamp, Content: Buffer.from(file.content).toString("base64") };
  }
  return new TextEncoder().encode(JSON.stringify(ordered) + "\n");
}

/**
 * Parse bootstrap data; throws on anything that is not K3s's `map[string]bootstrap.File`.
 *
 * @example
 * ```ts
 * decodeBootstrapFiles(decryptBootstrap(password, kv.value)).get("ServerCA")?.content;
 * ```
 */
export function decodeBootstrapFiles(data: Uint8Array): Map<string, BootstrapFile> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(data));
  } catch (error) {
    throw new Error(`bootstrap data is not JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) throw new Error("bootstrap data is not a JSON object");
  const files = new Map<string, BootstrapFile>();
  for (const [name, entry] of Object.entries(parsed)) {
    if (!isObject(entry) || typeof entry.Timestamp !== "string" || typeof entry.Content !== "string") {
      throw new Error(`bootstrap data entry ${name} is not {"Timestamp": string, "Content": base64}`);
    }
    unixNanos(entry.Timestamp); // a malformed time fails here, not halfway through writing files
    files.set(name, { timestamp: entry.Timestamp, content: new Uint8Array(Buffer.from(entry.Content, "base64")) });
  }
  return files;
}

/**
 * A time in nanoseconds since the epoch as Go's `time.Time` encodes to JSON (RFC 3339 with the fraction's trailing
 * zeros dropped), in UTC.
 *
 * @example
 * ```ts
 * goTimestamp(1767323045120000000n); // "2026-01-02T03:04:05.12Z"
 * ```
 */
export function goTimestamp(nanos: bigint): string {
  const seconds = nanos / 1_000_000_000n;
  const fraction = nanos % 1_000_000_000n;
  const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  const digits = fraction ? "." + fraction.toString().padStart(9, "0").replace(/0+$/, "") : "";
  return `${whole}${digits}Z`;
}

/**
 * Nanoseconds since the epoch of an RFC 3339 time, with any offset and up to nine fraction digits.
 *
 * @example
 * ```ts
 * unixNanos("2026-01-02T04:04:05.5+01:00"); // 1767323045500000000n
 * ```
 */
export function unixNanos(timestamp: string): bigint {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i.exec(timestamp);
  const millis = match ? Date.parse(match[1] + match[3].toUpperCase()) : NaN;
  if (!match || Number.isNaN(millis)) throw new Error(`bootstrap data timestamp ${timestamp} is not RFC 3339`);
  return BigInt(millis) * 1_000_000n + BigInt((match[2] ?? "").padEnd(9, "0"));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
