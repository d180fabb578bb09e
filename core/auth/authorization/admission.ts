/**
 * The authorization-dependent admission of writes, run where the final object is known (after defaulting and
 * validation, and after a patch is applied): RBAC escalation prevention and NodeRestriction. It wraps the write
 * strategy and reads who asks from the request being served; the server's own writes are not checked.
 *
 * @module
 */
import type { ResourceInfo } from "../../registry/types.ts";
import type { DeleteOptions } from "../../api/rest.ts";
import type { Strategy } from "../../api/strategy.ts";
import type { KubeObject } from "../../api/storage.ts";
import type { EscalationCheck } from "../rbac/escalation.ts";
import type { Binding, Role } from "../rbac/types.ts";
import type { NodeRestriction } from "../node/restriction.ts";
import type { Attributes } from "./attributes.ts";
import { currentRequest } from "./context.ts";

type RbacObject = Role | Binding;

/** The request being served, when it is a write of `r` itself (not a side effect on another resource). */
function requestFor(r: ResourceInfo): Attributes | undefined {
  const request = currentRequest();
  return request && request.apiGroup === r.group && request.resource === r.resource ? request : undefined;
}

/** A mutating admission plugin: changes an object being created before it is defaulted and validated. */
export type MutatingAdmission = (r: ResourceInfo, object: KubeObject) => Promise<void> | void;

/**
 * A strategy that runs the mutating admission plugins on every create, admits every create and update through
 * escalation prevention and NodeRestriction, then defers to `inner` for everything.
 *
 * @example
 * ```ts
 * const rest = new Rest(store, new AdmittingStrategy(strategy, escalation, nodeRestriction));
 * ```
 */
export class AdmittingStrategy implements Strategy {
  constructor(
    private readonly inner: Strategy,
    private readonly escalation: EscalationCheck,
    private readonly nodeRestriction: NodeRestriction,
    private readonly mutating: MutatingAdmission[] = [],
  ) {}

  async prepareCreate(r: ResourceInfo, object: KubeObject, options: { dryRun?: boolean }): Promise<KubeObject> {
    for (const admit of this.mutating) await admit(r, object);
    const prepared = await this.inner.prepareCreate(r, object, options);
    const request = requestFor(r);
    if (request) {
      await this.escalation.admit(request, prepared as unknown as RbacObject);
      await this.nodeRestriction.admit(request, "create", prepared);
    }
    return prepared;
  }

  async prepareUpdate(
    r: ResourceInfo,
    desired: KubeObject,
    current: KubeObject,
    options: { subresource?: "status" | "binding"; dryRun?: boolean },
  ): Promise<KubeObject> {
    const prepared = await this.inner.prepareUpdate(r, desired, current, options);
    const request = requestFor(r);
    if (request) {
      await this.escalation.admit(request, prepared as unknown as RbacObject, current as unknown as RbacObject);
      await this.nodeRestriction.admit(request, "update", prepared, current);
    }
    return prepared;
  }

  keepsOnDelete(r: ResourceInfo, current: KubeObject, options: DeleteOptions): boolean {
    return this.inner.keepsOnDelete(r, current, options);
  }

  gracePeriod(r: ResourceInfo, current: KubeObject, options: DeleteOptions): number {
    return this.inner.gracePeriod?.(r, current, options) ?? 0;
  }

  prepareTerminating(r: ResourceInfo, object: KubeObject): void {
    this.inner.prepareTerminating?.(r, object);
  }

  ttl(r: ResourceInfo): number {
    return this.inner.ttl(r);
  }

  async afterCreateFailed(r: ResourceInfo, object: KubeObject): Promise<void> {
    await this.inner.afterCreateFailed?.(r, object);
  }

  async afterDelete(r: ResourceInfo, object: KubeObject): Promise<void> {
    await this.inner.afterDelete?.(r, object);
  }

  decorate(r: ResourceInfo, object: KubeObject): KubeObject {
    return this.inner.decorate?.(r, object) ?? object;
  }
}
