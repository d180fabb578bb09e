/**
 * The review kinds, answered and never stored: `SelfSubjectAccessReview` (`kubectl auth can-i`),
 * `SubjectAccessReview` and `LocalSubjectAccessReview` (someone else's access), `SelfSubjectRulesReview`
 * (`kubectl auth can-i --list`) and `SelfSubjectReview` (`kubectl auth whoami`), as kube-apiserver's registry
 * answers them.
 *
 * @module
 */
import type { ResourcePath, UserInfo, VirtualHandler } from "../../api/router.ts";
import { badRequest, invalid } from "../../api/status.ts";
import type { KubeObject } from "../../api/storage.ts";
import { type Attributes, nonResourceAttributes, resourceAttributes } from "./attributes.ts";
import { aggregate, type Authorizer, type RuleResolver } from "./authorizer.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

/** `spec.resourceAttributes` of an access review. */
interface ResourceAttributesSpec {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  fieldSelector?: { rawSelector?: string };
}

const AUTHORIZATION = "authorization.k8s.io";

/** kube's `ResourceAttributesFrom` / `NonResourceAttributesFrom`. */
function attributesFrom(user: UserInfo, spec: Json): Attributes {
  const r = spec.resourceAttributes as ResourceAttributesSpec | undefined;
  if (r) {
    return resourceAttributes(user, {
      verb: r.verb ?? "",
      namespace: r.namespace ?? "",
      apiGroup: r.group ?? "",
      apiVersion: r.version || "*",
      resource: r.resource ?? "",
      subresource: r.subresource ?? "",
      name: r.name ?? "",
      ...(r.fieldSelector?.rawSelector ? { fieldSelector: r.fieldSelector.rawSelector } : {}),
    });
  }
  const n = spec.nonResourceAttributes ?? {};
  return nonResourceAttributes(user, n.verb ?? "", n.path ?? "");
}

/** kube's access review spec validation: exactly one of resource and non-resource attributes. */
function validateSpec(kind: string, spec: Json, fields: Parameters<typeof invalid>[2] = []): void {
  const causes = [...fields];
  if (spec.resourceAttributes && spec.nonResourceAttributes) {
    causes.push({
      type: "FieldValueInvalid",
      field: "spec.nonResourceAttributes",
      message: 'Invalid value: "object": cannot be specified in combination with resourceAttributes',
    });
  }
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
    causes.push({
      type: "FieldValueInvalid",
      field: "spec.resourceAttributes",
      message: 'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
    });
  }
  if (causes.length) throw invalid({ group: AUTHORIZATION, kind }, "", causes);
}

/**
 * The reviews as one virtual handler, over the server's authorizer chain and rule resolvers.
 *
 * @example
 * ```ts
 * const router = new ApiRouter(registry, rest, [reviews(authorizer, ruleResolver)], authorization);
 * ```
 */
export function reviews(authorizer: Authorizer, ruleResolver: RuleResolver): VirtualHandler {
  async function accessReview(review: Json, attributes: Attributes): Promise<KubeObject> {
    const decided = await authorizer.authorize(attributes);
    return {
      ...review,
      metadata: { creationTimestamp: null, ...(review.metadata ?? {}) },
      status: {
        allowed: decided.decision === "allow",
        ...(decided.decision === "deny" ? { denied: true } : {}),
        ...(decided.reason ? { reason: decided.reason } : {}),
        ...(decided.error ? { evaluationError: decided.error } : {}),
      },
    };
  }

  return async (path: ResourcePath, body: unknown, user: UserInfo): Promise<KubeObject | undefined> => {
    if (path.subresource || path.name) return undefined;
    const { group, resource, version, kind } = path.info;
    const review = { ...(body as Json ?? {}), apiVersion: `${group}/${version}`, kind };
    const spec = review.spec ?? {};
    switch (`${group}/${resource}`) {
      case `${AUTHORIZATION}/selfsubjectaccessreviews`:
        validateSpec(kind, spec);
        return await accessReview(review, attributesFrom(user, spec));
      case `${AUTHORIZATION}/subjectaccessreviews`: {
        validateSpec(
          kind,
          spec,
          spec.user || spec.groups?.length ? [] : [{
            type: "FieldValueInvalid",
            field: "spec.user",
            message: `Invalid value: "": at least one of user or group must be specified`,
          }],
        );
        const subject: UserInfo = {
          username: spec.user ?? "",
          groups: spec.groups ?? [],
          ...(spec.uid ? { uid: spec.uid } : {}),
          ...(spec.extra ? { extra: spec.extra } : {}),
        };
        return await accessReview(review, attributesFrom(subject, spec));
      }
      case `${AUTHORIZATION}/localsubjectaccessreviews`: {
        const namespace = path.namespace ?? "";
        if (!namespace) throw badRequest(`namespace is required on this type: ${namespace}`);
        if ((review.metadata?.namespace ?? namespace) !== namespace) {
          throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        if (spec.resourceAttributes?.namespace !== namespace) {
          throw badRequest(`spec.resourceAttributes.namespace must match namespace: ${namespace}`);
        }
        validateSpec(
          kind,
          spec,
          spec.nonResourceAttributes
            ? [{
              type: "FieldValueInvalid",
              field: "spec.nonResourceAttributes",
              message: 'Invalid value: "object": disallowed on this kind of request',
            }]
            : [],
        );
        const subject: UserInfo = { username: spec.user ?? "", groups: spec.groups ?? [] };
        return await accessReview(
          { ...review, metadata: { ...review.metadata, namespace } },
          attributesFrom(subject, spec),
        );
      }
      case `${AUTHORIZATION}/selfsubjectrulesreviews`: {
        if (!spec.namespace) throw badRequest("no namespace on request");
        const rules = await ruleResolver.rulesFor(user, spec.namespace);
        // Go's omitempty: only verbs is always there.
        const omitEmpty = (rule: object) =>
          Object.fromEntries(Object.entries(rule).filter(([k, v]) => k === "verbs" || v?.length));
        return {
          apiVersion: review.apiVersion,
          kind,
          metadata: { creationTimestamp: null } as unknown as KubeObject["metadata"],
          spec: {},
          status: {
            resourceRules: rules.resourceRules.map(omitEmpty),
            nonResourceRules: rules.nonResourceRules.map(omitEmpty),
            incomplete: rules.incomplete,
            ...(rules.errors.length ? { evaluationError: aggregate(rules.errors) } : {}),
          },
        };
      }
      case "authentication.k8s.io/selfsubjectreviews":
        return {
          apiVersion: review.apiVersion,
          kind,
          metadata: { creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z") },
          status: {
            userInfo: {
              username: user.username,
              ...(user.uid ? { uid: user.uid } : {}),
              groups: user.groups,
              ...(user.extra && Object.keys(user.extra).length ? { extra: user.extra } : {}),
            },
          },
        };
      default:
        return undefined;
    }
  };
}
