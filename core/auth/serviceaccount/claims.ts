/**
 * The claims of a bound service-account token (pkg/serviceaccount's `Claims`): the public JWT claims
 * plus `kubernetes.io` naming the ServiceAccount and the object the token is bound to, and the user
 * such a token authenticates as.
 *
 * @module
 */
import type { UserInfo } from "../../api/router.ts";

/** K3s's `--service-account-issuer`: `https://kubernetes.default.svc.<cluster-domain>`. */
export const DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local";

/** K3s's `--api-audiences`: the issuer and the program name. */
export const DEFAULT_API_AUDIENCES = [DEFAULT_ISSUER, "k3s"];

/** Pod-bound tokens asking for exactly this long are kubelet's projected tokens, issued longer but flagged after it. */
export const WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 60 * 60 + 7;

/** How long such a projected token really lives (kube's `ExpirationExtensionSeconds`, a year). */
export const EXPIRATION_EXTENSION_SECONDS = 24 * 365 * 60 * 60;

/** The group every service account is in. */
export const ALL_SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";

/** An object a token names: its name and uid. */
export interface ObjectRef {
  name: string;
  uid?: string;
}

/** The `kubernetes.io` claim. */
export interface KubernetesClaim {
  namespace: string;
  serviceaccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
  /** Seconds since the epoch after which a projected token counts as stale. */
  warnafter?: number;
}

/** Everything a service-account token says. */
export interface ServiceAccountClaims extends Record<string, unknown> {
  iss: string;
  sub: string;
  aud: string[];
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
  "kubernetes.io": KubernetesClaim;
}

/** What {@link serviceAccountClaims} needs. */
export interface ClaimsInput {
  issuer: string;
  namespace: string;
  serviceAccount: ObjectRef;
  audiences: string[];
  expirationSeconds: number;
  /** Set for kubelet's projected tokens (see {@link WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS}). */
  warnAfterSeconds?: number;
  /** At most one of pod or secret; a pod may come with the node it runs on. */
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
  now: Date;
  jti: string;
}

/**
 * `system:serviceaccount:<namespace>:<name>`.
 *
 * @example
 * ```ts
 * serviceAccountUsername("kube-system", "coredns"); // "system:serviceaccount:kube-system:coredns"
 * ```
 */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/**
 * The claims kube-apiserver signs for a TokenRequest (iat = nbf = now, seconds since the epoch).
 *
 * @example
 * ```ts
 * serviceAccountClaims({ issuer, namespace: "ns", serviceAccount: { name: "robot", uid }, audiences, expirationSeconds: 600, now: new Date(), jti: crypto.randomUUID() });
 * ```
 */
export function serviceAccountClaims(input: ClaimsInput): ServiceAccountClaims {
  if (input.secret && (input.pod || input.node)) throw new Error("a token can only be bound to one object");
  const now = Math.floor(input.now.getTime() / 1000);
  const kubernetes: KubernetesClaim = { namespace: input.namespace, serviceaccount: input.serviceAccount };
  if (input.pod) kubernetes.pod = input.pod;
  if (input.secret) kubernetes.secret = input.secret;
  if (input.node) kubernetes.node = input.node;
  if (input.warnAfterSeconds) kubernetes.warnafter = now + input.warnAfterSeconds;
  return {
    iss: input.issuer,
    sub: serviceAccountUsername(input.namespace, input.serviceAccount.name),
    aud: input.audiences,
    iat: now,
    nbf: now,
    exp: now + input.expirationSeconds,
    jti: input.jti,
    "kubernetes.io": kubernetes,
  };
}

/** A validated token's service account and bound objects (kube's `ServiceAccountInfo`). */
export interface ServiceAccountInfo {
  namespace: string;
  name: string;
  uid: string;
  podName?: string;
  podUID?: string;
  nodeName?: string;
  nodeUID?: string;
  /** `JTI=<jti>` for tokens that carry an id. */
  credentialID?: string;
}

/**
 * The user a service-account token authenticates as: its username and uid, the service-account
 * groups, and the bound pod, node and credential id as `extra`.
 *
 * @example
 * ```ts
 * serviceAccountUser({ namespace: "ns", name: "robot", uid }).groups; // ["system:serviceaccounts", "system:serviceaccounts:ns"]
 * ```
 */
export function serviceAccountUser(info: ServiceAccountInfo): UserInfo {
  const extra: Record<string, string[]> = {};
  if (info.podName && info.podUID) {
    extra["authentication.kubernetes.io/pod-name"] = [info.podName];
    extra["authentication.kubernetes.io/pod-uid"] = [info.podUID];
  }
  if (info.credentialID) extra["authentication.kubernetes.io/credential-id"] = [info.credentialID];
  if (info.nodeName) {
    extra["authentication.kubernetes.io/node-name"] = [info.nodeName];
    if (info.nodeUID) extra["authentication.kubernetes.io/node-uid"] = [info.nodeUID];
  }
  return {
    username: serviceAccountUsername(info.namespace, info.name),
    uid: info.uid,
    groups: [ALL_SERVICE_ACCOUNTS_GROUP, `${ALL_SERVICE_ACCOUNTS_GROUP}:${info.namespace}`],
    ...(Object.keys(extra).length ? { extra } : {}),
  };
}
