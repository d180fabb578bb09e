/**
 * kube-apiserver's impersonation filter: `Impersonate-User`, `Impersonate-Group`, `Impersonate-Uid` and
 * `Impersonate-Extra-<key>` headers (`kubectl --as`, `--as-group`) make the request act as another identity, each
 * piece allowed only if the caller may `impersonate` it (users, groups and service accounts in the core group; uids
 * and userextras in authentication.k8s.io).
 *
 * @module
 */
import type { UserInfo } from "../../api/router.ts";
import { internalError } from "../../api/status.ts";
import { resourceAttributes } from "./attributes.ts";
import type { Authorizer } from "./authorizer.ts";
import { requestForbidden } from "./forbidden.ts";

const USER = "impersonate-user";
const GROUP = "impersonate-group";
const UID = "impersonate-uid";
const EXTRA_PREFIX = "impersonate-extra-";
const SERVICE_ACCOUNT = /^system:serviceaccount:([^:]+):([^:]+)$/;
const AUTHENTICATED = "system:authenticated";
const UNAUTHENTICATED = "system:unauthenticated";
const ANONYMOUS = "system:anonymous";

/** One thing the caller asks to act as, and the `impersonate` check it needs. */
interface Impersonation {
  resource: "users" | "groups" | "serviceaccounts" | "userextras" | "uids";
  apiGroup: string;
  name: string;
  namespace?: string;
  /** The extra's key (the check's subresource). */
  key?: string;
}

function requested(headers: Headers): Impersonation[] {
  const wanted: Impersonation[] = [];
  const user = headers.get(USER) ?? "";
  if (user) {
    const sa = SERVICE_ACCOUNT.exec(user);
    wanted.push(
      sa
        ? { resource: "serviceaccounts", apiGroup: "", namespace: sa[1], name: sa[2] }
        : { resource: "users", apiGroup: "", name: user },
    );
  }
  // Repeated headers arrive joined by ", " (fetch's Headers); kubectl sends one header per group.
  const groups = headers.has(GROUP) ? headers.get(GROUP)!.split(", ") : [];
  for (const group of groups) wanted.push({ resource: "groups", apiGroup: "", name: group });
  for (const [name, value] of headers) {
    if (!name.startsWith(EXTRA_PREFIX)) continue;
    const key = unescapeKey(name.slice(EXTRA_PREFIX.length));
    for (const v of value.split(", ")) {
      wanted.push({ resource: "userextras", apiGroup: "authentication.k8s.io", name: v, key });
    }
  }
  const uid = headers.get(UID) ?? "";
  if (uid) wanted.push({ resource: "uids", apiGroup: "authentication.k8s.io", name: uid });
  if (wanted.length && !user) {
    throw internalError(`requested ${JSON.stringify(wanted.map((w) => w.name))} without impersonating a user`);
  }
  return wanted;
}

/** kube's `unescapeExtraKey`: extra keys travel percent-encoded in header names. */
function unescapeKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

/**
 * The identity the request acts as: `user` itself without impersonation headers, else the impersonated user once
 * each piece is allowed. Throws kube's 403 (`users "admin" is forbidden: User "jane" cannot impersonate resource
 * "users" in API group "" at the cluster scope`).
 *
 * @example
 * ```ts
 * const actingAs = await impersonate(request.headers, user, authorizer);
 * ```
 */
export async function impersonate(headers: Headers, user: UserInfo, authorizer: Authorizer): Promise<UserInfo> {
  const wanted = requested(headers);
  if (wanted.length === 0) return user;
  const groupsGiven = headers.has(GROUP);
  let username = "";
  let uid = "";
  let groups: string[] = [];
  const extra: Record<string, string[]> = {};
  for (const w of wanted) {
    const attributes = resourceAttributes(user, {
      verb: "impersonate",
      apiGroup: w.apiGroup,
      apiVersion: "v1",
      resource: w.resource,
      subresource: w.key ?? "",
      namespace: w.namespace ?? "",
      name: w.name,
    });
    const decided = await authorizer.authorize(attributes);
    if (decided.decision !== "allow") throw requestForbidden(attributes, decided.reason);
    switch (w.resource) {
      case "serviceaccounts":
        username = `system:serviceaccount:${w.namespace}:${w.name}`;
        if (!groupsGiven) groups = ["system:serviceaccounts", `system:serviceaccounts:${w.namespace}`];
        break;
      case "users":
        username = w.name;
        break;
      case "groups":
        groups.push(w.name);
        break;
      case "userextras":
        (extra[w.key!] ??= []).push(w.name);
        break;
      case "uids":
        uid = w.name;
    }
  }
  if (username !== ANONYMOUS) {
    if (!groups.some((g) => g === AUTHENTICATED || g === UNAUTHENTICATED)) groups.push(AUTHENTICATED);
  } else if (!groups.includes(UNAUTHENTICATED)) {
    groups.push(UNAUTHENTICATED);
  }
  return { username, groups, ...(uid ? { uid } : {}), ...(Object.keys(extra).length ? { extra } : {}) };
}
