/**
 * The encryption configuration K3s keeps for kube-apiserver: `<data-dir>/server/cred/encryption-config.json`
 * (kube's `EncryptionConfiguration`, Secrets only, AES-CBC keys plus the identity provider) and
 * `encryption-state.json` (`<stage>-<sha256 of the config file>`, the rotation stage K3s also puts on the
 * server's Node). Written byte for byte as Go's `json.Marshal` writes them, since the hash covers the bytes.
 *
 * @module
 */
import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../pki/atomic_write.ts";

/** One named key; `secret` is the base64 of the raw key bytes. */
export interface EncryptionKey {
  name: string;
  secret: string;
}

/** One provider entry; exactly one field is set. */
export interface ProviderConfiguration {
  aesgcm?: { keys: EncryptionKey[] };
  aescbc?: { keys: EncryptionKey[] };
  secretbox?: { keys: EncryptionKey[] };
  identity?: Record<string, never>;
  kms?: Record<string, unknown>;
}

/** `apiserver.config.k8s.io/v1` EncryptionConfiguration. */
export interface EncryptionConfiguration {
  kind: "EncryptionConfiguration";
  apiVersion: "apiserver.config.k8s.io/v1";
  resources: { resources: string[]; providers: ProviderConfiguration[] }[];
}

/** K3s's rotation stages, in the order a manual rotation walks them. */
export type EncryptionStage =
  | "start"
  | "prepare"
  | "rotate"
  | "reencrypt_request"
  | "reencrypt_active"
  | "reencrypt_finished";

/** The stage file's content, split. */
export interface EncryptionState {
  stage: EncryptionStage;
  /** sha256 (hex) of the configuration file the stage was reached with. */
  hash: string;
}

/** Key length K3s generates: 32 bytes, AES-256. */
export const KEY_SIZE = 32;

/**
 * `<data-dir>/server/cred/encryption-config.json`.
 *
 * @example
 * ```ts
 * encryptionConfigPath("/var/lib/rancher/k3s"); // "/var/lib/rancher/k3s/server/cred/encryption-config.json"
 * ```
 */
export function encryptionConfigPath(dataDir: string): string {
  return join(dataDir, "server", "cred", "encryption-config.json");
}

/**
 * `<data-dir>/server/cred/encryption-state.json`.
 *
 * @example
 * ```ts
 * encryptionStatePath("/var/lib/rancher/k3s"); // "/var/lib/rancher/k3s/server/cred/encryption-state.json"
 * ```
 */
export function encryptionStatePath(dataDir: string): string {
  return join(dataDir, "server", "cred", "encryption-state.json");
}

/**
 * A fresh random AES key named `name`.
 *
 * @example
 * ```ts
 * newEncryptionKey("aescbckey"); // { name: "aescbckey", secret: "3q2+7w…=" }
 * ```
 */
export function newEncryptionKey(name: string): EncryptionKey {
  return { name, secret: randomBytes(KEY_SIZE).toString("base64") };
}

/**
 * The name K3s gives a key added by `prepare` or `rotate-keys`: `aescbckey-<RFC 3339 time>`.
 *
 * @example
 * ```ts
 * rotationKeyName(new Date("2026-01-02T03:04:05.678Z")); // "aescbckey-2026-01-02T03:04:05Z"
 * ```
 */
export function rotationKeyName(now: Date = new Date()): string {
  return `aescbckey-${now.toISOString().replace(/\.\d{3}Z$/, "Z")}`;
}

/**
 * The configuration K3s writes: AES-CBC first when enabled (new Secrets are encrypted, plain ones still
 * read through identity), identity first when disabled (new Secrets are plain, encrypted ones still read).
 *
 * @example
 * ```ts
 * encryptionConfiguration([newEncryptionKey("aescbckey")], true).resources[0].providers; // [{ aescbc }, { identity }]
 * ```
 */
export function encryptionConfiguration(keys: EncryptionKey[], enable: boolean): EncryptionConfiguration {
  const aescbc: ProviderConfiguration = { aescbc: { keys } };
  const identity: ProviderConfiguration = { identity: {} };
  return {
    kind: "EncryptionConfiguration",
    apiVersion: "apiserver.config.k8s.io/v1",
    resources: [{ resources: ["secrets"], providers: enable ? [aescbc, identity] : [identity, aescbc] }],
  };
}

/**
 * The providers of the Secrets entry of a configuration; throws when there is none.
 *
 * @example
 * ```ts
 * secretProviders(config)[0].aescbc?.keys[0].name; // "aescbckey"
 * ```
 */
export function secretProviders(config: EncryptionConfiguration): ProviderConfiguration[] {
  const entry = config.resources?.find((r) => r.resources?.includes("secrets"));
  if (!entry?.providers?.length) throw new Error("encryption configuration has no providers for secrets");
  return entry.providers;
}

/**
 * The AES-CBC keys of a configuration in order (the first one encrypts while AES-CBC leads); throws on
 * provider kinds K3s does not manage, as `GetEncryptionKeys` does.
 *
 * @example
 * ```ts
 * aescbcKeys(config).map((k) => k.name); // ["aescbckey-2026-01-02T03:04:05Z", "aescbckey"]
 * ```
 */
export function aescbcKeys(config: EncryptionConfiguration): EncryptionKey[] {
  const providers = secretProviders(config);
  if (providers.length > 2) throw new Error(`more than 2 providers (${providers.length}) found in secrets encryption`);
  if (providers.some((p) => p.aesgcm || p.kms || p.secretbox)) throw new Error("non-standard encryption keys found");
  return providers.flatMap((p) => p.aescbc?.keys ?? []);
}

