/**
 * The RBAC objects the authorizer reads, from shared informer caches — as kube-apiserver's RBAC authorizer reads
 * listers — so a decision costs no datastore round trip. Reads wait for the first list, so a request arriving while
 * the server starts is not refused for want of a cache.
 *
 * @module
 */
import type { Informer, Kind } from "../../operator/mod.ts";
import { NAMESPACE_INDEX } from "../../operator/mod.ts";
import { type Binding, RBAC_GROUP, type Role } from "./types.ts";

/** The informer of a kind (the server's `Manager.informer` fits). */
export type InformerOf = (kind: Kind) => Informer;

const kind = (resource: string, kindName: string, namespaced: boolean): Kind => ({
  group: RBAC_GROUP,
  version: "v1",
  resource,
  kind: kindName,
  namespaced,
});

/** The four RBAC kinds, as informers and clients name them. */
export const RBAC_KINDS = {
  roles: kind("roles", "Role", true),
  clusterRoles: kind("clusterroles", "ClusterRole", false),
  roleBindings: kind("rolebindings", "RoleBinding", true),
  clusterRoleBindings: kind("clusterrolebindings", "ClusterRoleBinding", false),
} as const;

/** Read access to roles and bindings. */
export interface RbacObjects {
  clusterRole(name: string): Promise<Role | undefined>;
  role(namespace: string, name: string): Promise<Role | undefined>;
  clusterRoleBindings(): Promise<Binding[]>;
  roleBindings(namespace: string): Promise<Binding[]>;
}

/**
 * RBAC objects from the shared informers of `informerOf`.
 *
 * @example
 * ```ts
 * const objects = rbacObjects((kind) => manager.informer(kind));
 * await objects.clusterRole("cluster-admin");
 * ```
 */
export function rbacObjects(informerOf: InformerOf): RbacObjects {
  const synced = async (k: Kind) => {
    const informer = informerOf(k);
    if (!informer.hasSynced) await informer.synced;
    return informer.indexer;
  };
  return {
    clusterRole: async (name) => (await synced(RBAC_KINDS.clusterRoles)).get(name) as Role | undefined,
    role: async (namespace, name) => (await synced(RBAC_KINDS.roles)).get(`${namespace}/${name}`) as Role | undefined,
    clusterRoleBindings: async () => (await synced(RBAC_KINDS.clusterRoleBindings)).list() as unknown as Binding[],
    roleBindings: async (namespace) =>
      (await synced(RBAC_KINDS.roleBindings)).byIndex(NAMESPACE_INDEX, namespace) as unknown as Binding[],
  };
}
