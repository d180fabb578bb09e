/**
 * The TokenRequest API (`POST /api/v1/namespaces/<ns>/serviceaccounts/<name>/token`, what
 * `kubectl create token` calls): answered, never stored, with a token signed by the service-account
 * key, as kube-apiserver's `TokenREST` does — audiences default to the API's, expiry defaults to an
 * hour and must be between ten minutes and 2^32 seconds, and a token may be bound to a Pod, Secret
 * or Node that must exist.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { ApiError, type Client, isNotFound } from "../../client/mod.ts";
import type { ResourcePath, VirtualHandler } from "../../api/router.ts";
import { badRequest, conflict, internalError, invalid, type StatusCause, StatusError } from "../../api/status.ts";
import type { KubeObject } from "../../api/storage.ts";
import {
  DEFAULT_API_AUDIENCES,
  DEFAULT_ISSUER,
  EXPIRATION_EXTENSION_SECONDS,
  type ObjectRef,
  serviceAccountClaims,
  WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS,
} from "./claims.ts";
import { signJWT } from "./jwt.ts";
import type { ServiceAccountKeys } from "./keys.ts";

/** kube's `MinTokenAgeSec`: ten minutes. */
export const MIN_EXPIRATION_SECONDS = 10 * 60;
/** kube's ceiling on a requested expiry: 2^32 seconds. */
export const MAX_EXPIRATION_SECONDS = 2 ** 32;
/** `spec.expirationSeconds` when the request leaves it out: an hour. */
export const DEFAULT_EXPIRATION_SECONDS = 60 * 60;

/** How the server issues tokens: its key, `--service-account-issuer`, `--api-audiences`, and a clock. */
export interface TokenIssuerOptions {
  keys: ServiceAccountKeys;
  issuer?: string;
  apiAudiences?: string[];
  /** `--service-account-max-token-expiration` in seconds; unset (K3s's default) means no cap. */
  maxExpirationSeconds?: number;
  now?: () => Date;
}

interface TokenRequest extends KubeObject {
  spec?: {
    audiences?: string[] | null;
    expirationSeconds?: number | null;
    boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string } | null;
  };
}

const GROUP_KIND = { group: "authentication.k8s.io", kind: "TokenRequest" };
const REFS = {
  ServiceAccount: { apiVersion: "v1", kind: "ServiceAccount" },
  Pod: { apiVersion: "v1", kind: "Pod" },
  Secret: { apiVersion: "v1", kind: "Secret" },
  Node: { apiVersion: "v1", kind: "Node" },
};

/**
 * The `VirtualHandler` for `serviceaccounts/<name>/token`; it reads ServiceAccounts and bound objects
 * through `client` (resolved on each request, so it may be built before the client exists).
 *
 * @example
 * ```ts
 * const router = new ApiRouter(registry, rest, [virtualResources, tokenRequestHandler(() => client, { keys })]);
 * ```
 */
export function tokenRequestHandler(client: () => Client, options: TokenIssuerOptions): VirtualHandler {
  return (path, body) =>
    path.info.group === "" && path.info.resource === "serviceaccounts" && path.subresource === "token"
      ? createToken(client(), options, path, body as TokenRequest | undefined)
      : undefined;
}

async function createToken(
  client: Client,
  options: TokenIssuerOptions,
  path: ResourcePath,
  request: TokenRequest | undefined,
): Promise<KubeObject> {
  const name = path.name!;
  const namespace = path.namespace;
  if (!namespace) throw badRequest("namespace is required");
  const meta = request?.metadata ?? {};
  if (meta.name && meta.name !== name) {
    throw invalidRequest(name, "metadata.name", meta.name, "must match the service account name if specified");
  }
  if (meta.namespace && meta.namespace !== namespace) {
    throw invalidRequest(
      name,
      "metadata.namespace",
      meta.namespace,
      "must match the service account namespace if specified",
    );
  }
  const sa = await get(client, REFS.ServiceAccount, namespace, name);
  const apiAudiences = options.apiAudiences ?? DEFAULT_API_AUDIENCES;
  const audiences = request?.spec?.audiences?.length ? request.spec.audiences : apiAudiences;
  let expirationSeconds = request?.spec?.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  const causes = expirationCauses(expirationSeconds);
  if (causes.length) throw invalid(GROUP_KIND, "", causes);

  const bound = await boundObjects(client, namespace, name, request?.spec?.boundObjectRef ?? undefined);
  if (options.maxExpirationSeconds && expirationSeconds > options.maxExpirationSeconds) {
    expirationSeconds = options.maxExpirationSeconds;
  }
  // kubelet's projected tokens live a year but are flagged stale after the hour they asked for.
  let lifetime = expirationSeconds;
  let warnAfterSeconds: number | undefined;
  const kubeAudiences = audiences.every((a) => apiAudiences.includes(a));
  if (bound.pod && expirationSeconds === WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS && kubeAudiences) {
    warnAfterSeconds = expirationSeconds;
    lifetime = options.maxExpirationSeconds
      ? Math.min(options.maxExpirationSeconds, EXPIRATION_EXTENSION_SECONDS)
      : EXPIRATION_EXTENSION_SECONDS;
  }
  const now = options.now?.() ?? new Date();
  const claims = serviceAccountClaims({
    issuer: options.issuer ?? DEFAULT_ISSUER,
    namespace,
    serviceAccount: { name, uid: sa.metadata?.uid },
    audiences,
    expirationSeconds: lifetime,
    warnAfterSeconds,
    ...bound,
    now,
    jti: randomUUID(),
  });
  return {
    kind: "TokenRequest",
    apiVersion: "authentication.k8s.io/v1",
    metadata: { name, namespace, creationTimestamp: rfc3339(now) },
    spec: {
      audiences,
      expirationSeconds,
      ...(request?.spec?.boundObjectRef ? { boundObjectRef: request.spec.boundObjectRef } : {}),
    },
    status: {
      token: signJWT(options.keys.signer, claims),
      expirationTimestamp: rfc3339(new Date(now.getTime() + expirationSeconds * 1000)),
    },
  };
}

