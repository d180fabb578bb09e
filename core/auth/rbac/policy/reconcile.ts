/**
 * kube-apiserver's RBAC bootstrap (the `rbac/bootstrap-roles` post-start hook): every default role and binding is
 * created when missing; an existing one marked `rbac.authorization.kubernetes.io/autoupdate: "true"` (or not marked)
 * gets the rules, aggregation selectors, subjects, labels and annotations it lacks — what users added stays. A
 * binding whose roleRef changed is recreated. Objects annotated `autoupdate: "false"` are left alone.
 *
 * @module
 */
import { type Client, isAlreadyExists, isConflict, isNotFound } from "../../../client/mod.ts";
import type { LabelSelector } from "../../../api/label_selector.ts";
import { covers } from "../covers.ts";
import type { Binding, Role, Subject } from "../types.ts";
import { CLUSTER_ROLE_BINDINGS } from "./bindings.ts";
import { CLUSTER_ROLES } from "./cluster_roles.ts";
import { CONTROLLER_ROLE_BINDINGS, CONTROLLER_ROLES } from "./controller_roles.ts";
import { K3S_CLUSTER_ROLE_BINDINGS, K3S_CLUSTER_ROLES } from "./k3s.ts";
import { NAMESPACE_ROLE_BINDINGS, NAMESPACE_ROLES } from "./namespace_roles.ts";

const AUTO_UPDATE = "rbac.authorization.kubernetes.io/autoupdate";
const ATTEMPTS = 5;

type Owner = Role | Binding;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * kube's `merge(expected, existing)` of labels or annotations (existing values win); undefined when `existing` holds
 * them all already.
 */
function merged(expected: Record<string, string> = {}, existing: Record<string, string> = {}) {
  const lacking = Object.keys(expected).filter((key) => !(key in existing));
  return lacking.length ? { ...expected, ...existing } : undefined;
}

/** Copy `existing` with the labels and annotations of `expected` it lacks; says whether any were. */
function mergeMetadata(existing: Owner, expected: Owner): { result: Owner; changed: boolean } {
  const result = structuredClone(existing);
  const labels = merged(expected.metadata.labels, existing.metadata.labels);
  const annotations = merged(expected.metadata.annotations, existing.metadata.annotations);
  if (labels) result.metadata.labels = labels;
  if (annotations) result.metadata.annotations = annotations;
  return { result, changed: Boolean(labels || annotations) };
}

/** The reconciled role, or undefined when nothing needs to change. */
function reconcileRole(existing: Role, expected: Role): Role | undefined {
  const { result, changed } = mergeMetadata(existing, expected) as { result: Role; changed: boolean };
  let update = changed;
  const { missing } = covers(existing.rules ?? [], expected.rules ?? []);
  if (missing.length) {
    result.rules = [...(existing.rules ?? []), ...missing];
    update = true;
  }
  const wanted = expected.aggregationRule?.clusterRoleSelectors;
  const have = existing.aggregationRule?.clusterRoleSelectors ?? [];
  if (!wanted && existing.aggregationRule) {
    delete result.aggregationRule;
    update = true;
  }
  const missingSelectors = (wanted ?? []).filter((s: LabelSelector) => !have.some((h) => same(h, s)));
  if (missingSelectors.length) {
    result.aggregationRule = { clusterRoleSelectors: [...have, ...missingSelectors] };
    update = true;
  }
  return update ? result : undefined;
}

/** The reconciled binding, "recreate" when its roleRef changed, or undefined when nothing needs to change. */
function reconcileBinding(existing: Binding, expected: Binding): Binding | "recreate" | undefined {
  const ref = (b: Binding) => [b.roleRef?.apiGroup, b.roleRef?.kind, b.roleRef?.name];
  if (!same(ref(existing), ref(expected))) return "recreate";
  const { result, changed } = mergeMetadata(existing, expected) as { result: Binding; changed: boolean };
  const have = existing.subjects ?? [];
  const key = (s: Subject) => `${s.kind}/${s.apiGroup ?? ""}/${s.namespace ?? ""}/${s.name}`;
  const missing = (expected.subjects ?? []).filter((s) => !have.some((h) => key(h) === key(s)));
  if (missing.length) result.subjects = [...have, ...missing];
  return changed || missing.length ? result : undefined;
}

/** What a reconcile changed. */
export interface ReconcileResult {
  created: string[];
  updated: string[];
}

/**
 * Create or reconcile kube's bootstrap roles and bindings and K3s's own; says what it created and updated
 * (`clusterrole.rbac.authorization.k8s.io/view`).
 *
 * @example
 * ```ts
 * const { created, updated } = await reconcileBootstrapPolicy(client);
 * ```
 */
export async function reconcileBootstrapPolicy(client: Client): Promise<ReconcileResult> {
  const result: ReconcileResult = { created: [], updated: [] };
  for (const role of [...CLUSTER_ROLES, ...CONTROLLER_ROLES, ...K3S_CLUSTER_ROLES, ...NAMESPACE_ROLES]) {
    await ensure(client, role, (existing) => reconcileRole(existing as Role, role), result);
  }
  const bindings = [
    ...CLUSTER_ROLE_BINDINGS,
    ...CONTROLLER_ROLE_BINDINGS,
    ...K3S_CLUSTER_ROLE_BINDINGS,
    ...NAMESPACE_ROLE_BINDINGS,
  ];
  for (const binding of bindings) {
    await ensure(client, binding, (existing) => reconcileBinding(existing as Binding, binding), result);
  }
  return result;
}

async function ensure(
  client: Client,
  expected: Owner,
  reconcile: (existing: Owner) => Owner | "recreate" | undefined,
  result: ReconcileResult,
): Promise<void> {
  const ref = { apiVersion: expected.apiVersion!, kind: expected.kind! };
  const { name, namespace } = expected.metadata;
  const what = `${expected.kind!.toLowerCase()}.rbac.authorization.k8s.io/${name}`;
  for (let attempt = 1;; attempt++) {
    try {
      let existing: Owner;
      try {
        existing = await client.get<Owner>(ref, namespace, name);
      } catch (error) {
        if (!isNotFound(error)) throw error;
        await client.create(structuredClone(expected) as never);
        result.created.push(what);
        return;
      }
      if (existing.metadata.annotations?.[AUTO_UPDATE] === "false") return;
      const reconciled = reconcile(existing);
      if (!reconciled) return;
      if (reconciled === "recreate") {
        await client.delete(ref, namespace, name, { preconditions: { uid: existing.metadata.uid as string } });
        await client.create(structuredClone(expected) as never);
      } else {
        await client.update(reconciled as never);
      }
      result.updated.push(what);
      return;
    } catch (error) {
      // Another server reconciling at the same time: look again.
      if (attempt < ATTEMPTS && (isConflict(error) || isAlreadyExists(error) || isNotFound(error))) continue;
      throw error;
    }
  }
}
