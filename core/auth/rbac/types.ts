/**
 * The rbac.authorization.k8s.io/v1 shapes the authorizer reads: rules, subjects, role references, and the four kinds.
 *
 * @module
 */
import type { LabelSelector } from "../../api/label_selector.ts";

/** The API group of the RBAC kinds. */
export const RBAC_GROUP = "rbac.authorization.k8s.io";

/** One `PolicyRule`. */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** A binding's subject: a `User`, `Group` or `ServiceAccount`. */
export interface Subject {
  kind: string;
  name: string;
  apiGroup?: string;
  namespace?: string;
}

/** What a binding grants: a `Role` in its namespace or a `ClusterRole`. */
export interface RoleRef {
  apiGroup: string;
  kind: string;
  name: string;
}

interface Meta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  [key: string]: unknown;
}

/** A Role or ClusterRole. */
export interface Role {
  apiVersion?: string;
  kind?: string;
  metadata: Meta;
  rules?: PolicyRule[] | null;
  aggregationRule?: { clusterRoleSelectors?: LabelSelector[] } | null;
}

/** A RoleBinding or ClusterRoleBinding. */
export interface Binding {
  apiVersion?: string;
  kind?: string;
  metadata: Meta;
  roleRef: RoleRef;
  subjects?: Subject[] | null;
}