/**
 * Whether AES-CBC leads (encryption on), identity leads (off), or neither shape K3s writes.
 *
 * @example
 * ```ts
 * encryptionEnabled(encryptionConfiguration(keys, true)); // true
 * ```
 */
export function encryptionEnabled(config: EncryptionConfiguration): boolean | undefined {
  const providers = secretProviders(config);
  const first = providers[0];
  const last = providers[providers.length - 1];
  if (last.identity && (first.aescbc || first.secretbox)) return true;
  if (first.identity && (providers[1]?.aescbc || providers[1]?.secretbox)) return false;
  return undefined;
}

/**
 * The file's bytes for a configuration, as Go's `json.Marshal` orders the fields.
 *
 * @example
 * ```ts
 * encodeEncryptionConfiguration(config); // '{"kind":"EncryptionConfiguration","apiVersion":…}'
 * ```
 */
export function encodeEncryptionConfiguration(config: EncryptionConfiguration): string {
  const ordered = {
    kind: config.kind,
    apiVersion: config.apiVersion,
    resources: config.resources.map((r) => ({
      resources: r.resources,
      providers: r.providers.map((p) => ({
        aesgcm: orderedKeys(p.aesgcm),
        aescbc: orderedKeys(p.aescbc),
        secretbox: orderedKeys(p.secretbox),
        identity: p.identity,
        kms: p.kms,
      })),
    })),
  };
  return JSON.stringify(ordered);
}

function orderedKeys(provider: { keys: EncryptionKey[] } | undefined): { keys: EncryptionKey[] } | undefined {
  return provider && { keys: (provider.keys ?? []).map(({ name, secret }) => ({ name, secret })) };
}

/**
 * sha256 (hex) of a configuration file's bytes: the hash in the stage file.
 *
 * @example
 * ```ts
 * configHash(encodeEncryptionConfiguration(config)); // "9f86d0…"
 * ```
 */
export function configHash(bytes: string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * The configuration file's text, or undefined when there is none.
 *
 * @example
 * ```ts
 * const text = await readConfigText(dataDir);
 * ```
 */
export async function readConfigText(dataDir: string): Promise<string | undefined> {
  try {
    return await readFile(encryptionConfigPath(dataDir), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * The configuration in `<data-dir>`, or undefined when there is no file.
 *
 * @example
 * ```ts
 * const config = await readEncryptionConfiguration(dataDir);
 * ```
 */
export async function readEncryptionConfiguration(dataDir: string): Promise<EncryptionConfiguration | undefined> {
  const text = await readConfigText(dataDir);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as EncryptionConfiguration;
  } catch (error) {
    throw new Error(`${encryptionConfigPath(dataDir)}: ${(error as Error).message}`);
  }
}

/**
 * Write the configuration (mode 0600); resolves to the new file's hash.
 *
 * @example
 * ```ts
 * const hash = await writeEncryptionConfiguration(dataDir, encryptionConfiguration(keys, true));
 * ```
 */
export async function writeEncryptionConfiguration(dataDir: string, config: EncryptionConfiguration): Promise<string> {
  const text = encodeEncryptionConfiguration(config);
  await writeFileAtomic(encryptionConfigPath(dataDir), text, 0o600, 0o700);
  return configHash(text);
}

/**
 * The stage file, or undefined when there is none (or it does not read as `<stage>-<hash>`).
 *
 * @example
 * ```ts
 * await readEncryptionState(dataDir); // { stage: "start", hash: "9f86d0…" }
 * ```
 */
export async function readEncryptionState(dataDir: string): Promise<EncryptionState | undefined> {
  let text: string;
  try {
    text = await readFile(encryptionStatePath(dataDir), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const match = /^([a-z_]+)-([0-9a-f]+)$/.exec(text.trim());
  return match ? { stage: match[1] as EncryptionStage, hash: match[2] } : undefined;
}

/**
 * Write the stage file (mode 0600).
 *
 * @example
 * ```ts
 * await writeEncryptionState(dataDir, { stage: "prepare", hash });
 * ```
 */
export async function writeEncryptionState(dataDir: string, state: EncryptionState): Promise<void> {
  await writeFileAtomic(encryptionStatePath(dataDir), `${state.stage}-${state.hash}`, 0o600, 0o700);
}

/**
 * What `--secrets-encryption` does at start (K3s's `genEncryptionConfigAndState`): a configuration with one
 * new AES-CBC key named `aescbckey` and identity as fallback when none exists, and the stage file at
 * `start` when it is missing. An existing configuration is kept as it is.
 *
 * @example
 * ```ts
 * const created = await ensureEncryptionConfig("/var/lib/rancher/k3s"); // true on first start
 * ```
 */
export async function ensureEncryptionConfig(dataDir: string): Promise<boolean> {
  const existing = await readConfigText(dataDir);
  if (existing?.length) {
    if (!await readEncryptionState(dataDir)) {
      await writeEncryptionState(dataDir, { stage: "start", hash: configHash(existing) });
    }
    return false;
  }
  const hash = await writeEncryptionConfiguration(
    dataDir,
    encryptionConfiguration([newEncryptionKey("aescbckey")], true),
  );
  await writeEncryptionState(dataDir, { stage: "start", hash });
  return true;
}