/** kube's `ValidateTokenRequest`. */
function expirationCauses(seconds: number): StatusCause[] {
  if (seconds < MIN_EXPIRATION_SECONDS) {
    return [cause("spec.expirationSeconds", seconds, "may not specify a duration less than 10 minutes")];
  }
  if (seconds > MAX_EXPIRATION_SECONDS) {
    return [cause("spec.expirationSeconds", seconds, "may not specify a duration larger than 2^32 seconds")];
  }
  return [];
}

/** The pod (with its node), secret or node a token is bound to; each must exist with the uid the request names. */
async function boundObjects(
  client: Client,
  namespace: string,
  serviceAccount: string,
  ref: NonNullable<NonNullable<TokenRequest["spec"]>["boundObjectRef"]> | undefined,
): Promise<{ pod?: ObjectRef; secret?: ObjectRef; node?: ObjectRef }> {
  if (!ref) return {};
  const group = ref.apiVersion?.includes("/") ? ref.apiVersion.split("/")[0] : "";
  const version = ref.apiVersion?.includes("/") ? ref.apiVersion.split("/")[1] : ref.apiVersion ?? "";
  const kind = ref.kind ?? "";
  const refName = ref.name ?? "";
  let bound: { pod?: ObjectRef; secret?: ObjectRef; node?: ObjectRef };
  let uid: string | undefined;
  if (group === "" && kind === "Pod") {
    const pod = await get(client, REFS.Pod, namespace, refName);
    const spec = (pod.spec ?? {}) as { serviceAccountName?: string; nodeName?: string };
    if (spec.serviceAccountName !== serviceAccount) {
      throw badRequest(
        `cannot bind token for serviceaccount "${serviceAccount}" to pod running with different serviceaccount name.`,
      );
    }
    uid = pod.metadata?.uid;
    bound = { pod: { name: refName, uid } };
    if (spec.nodeName) bound.node = await nodeOfPod(client, spec.nodeName);
  } else if (group === "" && kind === "Secret") {
    uid = (await get(client, REFS.Secret, namespace, refName)).metadata?.uid;
    bound = { secret: { name: refName, uid } };
  } else if (group === "" && kind === "Node") {
    uid = (await get(client, REFS.Node, undefined, refName)).metadata?.uid;
    bound = { node: { name: refName, uid } };
  } else {
    throw badRequest(`cannot bind token to object of type ${group}/${version}, Kind=${kind}`);
  }
  if (ref.uid && ref.uid !== uid) {
    throw conflict(
      { group, resource: kind },
      refName,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
  return bound;
}

/** A pod's node for its token's claims; a node not registered (yet) is named without a uid. */
async function nodeOfPod(client: Client, nodeName: string): Promise<ObjectRef> {
  try {
    return { name: nodeName, uid: (await client.get<KubeObject>(REFS.Node, undefined, nodeName)).metadata?.uid };
  } catch (error) {
    if (isNotFound(error)) return { name: nodeName };
    throw internalError(error instanceof Error ? error.message : String(error));
  }
}

/** A read whose API error is answered to the caller as is (`serviceaccounts "x" not found`). */
async function get(client: Client, ref: { apiVersion: string; kind: string }, ns: string | undefined, name: string) {
  try {
    return await client.get<KubeObject>(ref, ns, name);
  } catch (error) {
    if (error instanceof ApiError) throw new StatusError(error.status);
    throw error;
  }
}

function cause(field: string, value: unknown, detail: string): StatusCause {
  return { type: "FieldValueInvalid", field, message: `Invalid value: ${JSON.stringify(value)}: ${detail}` };
}

function invalidRequest(name: string, field: string, value: unknown, detail: string): StatusError {
  return invalid(GROUP_KIND, name, [cause(field, value, detail)]);
}

/** Go's RFC 3339 with whole seconds, as metav1.Time marshals. */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
