/**
 * Rewriting every Secret with the key that writes now, so an old key can be dropped. kube-apiserver skips an
 * update whose stored bytes would not change unless the value was read with an older key ("stale"), which is
 * what makes K3s's update-every-Secret pass a re-encryption; here the pass goes straight to the datastore and
 * rewrites exactly the stale values.
 *
 * @module
 */
import { ConflictError, KeyNotFoundError, type Store } from "../../datastore/mod.ts";
import { SECRETS_PREFIX, type TransformerSource } from "./store.ts";

/** How often progress is reported, as K3s's `SecretsProgress` events: every 50 Secrets. */
export const PROGRESS_EVERY = 50;

/** Options of {@linkcode reencryptSecrets}. */
export interface ReencryptOptions {
  /** Called with the number of Secrets gone through, every {@link PROGRESS_EVERY}. */
  onProgress?: (count: number) => void;
  /** Page size of the datastore reads (default 100). */
  pageSize?: number;
}

/**
 * Go through every stored Secret of `store` (the raw datastore, below any encryption) and rewrite those not
 * written by the current key; resolves to how many Secrets there were. A Secret written or deleted meanwhile
 * is left alone: whoever wrote it used the current key.
 *
 * @example
 * ```ts
 * const count = await reencryptSecrets(store, encryption, { onProgress: (n) => log(`reencrypted ${n} secrets`) });
 * ```
 */
export async function reencryptSecrets(
  store: Store,
  source: TransformerSource,
  options: ReencryptOptions = {},
): Promise<number> {
  let count = 0;
  let startKey: string | undefined;
  while (true) {
    const page = await store.list(SECRETS_PREFIX, { startKey, limit: options.pageSize ?? 100 });
    for (const kv of page.kvs) {
      const transformer = source.transformer;
      let plain;
      try {
        plain = transformer.fromStorage(kv.value, kv.key);
      } catch (error) {
        throw new Error(`cannot read ${kv.key}: ${(error as Error).message}`);
      }
      if (plain.stale) {
        try {
          await store.update(kv.key, transformer.toStorage(plain.data, kv.key), kv.modRevision, {
            ttl: kv.lease || undefined,
          });
        } catch (error) {
          if (!(error instanceof ConflictError || error instanceof KeyNotFoundError)) throw error;
        }
      }
      count++;
      if (count % PROGRESS_EVERY === 0) options.onProgress?.(count);
    }
    if (!page.more || !page.kvs.length) return count;
    startKey = page.kvs[page.kvs.length - 1].key + "\u0000";
  }
}
