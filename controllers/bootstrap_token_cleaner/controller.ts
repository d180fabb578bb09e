/**
 * The bootstrap token cleaner, as kube-controller-manager's `tokencleaner`: a bootstrap token Secret
 * in `kube-system` is deleted once its `expiration` has passed (an unparseable one counts as passed),
 * and looked at again exactly when it runs out.
 *
 * @module
 */
import { type Client, isConflict, isNotFound } from "../../core/client/mod.ts";
import { type Controller, controller, type KubeObject, type Manager } from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";
import {
  BOOTSTRAP_TOKEN_NAMESPACE,
  BOOTSTRAP_TOKEN_SECRET_TYPE,
  timeRemaining,
} from "../../core/auth/bootstrap/token.ts";

const SECRET = { apiVersion: "v1", kind: "Secret" };

/**
 * The controller, for bootstrap token Secrets.
 *
 * @example
 * ```ts
 * manager.add(bootstrapTokenCleaner({ client, registry, manager }));
 * ```
 */
export function bootstrapTokenCleaner(
  deps: { client: Client; registry: Registry; manager: Manager },
  now: () => Date = () => new Date(),
): Controller {
  const { client, registry, manager } = deps;
  const secrets = registry.resolve("", "v1", "secrets")!;
  const isToken = (secret: KubeObject) =>
    secret.metadata?.namespace === BOOTSTRAP_TOKEN_NAMESPACE && secret.type === BOOTSTRAP_TOKEN_SECRET_TYPE;

  return controller("bootstrap-token-cleaner")
    .for(secrets, isToken)
    .complete(async ({ key, namespace, name }) => {
      const secret = manager.cache(secrets).get(key) as KubeObject | undefined;
      if (!secret || !isToken(secret) || secret.metadata?.deletionTimestamp) return;
      const remaining = timeRemaining(secret, now());
      if (remaining === undefined) return;
      if (remaining > 0) return { requeueAfterMs: remaining };
      try {
        // The uid precondition spares a token re-created under the same name since the cache saw it.
        await client.delete(SECRET, namespace, name, { preconditions: { uid: secret.metadata?.uid } });
      } catch (error) {
        if (!isNotFound(error) && !isConflict(error)) throw error;
      }
    });
}
