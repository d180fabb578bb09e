/**
 * Resources that are answered, never stored: the review kinds (`kubectl auth can-i`, `auth whoami`).
 * Until authorization lands every authenticated user may do everything, and the reviews say so.
 *
 * @module
 */
import type { ResourcePath, UserInfo } from "./router.ts";
import type { KubeObject } from "./storage.ts";

/**
 * The answer to a POST of a review kind, or undefined for stored kinds.
 *
 * @example
 * ```ts
 * virtualResources(path, { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec: {…} }, user);
 * ```
 */
export function virtualResources(path: ResourcePath, body: unknown, user: UserInfo): KubeObject | undefined {
  const review = (body ?? {}) as KubeObject;
  const gv = path.info.group ? `${path.info.group}/${path.info.version}` : path.info.version;
  const answer = (status: Record<string, unknown>): KubeObject => ({
    ...review,
    apiVersion: gv,
    kind: path.info.kind,
    metadata: { ...(review.metadata ?? {}) },
    status,
  });
  switch (`${path.info.group}/${path.info.resource}`) {
    case "authorization.k8s.io/selfsubjectaccessreviews":
    case "authorization.k8s.io/subjectaccessreviews":
    case "authorization.k8s.io/localsubjectaccessreviews":
      return answer({ allowed: true, reason: "every authenticated user is allowed until RBAC is enforced" });
    case "authorization.k8s.io/selfsubjectrulesreviews":
      return answer({
        resourceRules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }],
        nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }],
        incomplete: false,
      });
    case "authentication.k8s.io/selfsubjectreviews":
      return answer({
        userInfo: { username: user.username, groups: user.groups, ...(user.uid ? { uid: user.uid } : {}) },
      });
    default:
      return undefined;
  }
}
