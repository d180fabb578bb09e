/**
 * The one error type of this package, so the API server can map it to `400 BadRequest`.
 *
 * @module
 */

/**
 * Thrown when a request body cannot be turned into the JSON object it stands for.
 *
 * @example
 * ```ts
 * try {
 *   decodeKubernetesProtobuf(body);
 * } catch (e) {
 *   if (e instanceof KubernetesProtobufError) return badRequest(e.message);
 *   throw e;
 * }
 * ```
 */
export class KubernetesProtobufError extends Error {
  override name = "KubernetesProtobufError";
}
