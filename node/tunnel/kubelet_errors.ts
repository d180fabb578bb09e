/**
 * The API server's Status for what went wrong talking to a kubelet, in kube-apiserver's words: a kubelet's error
 * answer to a log request becomes the Status its `GenericHttpResponseChecker` makes of it (400 and 500 keep the
 * kubelet's text; other codes get apimachinery's generic message naming `pods/log <pod>`), and a kubelet that cannot
 * be reached is a 500 without a reason, as Go's plain errors are.
 *
 * @module
 */
import { badRequest, failure, internalError, StatusError } from "../../core/api/status.ts";

/** apimachinery's `NewGenericServerResponse` reasons and messages, by code. */
const GENERIC: Record<number, [reason: string, message: string]> = {
  400: ["BadRequest", "the server rejected our request for an unknown reason"],
  401: ["Unauthorized", "the server has asked for the client to provide credentials"],
  404: ["NotFound", "the server could not find the requested resource"],
  405: ["MethodNotAllowed", "the server does not allow this method on the requested resource"],
  406: ["NotAcceptable", "the server was unable to respond with a content type that the client supports"],
  409: ["Conflict", "the server reported a conflict"],
  415: ["UnsupportedMediaType", "the server was unable to respond with a content type that the client supports"],
  422: ["Invalid", "the server rejected our request due to an error in our request"],
  429: ["TooManyRequests", "the server has received too many requests and has asked us to try again later"],
  503: ["ServiceUnavailable", "the server is currently unable to handle the request"],
  504: [
    "Timeout",
    "the server was unable to return a response in the time allotted, but may still be processing the request",
  ],
};

/**
 * The Status for a kubelet's non-2xx answer `body` to the logs of pod `name`.
 *
 * @example
 * ```ts
 * kubeletLogError(404, `pod "web" does not exist`, "web").message;
 * // "the server could not find the requested resource ( pods/log web)"
 * ```
 */
export function kubeletLogError(code: number, body: string, name: string): StatusError {
  if (code === 400) return badRequest(body);
  if (code === 500) return internalError(body);
  let [reason, message] = GENERIC[code] ??
    ["", `the server responded with the status code ${code} but did not return more information`];
  if (code === 403) [reason, message] = ["Forbidden", body];
  else if (code > 500 && !GENERIC[code]) {
    [reason, message] = [
      "InternalError",
      `an error on the server (${JSON.stringify(body)}) has prevented the request from succeeding`,
    ];
  }
  // Go formats `(<verb> <resource> <name>)` with an empty verb, hence the leading space.
  return failure(code, reason, `${message} ( pods/log ${name})`, { kind: "pods/log", name });
}

/**
 * The Status for a kubelet that could not be reached (no tunnel, refused, TLS failure); Status errors pass through.
 *
 * @example
 * ```ts
 * backendError(new Error("connect ECONNREFUSED 127.0.0.1:10250")).message;
 * // "error dialing backend: connect ECONNREFUSED 127.0.0.1:10250"
 * ```
 */
export function backendError(error: unknown): StatusError {
  if (error instanceof StatusError) return error;
  return failure(500, "", `error dialing backend: ${error instanceof Error ? error.message : String(error)}`);
}
