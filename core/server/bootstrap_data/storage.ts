/**
 * The cluster's bootstrap data in the datastore (K3s's `pkg/cluster/storage.go`), which is how servers sharing an
 * external datastore become one cluster: the first server saves its CAs, keys and shared configuration sealed with
 * the server password; every later start — its own restarts and other servers joining with that token — loads and
 * reconciles them before making any certificate. The empty key a starting server creates is K3s's lock: it says
 * "this server is making the data", so two first servers do not each make a CA.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { ConflictError, KeyExistsError, KeyNotFoundError, type KeyValue, type Store } from "../../../datastore/mod.ts";
import { parseToken } from "../../auth/server_token.ts";
import { BOOTSTRAP_PREFIX, decryptBootstrap, encryptBootstrap, storageKey } from "./encrypt.ts";
import { decodeBootstrapFiles, encodeBootstrapFiles, readBootstrapFiles } from "./files.ts";
import { reconcileBootstrapFiles } from "./reconcile.ts";

/** K3s's error when the datastore's data is sealed with another server password. */
export const DIFFERENT_TOKEN_MESSAGE = "bootstrap data already found and encrypted with different token";

/** How many one-second checks a server waits on another server's lock before taking it over (K3s's count). */
const MAX_LOCK_WAIT_ATTEMPTS = 5;
const LOCK_POLL_MS = 1000;

/** Where the data is and which token seals it. */
export interface BootstrapDataOptions {
  store: Store;
  dataDir: string;
  /** `--token` / `K3S_TOKEN`; without it the password of `<data-dir>/server/token` is used. */
  token?: string;
  log?: (line: string) => void;
  /** Stops waiting on another server's lock. */
  signal?: AbortSignal;
}

/** What {@link loadBootstrapData} found. */
export interface LoadedBootstrapData {
  /** Whether this server makes the cluster's data and must {@link saveBootstrapData} once it has (K3s's `saveBootstrap`). */
  save: boolean;
  /** Shared files written from the datastore. */
  written: string[];
}

/**
 * The password that seals the data (K3s's `normalizeToken`): `--token`'s, else the one in `<data-dir>/server/token`,
 * else none — a fresh server that will make its own.
 *
 * @example
 * ```ts
 * await bootstrapPassword("/var/lib/rancher/k3s", "K10" + "ab".repeat(32) + "::server:secret"); // "secret"
 * ```
 */
export async function bootstrapPassword(dataDir: string, token?: string): Promise<string | undefined> {
  const text = token?.trim() || await readServerToken(dataDir);
  if (!text) return undefined;
  try {
    const parsed = parseToken(text);
    return parsed.password ?? parsed.bootstrapToken;
  } catch (error) {
    throw new Error(
      `failed to normalize token; must be in format K10<CA-HASH>::<USERNAME>:<PASSWORD> or <PASSWORD>: ${
        (error as Error).message
      }`,
    );
  }
}

/**
 * Before a server makes its certificates (K3s's `storageBootstrap`): with a token whose data is stored, decrypt it
 * and reconcile the shared files on disk; with no data yet, take the lock so this server makes it; with data under
 * another token only, fail with K3s's message. Nothing on disk changes when it throws.
 *
 * @example
 * ```ts
 * const loaded = await loadBootstrapData({ store, dataDir, token: options.token, log });
 * await ensureServerCertificates({ dataDir });
 * if (loaded.save) await saveBootstrapData({ store, dataDir, token: options.token, log });
 * ```
 */
