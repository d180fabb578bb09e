/**
 * The cluster's bootstrap data — CAs and keys, the service-account key, the Secrets encryption configuration and
 * the agent token — shared between servers through the datastore, sealed with the server token, as K3s shares it
 * for "HA with an external datastore".
 *
 * @example
 * ```ts
 * import { loadBootstrapData, saveBootstrapData } from "./core/server/bootstrap_data/mod.ts";
 * const loaded = await loadBootstrapData({ store, dataDir, token });
 * // … make certificates, tokens and keys …
 * if (loaded.save) await saveBootstrapData({ store, dataDir, token });
 * ```
 *
 * @module
 */
export { BOOTSTRAP_PREFIX, decryptBootstrap, encryptBootstrap, keyHash, storageKey } from "./encrypt.ts";
export {
  type BootstrapFile,
  decodeBootstrapFiles,
  encodeBootstrapFiles,
  goTimestamp,
  readBootstrapFiles,
  type SharedFile,
  sharedFiles,
  unixNanos,
  writeBootstrapFiles,
} from "./files.ts";
export { reconcileBootstrapFiles, type ReconcileResult, SYSTEM_TIME_SKEW } from "./reconcile.ts";
export {
  type BootstrapDataOptions,
  bootstrapPassword,
  DIFFERENT_TOKEN_MESSAGE,
  loadBootstrapData,
  type LoadedBootstrapData,
  saveBootstrapData,
} from "./storage.ts";
