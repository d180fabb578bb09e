/**
 * Secrets encryption at rest (`--secrets-encryption`, `k3s secrets-encrypt`): kube's EncryptionConfiguration
 * and value transformers, a Store wrapper that keeps Secrets encrypted in the datastore, K3s's rotation
 * stages, its `/v1-k3s/encrypt/*` endpoints and the CLI that calls them.
 *
 * @example
 * ```ts
 * import { encryptingStore, encryptionHandler, SecretsEncryption } from "./core/encryption/mod.ts";
 * const encryption = await SecretsEncryption.load({ dataDir, enabled: true, store });
 * const rest = new Rest(encryptingStore(store, encryption), strategy);
 * ```
 *
 * @module
 */
export {
  aescbcKeys,
  encryptionConfigPath,
  type EncryptionConfiguration,
  encryptionConfiguration,
  type EncryptionKey,
  type EncryptionStage,
  encryptionStatePath,
  readEncryptionConfiguration,
  readEncryptionState,
} from "./config.ts";
export { identityTransformer, transformerFor, type ValueTransformer } from "./transformer.ts";
export { encryptingStore, SECRETS_PREFIX, type TransformerSource } from "./store.ts";
export { reencryptSecrets } from "./reencrypt.ts";
export {
  type EncryptionRequest,
  EncryptionRequestError,
  type EncryptionStatus,
  SecretsEncryption,
  type SecretsEncryptionOptions,
} from "./secrets_encryption.ts";
export { ENCRYPT_CONFIG_PATH, ENCRYPT_STATUS_PATH, encryptionHandler } from "./handler.ts";
export { secretsEncryptCommand, statusText } from "./cli.ts";
