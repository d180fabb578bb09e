/**
 * RBAC: RoleBinding and ClusterRoleBinding. Role and ClusterRole have no printer in kube and use the
 * default Name / Created At table.
 *
 * @module
 */

import {
  age,
  ageColumn,
  column,
  list,
  meta,
  nameColumn,
  type Obj,
  type Printer,
  type Printers,
  rec,
  str,
  wide,
} from "./format.ts";

/**
 * Subjects split as kube's `SubjectsStrings`: users, groups, and `namespace/name` service accounts.
 *
 * @example bindingSubjects([{ kind: "ServiceAccount", namespace: "kube-system", name: "coredns" }]) // { users: [], groups: [], serviceAccounts: ["kube-system/coredns"] }
 */
export function bindingSubjects(subjects: unknown): { users: string[]; groups: string[]; serviceAccounts: string[] } {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const raw of list(subjects)) {
    const subject = rec(raw);
    const kind = str(subject.kind);
    if (kind === "ServiceAccount") serviceAccounts.push(`${str(subject.namespace)}/${str(subject.name)}`);
    else if (kind === "User") users.push(str(subject.name));
    else if (kind === "Group") groups.push(str(subject.name));
  }
  return { users, groups, serviceAccounts };
}

function bindingPrinter(noun: string): Printer {
  return {
    columns: [
      nameColumn(),
      column("Role", "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace."),
      ageColumn(),
      wide("Users", `Users in the ${noun}`),
      wide("Groups", `Groups in the ${noun}`),
      wide("ServiceAccounts", `ServiceAccounts in the ${noun}`),
    ],
    cells(binding: Obj, now: Date) {
      const ref = rec(binding.roleRef);
      const { users, groups, serviceAccounts } = bindingSubjects(binding.subjects);
      return [
        str(meta(binding).name),
        `${str(ref.kind)}/${str(ref.name)}`,
        age(binding, now),
        users.join(", "),
        groups.join(", "),
        serviceAccounts.join(", "),
      ];
    },
  };
}

/** Printers for the RBAC family. */
export const rbacPrinters: Printers = {
  "rbac.authorization.k8s.io/RoleBinding": bindingPrinter("roleBinding"),
  "rbac.authorization.k8s.io/ClusterRoleBinding": bindingPrinter("clusterRoleBinding"),
};
