/**
 * The server side of `--secrets-encryption` and `k3s secrets-encrypt`: the transformer the datastore wrapper
 * uses (reloaded whenever the configuration changes, as K3s runs kube-apiserver with automatic reload), the
 * status K3s reports, and the rotation stages with K3s's checks — `prepare` adds a key, `rotate` makes it the
 * writing key, `reencrypt` rewrites every Secret with it and drops the old key, `rotate-keys` does all three.
 * Old keys stay readable until the rewrite is done, so nothing is lost across a rotation.
 *
 * @module
 */
import { hostname } from "node:os";
import type { Store } from "../../datastore/mod.ts";
import {
  aescbcKeys,
  configHash,
  type EncryptionConfiguration,
  encryptionConfiguration,
  encryptionEnabled,
  type EncryptionStage,
  ensureEncryptionConfig,
  newEncryptionKey,
  readConfigText,
  readEncryptionState,
  rotationKeyName,
  secretProviders,
  writeEncryptionConfiguration,
  writeEncryptionState,
} from "./config.ts";
import { reencryptSecrets } from "./reencrypt.ts";
import type { TransformerSource } from "./store.ts";
import { identityTransformer, transformerFor, type ValueTransformer } from "./transformer.ts";

/** K3s's `EncryptionState`, the JSON of `/v1-k3s/encrypt/status`. */
export interface EncryptionStatus {
  stage: string;
  activekey: string;
  enable?: boolean;
  hashmatch?: boolean;
  hasherror?: string;
  inactivekeys?: string[];
}

/** K3s's `EncryptionRequest`, the JSON body of `PUT /v1-k3s/encrypt/config`. */
export interface EncryptionRequest {
  stage?: string;
  enable?: boolean;
  force?: boolean;
  skip?: boolean;
}

/** Options of {@linkcode SecretsEncryption.load}. */
export interface SecretsEncryptionOptions {
  dataDir: string;
  /** `--secrets-encryption`: without it nothing is encrypted and only `status` answers. */
  enabled: boolean;
  /** The raw datastore (below the encryption wrapper), for re-encryption. */
  store: Store;
  /** Progress lines (key changes, re-encryption counts). */
  log?: (line: string) => void;
  /** The node name in messages (default: the host name, as K3s's node name). */
  nodeName?: string;
  /** The clock new key names are made from. */
  now?: () => Date;
  /**
   * Called after each stage wrote the configuration: the server shares it through the datastore then, so other
   * servers take the new keys on their next start.
   */
  onWrite?: () => Promise<void>;
}

/** A rotation request refused (wrong stage, bad hash, unknown stage): the CLI shows its message. */
export class EncryptionRequestError extends Error {
  override name = "EncryptionRequestError";
}

/**
 * Secrets encryption of one server.
 *
 * @example
 * ```ts
 * const encryption = await SecretsEncryption.load({ dataDir, enabled: true, store });
 * const rest = new Rest(encryptingStore(store, encryption), strategy);
 * await encryption.request({ stage: "rotate_keys" });
 * ```
 */
export class SecretsEncryption implements TransformerSource {
  #transformer: ValueTransformer = identityTransformer;
  /** `reencrypt_active` while a rewrite runs; K3s keeps that stage on the Node only, never in the file. */
  #activeStage?: EncryptionStage;
  /** Requests run one at a time: each reads, changes and writes the configuration. */
  #queue: Promise<unknown> = Promise.resolve();
  readonly #log: (line: string) => void;
  readonly #nodeName: string;
  readonly #now: () => Date;

