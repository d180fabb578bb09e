/**
 * rbac.authorization.k8s.io defaults: bindings' roleRef and subjects get their API group filled in.
 *
 * @module
 */

import { ensureObj, type Obj, objList, str } from "./object.ts";

const rbacGroup = "rbac.authorization.k8s.io";

/**
 * RoleBinding / ClusterRoleBinding defaults: `roleRef.apiGroup` and each User/Group subject's `apiGroup` become
 * `rbac.authorization.k8s.io`; a ServiceAccount subject's stays "".
 *
 * @example
 * ```ts
 * defaultBinding({ roleRef: { kind: "ClusterRole", name: "view" }, subjects: [{ kind: "User", name: "alice" }] });
 * ```
 */
export function defaultBinding(binding: Obj): void {
  const roleRef = ensureObj(binding, "roleRef");
  if (!str(roleRef.apiGroup)) roleRef.apiGroup = rbacGroup;
  for (const subject of objList(binding.subjects)) {
    if (str(subject.apiGroup)) continue;
    if (subject.kind === "ServiceAccount") subject.apiGroup = "";
    else if (subject.kind === "User" || subject.kind === "Group") subject.apiGroup = rbacGroup;
  }
}
