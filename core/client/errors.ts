/**
 * Failed API calls as errors that carry kube-apiserver's `Status`, with the predicates controllers
 * branch on (`isNotFound`, `isConflict`, …) — the same checks client-go's `apierrors` package offers.
 *
 * @module
 */
import type { Status } from "../api/status.ts";

/**
 * A non-2xx answer from the API (or an `ERROR` watch event), with the `Status` the server sent.
 *
 * @example
 * ```ts
 * try { await client.get(ref, "default", "web"); } catch (e) { if (e instanceof ApiError) e.status.reason; }
 * ```
 */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(readonly status: Status) {
    super(status.message);
  }
  /** The HTTP status code (404, 409, …). */
  get code(): number {
    return this.status.code;
  }
  /** The machine-readable reason (`NotFound`, `Conflict`, `AlreadyExists`, …). */
  get reason(): string {
    return this.status.reason;
  }
}

/**
 * The error for a response: its `Status` when the body is one, else a `Status` built from the code and
 * body text, so callers always get a reason to test.
 *
 * @example
 * ```ts
 * if (!response.ok) throw await errorFromResponse(response);
 * ```
 */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's page, a bare message): a Status is synthesized.
  }
  return errorFromStatus(response.status, body, text || response.statusText);
}

/**
 * The error for a failed in-process answer (or a decoded body): `value` when it is a `Status`, else a `Status` built
 * from the code and `text`.
 *
 * @example
 * ```ts
 * if (reply.code >= 300) throw errorFromStatus(reply.code, reply.value);
 * ```
 */
export function errorFromStatus(code: number, value: unknown, text = ""): ApiError {
  const body = value as Partial<Status> | undefined;
  if (body?.kind === "Status") return new ApiError({ ...body, code: body.code ?? code } as Status);
  return new ApiError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: text || `the server answered ${code}`,
    reason: REASONS[code] ?? "Unknown",
    code,
  });
}

// client-go's reasonForError when the server sent no Status.
const REASONS: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  406: "NotAcceptable",
  409: "Conflict",
  410: "Expired",
  413: "RequestEntityTooLarge",
  415: "UnsupportedMediaType",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

function hasReason(error: unknown, reason: string): boolean {
  return error instanceof ApiError && error.reason === reason;
}

/**
 * The object (or the path) does not exist.
 *
 * @example
 * ```ts
 * const cm = await client.get(ref, "default", "a").catch((e) => isNotFound(e) ? undefined : Promise.reject(e));
 * ```
 */
export function isNotFound(error: unknown): boolean {
  return hasReason(error, "NotFound");
}

/**
 * A write lost a resourceVersion race: re-read and retry.
 *
 * @example
 * ```ts
 * if (isConflict(e)) return { requeue: true };
 * ```
 */
export function isConflict(error: unknown): boolean {
  return hasReason(error, "Conflict");
}

/**
 * A create found the name taken.
 *
 * @example
 * ```ts
 * await client.create(cm).catch((e) => { if (!isAlreadyExists(e)) throw e; });
 * ```
 */
export function isAlreadyExists(error: unknown): boolean {
  return hasReason(error, "AlreadyExists");
}

/**
 * The object failed validation (422); `status.details.causes` names the fields.
 *
 * @example
 * ```ts
 * if (isInvalid(e)) console.log(e.status.details?.causes);
 * ```
 */
export function isInvalid(error: unknown): boolean {
  return hasReason(error, "Invalid");
}

/**
 * A watch or list asked for a compacted resourceVersion (410): list again from scratch.
 *
 * @example
 * ```ts
 * if (isExpired(e)) await relist();
 * ```
 */
export function isExpired(error: unknown): boolean {
  return error instanceof ApiError && (error.reason === "Expired" || error.reason === "Gone" || error.code === 410);
}
