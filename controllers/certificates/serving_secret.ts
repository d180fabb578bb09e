/**
 * The `kube-system/k3s-serving` Secret: the API's copy of the front door's certificate, where every server
 * of a cluster records the names it has seen (dynamiclistener's Kubernetes storage). Syncing merges it with
 * this server's certificate both ways: a restarted server takes the names back from it, and names seen here
 * are written to it.
 *
 * @module
 */
import { type Client, isNotFound } from "../../core/client/mod.ts";
import type { KubeObject } from "../../core/operator/mod.ts";
import type { DynamicListener, TLSSecret } from "../../core/pki/mod.ts";

/** Where the Secret lives, as K3s names it (`<program>-serving`). */
export const SERVING_SECRET = { namespace: "kube-system", name: "k3s-serving" } as const;

const SECRET = { apiVersion: "v1", kind: "Secret" } as const;

/**
 * Merge the stored Secret and the listener's certificate, write the result when the API's copy is behind,
 * and resolve to the Secret as stored now.
 *
 * @example
 * ```ts
 * const secret = await syncServingSecret(client, listener);
 * secret.metadata.annotations["listener.cattle.io/fingerprint"]; // "SHA1=…"
 * ```
 */
export async function syncServingSecret(client: Client, listener: DynamicListener): Promise<KubeObject> {
  let stored: KubeObject | undefined;
  try {
    stored = await client.get(SECRET, SERVING_SECRET.namespace, SERVING_SECRET.name);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const wanted = await listener.merge(stored as TLSSecret | undefined);
  if (!wanted) return stored!;
  const body = {
    ...SECRET,
    ...stored,
    metadata: {
      ...stored?.metadata,
      name: SERVING_SECRET.name,
      namespace: SERVING_SECRET.namespace,
      annotations: wanted.metadata.annotations,
    },
    type: "kubernetes.io/tls",
    data: wanted.data,
  };
  // A conflict (another server wrote first) fails the reconcile, which retries with the newer copy.
  return stored ? await client.update(body) : await client.create(body);
}
