/**
 * The service-account token controller, as kube-controller-manager's `serviceaccount-token`: a
 * `kubernetes.io/service-account-token` Secret a user creates for a ServiceAccount gets a legacy
 * token, the cluster CA (`ca.crt`) and the `namespace`; a token Secret whose ServiceAccount is gone
 * (or was re-created with another uid) is deleted. Since Kubernetes 1.24 no such Secret is made
 * unless someone asks for one.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { readFile } from "node:fs/promises";
import { type Client, isConflict, isNotFound } from "../../core/client/mod.ts";
import {
  type Controller,
  controller,
  type KubeObject,
  type Manager,
  NAMESPACE_INDEX,
} from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";
import {
  legacyTokenClaims,
  parseServiceAccountKeys,
  SERVICE_ACCOUNT_NAME_ANNOTATION,
  SERVICE_ACCOUNT_TOKEN_SECRET_TYPE,
  SERVICE_ACCOUNT_UID_ANNOTATION,
  type ServiceAccountKeys,
  signJWT,
} from "../../core/auth/serviceaccount/mod.ts";

/** Where the controller finds what it writes into token Secrets (kube-controller-manager's flags). */
export interface TokenControllerOptions {
  /** `--service-account-private-key-file`: K3s passes `<data-dir>/server/tls/service.key`. */
  serviceAccountKeyFile: string;
  /** `--root-ca-file`: K3s passes `<data-dir>/server/tls/server-ca.crt`. */
  rootCAFile: string;
}

interface TokenSecret extends KubeObject {
  metadata: KubeObject["metadata"] & { name: string; namespace: string; annotations?: Record<string, string> };
  data?: Record<string, string>;
}

const SECRET = { apiVersion: "v1", kind: "Secret" };
const SERVICE_ACCOUNT = { apiVersion: "v1", kind: "ServiceAccount" };

/**
 * The controller, for token Secrets, watching ServiceAccounts (a deleted one takes its Secrets along).
 *
 * @example
 * ```ts
 * manager.add(serviceAccountTokenController(deps, {
 *   serviceAccountKeyFile: "/var/lib/rancher/k3s/server/tls/service.key",
 *   rootCAFile: "/var/lib/rancher/k3s/server/tls/server-ca.crt",
 * }));
 * ```
 */
export function serviceAccountTokenController(
  deps: { client: Client; registry: Registry; manager: Manager },
  options: TokenControllerOptions,
): Controller {
  const { client, registry, manager } = deps;
  const secrets = registry.resolve("", "v1", "secrets")!;
  const serviceAccounts = registry.resolve("", "v1", "serviceaccounts")!;
  const isTokenSecret = (s: KubeObject) => s.type === SERVICE_ACCOUNT_TOKEN_SECRET_TYPE;
  let material: Promise<{ keys: ServiceAccountKeys; rootCA: string }> | undefined;
  const load = () =>
    material ??= Promise.all([readFile(options.serviceAccountKeyFile, "utf8"), readFile(options.rootCAFile, "utf8")])
      .then(([key, rootCA]) => ({ keys: parseServiceAccountKeys(key), rootCA }))
      .catch((error) => {
        material = undefined;
        throw error;
      });

  return controller("serviceaccount-token")
    .for(secrets, isTokenSecret)
    .watches(serviceAccounts, (sa) =>
      manager.cache(secrets).byIndex(NAMESPACE_INDEX, sa.metadata?.namespace ?? "")
        .filter((s) => isTokenSecret(s) && annotationsOf(s)[SERVICE_ACCOUNT_NAME_ANNOTATION] === sa.metadata?.name)
        .map((s) => ({ namespace: s.metadata?.namespace, name: s.metadata!.name! })))
    .complete(async ({ key, namespace, name }) => {
      const secret = manager.cache(secrets).get(key) as TokenSecret | undefined;
      if (!secret || !isTokenSecret(secret) || secret.metadata.deletionTimestamp) return;
      const annotations = secret.metadata.annotations ?? {};
      const saName = annotations[SERVICE_ACCOUNT_NAME_ANNOTATION];
      if (!saName) return;
      const sa = await serviceAccount(
        client,
        manager.cache(serviceAccounts).get(`${namespace}/${saName}`),
        namespace!,
        saName,
      );
      const wantedUID = annotations[SERVICE_ACCOUNT_UID_ANNOTATION];
      if (!sa || (wantedUID && wantedUID !== sa.metadata?.uid)) {
        try {
          await client.delete(SECRET, namespace, name, { preconditions: { uid: secret.metadata.uid } });
        } catch (error) {
          if (!isNotFound(error) && !isConflict(error)) throw error;
        }
        return;
      }
      const { keys, rootCA } = await load();
      const data = secret.data ?? {};
      const decoded = (k: string) => data[k] === undefined ? "" : Buffer.from(data[k], "base64").toString("utf8");
      const needsCA = decoded("ca.crt") !== rootCA;
      const needsNamespace = decoded("namespace") === "";
      const needsToken = decoded("token") === "";
      if (!needsCA && !needsNamespace && !needsToken && wantedUID) return;
      const uid = sa.metadata!.uid as string;
      const base64 = (text: string) => Buffer.from(text).toString("base64");
      const token = needsToken
        ? signJWT(keys.signer, legacyTokenClaims({ namespace: namespace!, name: saName, uid }, name))
        : decoded("token");
      await client.update({
        ...secret,
        metadata: {
          ...secret.metadata,
          annotations: {
            ...annotations,
            [SERVICE_ACCOUNT_NAME_ANNOTATION]: saName,
            [SERVICE_ACCOUNT_UID_ANNOTATION]: uid,
          },
        },
        data: { ...data, "ca.crt": base64(rootCA), namespace: base64(namespace!), token: base64(token) },
      });
    });
}

function annotationsOf(object: KubeObject): Record<string, string> {
  return (object.metadata?.annotations ?? {}) as Record<string, string>;
}

/** The ServiceAccount from the cache, or from the API when the cache has not seen it yet. */
async function serviceAccount(
  client: Client,
  cached: KubeObject | undefined,
  namespace: string,
  name: string,
): Promise<KubeObject | undefined> {
  if (cached) return cached;
  try {
    return await client.get<KubeObject>(SERVICE_ACCOUNT, namespace, name);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
