/**
 * Authenticating service-account tokens (kube's JWT token authenticator with its service-account
 * validator): a token from our issuer must carry a valid signature by a `service.key` key, an
 * audience the API accepts, and a time window that includes now (with kube's one-minute leeway);
 * and the ServiceAccount — and the Pod, Secret or Node it is bound to — must still exist with the
 * uid the token names, so deleting any of them revokes the token at once.
 *
 * @module
 */
import { type Client, isNotFound } from "../../client/mod.ts";
import type { KubeObject } from "../../api/storage.ts";
import type { TokenAuthenticator } from "../authentication/authenticator.ts";
import {
  DEFAULT_API_AUDIENCES,
  DEFAULT_ISSUER,
  type KubernetesClaim,
  type ServiceAccountInfo,
  serviceAccountUser,
} from "./claims.ts";
import { unverifiedClaims, verifyJWT } from "./jwt.ts";
import type { ServiceAccountKeys } from "./keys.ts";
import { LEGACY_ISSUER, validateLegacyToken } from "./legacy.ts";

/** go-jose's `DefaultLeeway`: clocks may disagree by a minute. */
export const LEEWAY_SECONDS = 60;

/** What {@link serviceAccountTokenAuthenticator} checks tokens against. */
export interface ServiceAccountAuthenticatorOptions {
  /** Reads ServiceAccounts, Pods, Secrets and Nodes. */
  client: Client;
  keys: ServiceAccountKeys;
  /** Accepted `iss` values of bound tokens (default: K3s's issuer); legacy tokens are always accepted. */
  issuers?: string[];
  /** `--api-audiences`: a token must name one of them (default: K3s's). */
  apiAudiences?: string[];
  now?: () => Date;
}

const REFS = {
  ServiceAccount: { apiVersion: "v1", kind: "ServiceAccount" },
  Pod: { apiVersion: "v1", kind: "Pod" },
  Secret: { apiVersion: "v1", kind: "Secret" },
  Node: { apiVersion: "v1", kind: "Node" },
};

/**
 * The token authenticator for service-account JWTs — bound ones from our issuers, and legacy ones
 * from token Secrets; tokens from other issuers are left to other authenticators.
 *
 * @example
 * ```ts
 * const user = await serviceAccountTokenAuthenticator({ client, keys })(token);
 * user?.username; // "system:serviceaccount:ns:robot"
 * ```
 */
export function serviceAccountTokenAuthenticator(options: ServiceAccountAuthenticatorOptions): TokenAuthenticator {
  const issuers = options.issuers ?? [DEFAULT_ISSUER];
  const apiAudiences = options.apiAudiences ?? DEFAULT_API_AUDIENCES;
  return async (token) => {
    const iss = unverifiedClaims(token)?.iss;
    if (typeof iss !== "string" || (!issuers.includes(iss) && iss !== LEGACY_ISSUER)) return undefined;
    const claims = verifyJWT(token, options.keys.verifiers);
    if (claims.iss !== iss) return undefined;
    if (iss === LEGACY_ISSUER) {
      const legacy = await validateLegacyToken(options.client, token, claims);
      return legacy && serviceAccountUser(legacy);
    }
    const audiences = typeof claims.aud === "string" ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
    // A token without audiences is a legacy one, meant for this API only.
    if (audiences.length > 0 && !audiences.some((a) => apiAudiences.includes(a))) return undefined;
    const now = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
    if (!withinValidity(claims, now)) return undefined;
    const info = await validateBound(options.client, claims["kubernetes.io"] as KubernetesClaim | undefined, now);
    if (!info) return undefined;
    if (typeof claims.jti === "string" && claims.jti) info.credentialID = `JTI=${claims.jti}`;
    return serviceAccountUser(info);
  };
}

/** go-jose's `Claims.Validate`: not before nbf, not after exp, not issued in the future — each give or take the leeway. */
function withinValidity(claims: Record<string, unknown>, now: number): boolean {
  const { nbf, exp, iat } = claims as { nbf?: number; exp?: number; iat?: number };
  if (typeof nbf === "number" && now + LEEWAY_SECONDS < nbf) return false;
  if (typeof exp === "number" && now - LEEWAY_SECONDS > exp) return false;
  if (typeof iat === "number" && now + LEEWAY_SECONDS < iat) return false;
  return true;
}

/** The ServiceAccount and bound objects the claim names, if each still exists with its uid and is not going away. */
async function validateBound(
  client: Client,
  claim: KubernetesClaim | undefined,
  now: number,
): Promise<ServiceAccountInfo | undefined> {
  if (!claim?.namespace || !claim.serviceaccount?.name) return undefined;
  const { namespace } = claim;
  const live = async (
    ref: { apiVersion: string; kind: string },
    ns: string | undefined,
    name: string,
    uid?: string,
  ) => {
    const object = await getOptional(client, ref, ns, name);
    if (!object || object.metadata?.uid !== uid) return undefined;
    const deleted = object.metadata?.deletionTimestamp;
    // Things deleted before now-leeway no longer vouch for a token; a deletion just begun still does.
    if (deleted && Date.parse(deleted) / 1000 < now - LEEWAY_SECONDS) return undefined;
    return object;
  };
  const sa = claim.serviceaccount;
  if (!await live(REFS.ServiceAccount, namespace, sa.name, sa.uid)) return undefined;
  const info: ServiceAccountInfo = { namespace, name: sa.name, uid: sa.uid ?? "" };
  if (claim.secret && !await live(REFS.Secret, namespace, claim.secret.name, claim.secret.uid)) return undefined;
  if (claim.pod) {
    if (!await live(REFS.Pod, namespace, claim.pod.name, claim.pod.uid)) return undefined;
    info.podName = claim.pod.name;
    info.podUID = claim.pod.uid;
    // A pod-bound token names its node for information only; the pod's existence is what counts.
    if (claim.node) [info.nodeName, info.nodeUID] = [claim.node.name, claim.node.uid];
  } else if (claim.node) {
    if (!await live(REFS.Node, undefined, claim.node.name, claim.node.uid)) return undefined;
    [info.nodeName, info.nodeUID] = [claim.node.name, claim.node.uid];
  }
  return info;
}

async function getOptional(
  client: Client,
  ref: { apiVersion: string; kind: string },
  namespace: string | undefined,
  name: string,
): Promise<KubeObject | undefined> {
  try {
    return await client.get<KubeObject>(ref, namespace, name);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
