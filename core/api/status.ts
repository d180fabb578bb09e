/**
 * Kubernetes `Status` errors, with the reasons, codes and causes kube-apiserver uses, so that kubectl
 * prints the same messages.
 *
 * @module
 */

/** One field-level cause of an Invalid (422) error, e.g. `{ type: "FieldValueRequired", field: "spec.containers" }`. */
export interface StatusCause {
  /** `FieldValueInvalid`, `FieldValueRequired`, `FieldValueDuplicate`, `FieldValueNotSupported`, `FieldValueForbidden`, `FieldValueTooLong`, … */
  type: string;
  message: string;
  field: string;
}

/** The `Status` object returned for every failed request. */
export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure" | "Success";
  message: string;
  reason: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
  code: number;
}

/** An error that the API answers with its `Status`. */
export class StatusError extends Error {
  override name = "StatusError";
  constructor(readonly status: Status) {
    super(status.message);
  }
  get code(): number {
    return this.status.code;
  }
}

/**
 * Any failure `Status` as an error, for the reasons without a builder of their own.
 *
 * @example
 * ```ts
 * throw failure(415, "UnsupportedMediaType", "server-side apply is not supported yet");
 * ```
 */
export function failure(code: number, reason: string, message: string, details?: Status["details"]): StatusError {
  return new StatusError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    details,
    code,
  });
}

/** The resource as kube-apiserver names it in messages: `configmaps`, `deployments.apps`. */
export interface Qualified {
  group: string;
  resource: string;
}

function qualified(r: Qualified): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

/**
 * 404 NotFound: `configmaps "nope" not found`.
 *
 * @example
 * ```ts
 * throw notFound({ group: "", resource: "configmaps" }, "nope");
 * ```
 */
export function notFound(r: Qualified, name: string): StatusError {
  return failure(404, "NotFound", `${qualified(r)} "${name}" not found`, { name, group: r.group, kind: r.resource });
}

/**
 * 409 AlreadyExists: `configmaps "a" already exists`.
 *
 * @example
 * ```ts
 * throw alreadyExists({ group: "", resource: "configmaps" }, "a");
 * ```
 */
export function alreadyExists(r: Qualified, name: string): StatusError {
  return failure(409, "AlreadyExists", `${qualified(r)} "${name}" already exists`, {
    name,
    group: r.group,
    kind: r.resource,
  });
}

/**
 * 409 Conflict for a stale resourceVersion, worded as kube-apiserver words it.
 *
 * @example
 * ```ts
 * throw conflict({ group: "apps", resource: "deployments" }, "web");
 * ```
 */
export function conflict(r: Qualified, name: string, message?: string): StatusError {
  return failure(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualified(r)} "${name}": ${
      message ?? "the object has been modified; please apply your changes to the latest version and try again"
    }`,
    { name, group: r.group, kind: r.resource },
  );
}

/**
 * 422 Invalid: `ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: …`.
 *
 * @example
 * ```ts
 * throw invalid({ group: "", kind: "ConfigMap" }, "Bad_Name", [{ type: "FieldValueInvalid", field: "metadata.name", message: "Invalid value: …" }]);
 * ```
 */
export function invalid(k: { group: string; kind: string }, name: string, causes: StatusCause[]): StatusError {
  const detail = causes.map((c) => `${c.field}: ${c.message}`);
  const summary = detail.length === 1 ? detail[0] : `[${detail.join(", ")}]`;
  return failure(422, "Invalid", `${k.kind}${k.group ? "." + k.group : ""} "${name}" is invalid: ${summary}`, {
    name,
    group: k.group,
    kind: k.kind,
    causes,
  });
}

/**
 * 400 BadRequest.
 *
 * @example
 * ```ts
 * throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
 * ```
 */
export function badRequest(message: string): StatusError {
  return failure(400, "BadRequest", message);
}

/** 404 for a path no resource answers (no name, no kind), as kube-apiserver words it. */
export function pathNotFound(): StatusError {
  return failure(404, "NotFound", "the server could not find the requested resource", {});
}

/** 403 Forbidden. */
export function forbidden(message: string, details?: Status["details"]): StatusError {
  return failure(403, "Forbidden", message, details);
}

/** 401 Unauthorized. */
export function unauthorized(): StatusError {
  return failure(401, "Unauthorized", "Unauthorized");
}

/** 405 MethodNotAllowed. */
export function methodNotAllowed(
  message = "the server does not allow this method on the requested resource",
): StatusError {
  return failure(405, "MethodNotAllowed", message);
}

/** 406 NotAcceptable. */
export function notAcceptable(message: string): StatusError {
  return failure(406, "NotAcceptable", message);
}

/** 410 Expired (a compacted resourceVersion). */
export function expired(message: string): StatusError {
  return failure(410, "Expired", message);
}

/** 413 RequestEntityTooLarge. */
export function tooLarge(message = "Request entity too large: limit is 3145728"): StatusError {
  return failure(413, "RequestEntityTooLarge", message);
}

/** 415 UnsupportedMediaType. */
export function unsupportedMediaType(contentType: string): StatusError {
  return failure(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got ${contentType})`,
  );
}

/** 500 InternalError. */
export function internalError(message: string): StatusError {
  return failure(500, "InternalError", `Internal error occurred: ${message}`);
}

/** 503 ServiceUnavailable (the datastore is away). */
export function serviceUnavailable(message: string): StatusError {
  return failure(503, "ServiceUnavailable", message, { retryAfterSeconds: 1 });
}

/** 504 Timeout. */
export function timeout(message: string): StatusError {
  return failure(504, "Timeout", message);
}