export async function loadBootstrapData(options: BootstrapDataOptions): Promise<LoadedBootstrapData> {
  const { store, log = () => {} } = options;
  const password = await bootstrapPassword(options.dataDir, options.token);
  if (password === undefined) {
    // K3s would make new CAs and fail only when saving; failing now leaves no stray CA to clean up.
    if ((await store.list(BOOTSTRAP_PREFIX, { limit: 1 })).kvs.length) throw differentToken();
    return { save: true, written: [] };
  }
  const key = storageKey(password);
  for (let attempts = 1;; attempts++) {
    const current = await findBootstrapKey(store, password);
    if (!current) {
      try {
        await store.create(key, new Uint8Array());
        log("Bootstrap key locked for initial create");
        return { save: true, written: [] };
      } catch (error) {
        if (!(error instanceof KeyExistsError)) throw error;
        log("Bootstrap key already locked - waiting for data to be populated by another server");
      }
    } else if (current.value.length === 0) {
      if (attempts >= MAX_LOCK_WAIT_ATTEMPTS) {
        // The server holding the lock most likely died before saving; take the lock over.
        log("Bootstrap key lock timed out - deleting lock and retrying");
        attempts = 0;
        await store.delete(key, current.modRevision).catch(ignoreRace);
      } else {
        log("Bootstrap key is locked - waiting for data to be populated by another server");
      }
    } else {
      const files = decodeBootstrapFiles(open(password, current));
      const { written } = await reconcileBootstrapFiles(options.dataDir, files, log);
      return { save: false, written };
    }
    await delay(LOCK_POLL_MS, undefined, { signal: options.signal });
  }
}

/**
 * Seal the shared files on disk into the datastore (K3s's `cluster.Save`): created when absent or only locked;
 * replaced when `override` is set — after the files changed at run time — and otherwise left as stored.
 *
 * @example
 * ```ts
 * await saveBootstrapData({ store, dataDir, token: options.token, override: true }); // after a key rotation
 * ```
 */
export async function saveBootstrapData(options: BootstrapDataOptions & { override?: boolean }): Promise<void> {
  const { store, log = () => {} } = options;
  log("Saving cluster bootstrap data to datastore");
  const password = await bootstrapPassword(options.dataDir, options.token);
  if (password === undefined) {
    throw new Error(`no server token to seal the bootstrap data with: ${join(options.dataDir, "server", "token")}`);
  }
  const data = encryptBootstrap(password, encodeBootstrapFiles(await readBootstrapFiles(options.dataDir)));
  const key = storageKey(password);
  let current = await findBootstrapKey(store, password);
  let override = options.override ?? false;
  if (current?.value.length === 0) {
    log("Bootstrap key lock is held");
    override = true;
  }
  if (!current) {
    try {
      await store.create(key, data);
      return;
    } catch (error) {
      if (!(error instanceof KeyExistsError)) throw error;
      current = (await store.get(key)).kv;
    }
  }
  if (!override) {
    log("Bootstrap key already exists");
    return;
  }
  if (!current) throw new Error(`bootstrap key ${key} was deleted while it was saved`);
  await store.update(key, data, current.modRevision);
}

/**
 * The stored data of `password` (K3s's `getBootstrapKeyFromStorage`): undefined when there is none at all; throws
 * K3s's message when only other passwords' data is stored.
 */
async function findBootstrapKey(store: Store, password: string): Promise<KeyValue | undefined> {
  const { kvs } = await store.list(BOOTSTRAP_PREFIX);
  if (!kvs.length) return undefined;
  const key = storageKey(password);
  const mine = kvs.find((kv) => kv.key === key);
  if (!mine) throw differentToken();
  return mine;
}

function open(password: string, kv: KeyValue): Uint8Array {
  try {
    return decryptBootstrap(password, kv.value);
  } catch (error) {
    throw new Error(
      `cannot decrypt the bootstrap data at ${kv.key} with this server token (${(error as Error).message}): ` +
        "start the server with the cluster's token (--token or K3S_TOKEN)",
    );
  }
}

function differentToken(): Error {
  return new Error(
    `${DIFFERENT_TOKEN_MESSAGE}: start this server with the cluster's token (--token or K3S_TOKEN; ` +
      "an existing server keeps it in <data-dir>/server/token)",
  );
}

/** Another server changed or removed the lock first: the next round sees what it did. */
function ignoreRace(error: unknown): void {
  if (!(error instanceof ConflictError || error instanceof KeyNotFoundError)) throw error;
}

async function readServerToken(dataDir: string): Promise<string | undefined> {
  try {
    return (await readFile(join(dataDir, "server", "token"), "utf8")).trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
