/**
 * Data dirs holding what a server makes at its first start (CAs, token, service-account key, optionally the
 * encryption configuration), made by the server's own functions, and a SQLite datastore to share them through.
 *
 * ```ts
 * await using cluster = await bootstrapFixture();
 * const dataDir = await cluster.server({ token: "pw" });
 * ```
 *
 * @module
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Store } from "../../../../datastore/mod.ts";
import { ensureServerToken } from "../../../../core/auth/server_token.ts";
import { ensureServiceAccountKey } from "../../../../core/auth/serviceaccount/mod.ts";
import { ensureServerCertificates } from "../../../../core/pki/mod.ts";
import { SecretsEncryption } from "../../../../core/encryption/mod.ts";

/** A datastore and the data dirs of the servers sharing it; all removed on dispose. */
export interface BootstrapFixture {
  store: Store;
  /** A fresh, empty data dir. */
  dataDir(): string;
  /** Make a server's first-start files in `dataDir` (a fresh one by default); resolves to the dir. */
  server(options?: { dataDir?: string; token?: string; agentToken?: string; encryption?: boolean }): Promise<string>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * A fresh SQLite datastore and a place for data dirs.
 *
 * ```ts
 * await using fixture = await bootstrapFixture();
 * ```
 */
export async function bootstrapFixture(): Promise<BootstrapFixture> {
  const root = mkdtempSync(join(tmpdir(), "k3s-bootstrap-"));
  const store = await openStore("", { defaultSqlitePath: join(root, "state.db") });
  let count = 0;
  const dataDir = () => mkdtempSync(join(root, `server-${count++}-`));
  return {
    store,
    dataDir,
    async server(options = {}) {
      const dir = options.dataDir ?? dataDir();
      await ensureServerCertificates({ dataDir: dir });
      await ensureServerToken({ dataDir: dir, token: options.token, agentToken: options.agentToken });
      await ensureServiceAccountKey(dir);
      await SecretsEncryption.load({ dataDir: dir, enabled: options.encryption ?? false, store });
      return dir;
    },
    async [Symbol.asyncDispose]() {
      await store.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Every file under `<dataDir>/server` with its bytes and modification time, to show what a call changed.
 *
 * ```ts
 * const before = snapshot(dataDir);
 * assert.deepEqual(snapshot(dataDir), before);
 * ```
 */
export function snapshot(dataDir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(path, `${statSync(path).mtimeMs} ${readFileSync(path, "base64")}`);
    }
  };
  walk(join(dataDir, "server"));
  return files;
}