  private constructor(readonly options: SecretsEncryptionOptions) {
    this.#log = options.log ?? (() => {});
    this.#nodeName = options.nodeName ?? hostname().toLowerCase();
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Set up encryption for a starting server: with `enabled`, create the configuration and stage file when
   * missing (K3s's first start) and load the transformer they describe.
   *
   * @example
   * ```ts
   * const encryption = await SecretsEncryption.load({ dataDir: "/var/lib/rancher/k3s", enabled: true, store });
   * ```
   */
  static async load(options: SecretsEncryptionOptions): Promise<SecretsEncryption> {
    const encryption = new SecretsEncryption(options);
    if (options.enabled) {
      if (await ensureEncryptionConfig(options.dataDir)) encryption.#log("Generated secrets encryption configuration");
      await encryption.#reload();
    }
    return encryption;
  }

  /** The transformer Secrets are written and read with now. */
  get transformer(): ValueTransformer {
    return this.#transformer;
  }

  /**
   * What `k3s secrets-encrypt status` shows.
   *
   * @example
   * ```ts
   * (await encryption.status()).stage; // "start"
   * ```
   */
  async status(): Promise<EncryptionStatus> {
    const text = await readConfigText(this.options.dataDir);
    if (text === undefined) return { stage: "", activekey: "" };
    const config = JSON.parse(text) as EncryptionConfiguration;
    const status: EncryptionStatus = { stage: "", activekey: "" };
    status.enable = this.options.enabled && encryptionEnabled(config) === true;
    const state = await readEncryptionState(this.options.dataDir);
    if (state && state.hash !== configHash(text)) {
      status.hashmatch = false;
      status.hasherror = `invalid hash: ${state.hash} found on node ${this.#nodeName}`;
    } else {
      status.hashmatch = true;
    }
    status.stage = this.#activeStage ?? state?.stage ?? "";
    let active = true;
    for (const provider of secretProviders(config)) {
      for (const key of provider.aescbc?.keys ?? []) {
        const name = `AES-CBC ${key.name}`;
        if (active) status.activekey = name;
        else (status.inactivekeys ??= []).push(name);
        active = false;
      }
      if (provider.identity) active = false;
    }
    return status;
  }

  /**
   * Carry out a `PUT /v1-k3s/encrypt/config` request; throws {@linkcode EncryptionRequestError} when K3s
   * would refuse it.
   *
   * @example
   * ```ts
   * await encryption.request({ stage: "prepare" });
   * await encryption.request({ enable: false });
   * ```
   */
  request(request: EncryptionRequest): Promise<void> {
    const run = this.#queue.then(() => this.#apply(request));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #apply(request: EncryptionRequest): Promise<void> {
    if (!this.options.enabled) {
      throw new EncryptionRequestError(
        "secrets encryption is not enabled on this server: start it with --secrets-encryption",
      );
    }
    if (request.stage !== undefined) {
      switch (request.stage) {
        case "prepare":
          return await this.#prepare(request.force ?? false);
        case "rotate":
          return await this.#rotate(request.force ?? false);
        case "rotate_keys":
          return await this.#rotateKeys();
        case "reencrypt_active":
          return await this.#reencrypt(request.force ?? false, request.skip ?? false);
        default:
          throw new EncryptionRequestError(`unknown stage ${request.stage} requested`);
      }
    }
    if (request.enable !== undefined) await this.#enable(request.enable);
  }

  async #prepare(force: boolean): Promise<void> {
    if (!force) await this.#verifyStage("start-reencrypt_finished");
    const keys = aescbcKeys(await this.#config());
    const added = newEncryptionKey(rotationKeyName(this.#now()));
    this.#log(`Adding secrets-encryption key: ${added.name}`);
    await this.#write([...keys, added], true, "prepare");
  }

  async #rotate(force: boolean): Promise<void> {
    if (!force) await this.#verifyStage("prepare");
    const keys = aescbcKeys(await this.#config());
    await this.#write(rightRotate(keys), true, "rotate");
    this.#log("Encryption aescbc keys right rotated");
  }

  async #reencrypt(force: boolean, skip: boolean): Promise<void> {
    if (!force) await this.#verifyStage("rotate");
    await this.#reencryptAndRemoveKey(skip);
  }

  async #rotateKeys(): Promise<void> {
    await this.#verifyStage("start-reencrypt_finished");
    this.#activeStage = "reencrypt_active";
    try {
      const keys = aescbcKeys(await this.#config());
      const added = newEncryptionKey(rotationKeyName(this.#now()));
      this.#log(`Rotating secrets-encryption aescbc keys: adding ${added.name}`);
      await this.#write(rightRotate([...keys, added]), true, undefined);
    } catch (error) {
      this.#activeStage = undefined;
      throw error;
    }
    await this.#reencryptAndRemoveKey(false);
  }

  async #enable(enable: boolean): Promise<void> {
    const config = await this.#config();
    const enabled = encryptionEnabled(config);
    if (enabled === undefined) {
      throw new EncryptionRequestError("unable to enable/disable secrets encryption, unknown configuration");
    }
    if (enabled === enable) {
      this.#log(`Secrets encryption already ${enable ? "enabled" : "disabled"}`);
      return;
    }
    this.#log(`${enable ? "Enabling" : "Disabling"} secrets encryption`);
    await this.#write(aescbcKeys(config), enable, undefined);
    // Rewrite every Secret the new way; the keys stay, so the stage does not move.
    await this.#reencryptAndRemoveKey(true);
  }

  /** Rewrite all Secrets with the writing key, then (unless `skip`) drop the last, now unused, key. */
  async #reencryptAndRemoveKey(skip: boolean): Promise<void> {
    this.#activeStage = "reencrypt_active";
    try {
      const count = await reencryptSecrets(this.options.store, this, {
        onProgress: (n) => this.#log(`reencrypted ${n} secrets`),
      });
      this.#log(`reencrypted ${count} secrets`);
      if (skip) return;
      const keys = aescbcKeys(await this.#config());
      const removed = keys.pop();
      if (removed) this.#log(`Removing aescbc key: ${removed.name}`);
      await this.#write(keys, true, "reencrypt_finished");
    } finally {
      this.#activeStage = undefined;
    }
  }

  /**
   * Write the configuration, move the stage (or keep it, re-hashed, when `stage` is undefined) and start
   * using the new keys at once.
   */
  async #write(keys: ReturnType<typeof aescbcKeys>, enable: boolean, stage: EncryptionStage | undefined) {
    const config = encryptionConfiguration(keys, enable);
    const hash = await writeEncryptionConfiguration(this.options.dataDir, config);
    const previous = await readEncryptionState(this.options.dataDir);
    await writeEncryptionState(this.options.dataDir, { stage: stage ?? previous?.stage ?? "start", hash });
    this.#transformer = transformerFor(config);
    await this.options.onWrite?.();
  }

  async #reload(): Promise<void> {
    this.#transformer = transformerFor(await this.#config());
  }

  async #config(): Promise<EncryptionConfiguration> {
    const text = await readConfigText(this.options.dataDir);
    if (text === undefined) {
      throw new EncryptionRequestError(`no secrets encryption configuration at ${this.options.dataDir}`);
    }
    return JSON.parse(text) as EncryptionConfiguration;
  }

  /** K3s's `verifyEncryptionHashAnnotation`: the stage must be one of `allowed`, reached with this very file. */
  async #verifyStage(allowed: string): Promise<void> {
    const state = await readEncryptionState(this.options.dataDir);
    if (!state) throw new EncryptionRequestError(`missing encryption state on node ${this.#nodeName}`);
    const stage = this.#activeStage ?? state.stage;
    if (!allowed.split("-").includes(stage)) {
      throw new EncryptionRequestError(`incorrect stage: ${stage} found on node ${this.#nodeName}`);
    }
    const text = await readConfigText(this.options.dataDir) ?? "";
    if (state.hash !== configHash(text)) {
      throw new EncryptionRequestError(`invalid hash: ${state.hash} found on node ${this.#nodeName}`);
    }
  }
}

/** The last key moves to the front (it becomes the writing key), as K3s rotates. */
function rightRotate<T>(keys: T[]): T[] {
  return keys.length ? [keys[keys.length - 1], ...keys.slice(0, -1)] : keys;
}
