/**
 * Legacy service-account tokens: the never-expiring JWTs the token controller writes into
 * `kubernetes.io/service-account-token` Secrets (issuer `kubernetes/serviceaccount`). They stay valid
 * exactly as long as their Secret holds them and their ServiceAccount exists with the same uid.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { type Client, isNotFound } from "../../client/mod.ts";
import type { KubeObject } from "../../api/storage.ts";
import { type ServiceAccountInfo, serviceAccountUsername } from "./claims.ts";

/** kube's `LegacyIssuer`. */
export const LEGACY_ISSUER = "kubernetes/serviceaccount";

/** The Secret type that holds a legacy token. */
export const SERVICE_ACCOUNT_TOKEN_SECRET_TYPE = "kubernetes.io/service-account-token";

/** Annotations naming the ServiceAccount a token Secret is for. */
export const SERVICE_ACCOUNT_NAME_ANNOTATION = "kubernetes.io/service-account.name";
export const SERVICE_ACCOUNT_UID_ANNOTATION = "kubernetes.io/service-account.uid";

/** A Secret carrying this label holds a token the cluster no longer accepts. */
export const INVALID_SINCE_LABEL = "kubernetes.io/legacy-token-invalid-since";

const CLAIM = {
  namespace: "kubernetes.io/serviceaccount/namespace",
  secretName: "kubernetes.io/serviceaccount/secret.name",
  name: "kubernetes.io/serviceaccount/service-account.name",
  uid: "kubernetes.io/serviceaccount/service-account.uid",
} as const;

/**
 * The claims of a legacy token for `serviceAccount`, stored in the Secret `secretName`.
 *
 * @example
 * ```ts
 * signJWT(keys.signer, legacyTokenClaims({ namespace: "ns", name: "robot", uid }, "robot-token"));
 * ```
 */
export function legacyTokenClaims(
  serviceAccount: { namespace: string; name: string; uid: string },
  secretName: string,
): Record<string, unknown> {
  return {
    iss: LEGACY_ISSUER,
    sub: serviceAccountUsername(serviceAccount.namespace, serviceAccount.name),
    [CLAIM.namespace]: serviceAccount.namespace,
    [CLAIM.secretName]: secretName,
    [CLAIM.name]: serviceAccount.name,
    [CLAIM.uid]: serviceAccount.uid,
  };
}

/**
 * The service account a verified legacy token stands for, if its Secret still holds exactly this
 * token and is not invalidated or going away, and its ServiceAccount exists with the claimed uid.
 *
 * @example
 * ```ts
 * const info = await validateLegacyToken(client, token, verifyJWT(token, keys.verifiers));
 * ```
 */
export async function validateLegacyToken(
  client: Client,
  token: string,
  claims: Record<string, unknown>,
): Promise<ServiceAccountInfo | undefined> {
  const [namespace, secretName, name, uid] = [CLAIM.namespace, CLAIM.secretName, CLAIM.name, CLAIM.uid]
    .map((k) => claims[k]);
  if (![namespace, secretName, name, uid].every((v) => typeof v === "string" && v !== "")) return undefined;
  const secret = await getOptional(client, "Secret", namespace as string, secretName as string);
  if (!secret || secret.metadata?.deletionTimestamp || secret.metadata?.labels?.[INVALID_SINCE_LABEL]) {
    return undefined;
  }
  const stored = (secret.data as Record<string, string> | undefined)?.token;
  if (!stored || Buffer.from(stored, "base64").toString("utf8") !== token) return undefined;
  const sa = await getOptional(client, "ServiceAccount", namespace as string, name as string);
  if (!sa || sa.metadata?.uid !== uid || sa.metadata?.deletionTimestamp) return undefined;
  return { namespace: namespace as string, name: name as string, uid: uid as string };
}

async function getOptional(client: Client, kind: string, namespace: string, name: string) {
  try {
    return await client.get<KubeObject>({ apiVersion: "v1", kind }, namespace, name);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
