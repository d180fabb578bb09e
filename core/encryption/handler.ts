/**
 * K3s's supervisor endpoints for secrets encryption on the API port: `GET /v1-k3s/encrypt/status` and
 * `PUT /v1-k3s/encrypt/config`. K3s lets the `k3s:server` role in (the server token's user); here the
 * admin identity (`system:masters`) may call them too, since the CLI uses the admin credentials.
 *
 * @module
 */
import { errorResponse, jsonResponse, type UserInfo } from "../api/router.ts";
import { badRequest, forbidden, methodNotAllowed } from "../api/status.ts";
import { type EncryptionRequest, EncryptionRequestError, type SecretsEncryption } from "./secrets_encryption.ts";

/** The paths served, as K3s names them (`/v1-<program>/encrypt/…`). */
export const ENCRYPT_STATUS_PATH = "/v1-k3s/encrypt/status";
export const ENCRYPT_CONFIG_PATH = "/v1-k3s/encrypt/config";

const ALLOWED_GROUPS = ["k3s:server", "system:masters"];

/**
 * A handler answering the two encryption endpoints (undefined for any other path).
 *
 * @example
 * ```ts
 * const encrypt = encryptionHandler(encryption);
 * const response = await encrypt(request, user) ?? await router.handle(request, user, signal);
 * ```
 */
export function encryptionHandler(
  encryption: SecretsEncryption,
): (request: Request, user: UserInfo) => Promise<Response | undefined> {
  return async (request, user) => {
    const path = new URL(request.url).pathname;
    if (path !== ENCRYPT_STATUS_PATH && path !== ENCRYPT_CONFIG_PATH) return undefined;
    try {
      if (!user.groups.some((group) => ALLOWED_GROUPS.includes(group))) throw forbidden("forbidden");
      if (path === ENCRYPT_STATUS_PATH) return jsonResponse(await encryption.status());
      if (request.method !== "PUT") throw methodNotAllowed("method not allowed");
      let body: EncryptionRequest;
      try {
        body = await request.json() as EncryptionRequest;
      } catch (error) {
        throw badRequest((error as Error).message);
      }
      await encryption.request(body).catch((error) => {
        throw error instanceof EncryptionRequestError ? badRequest(error.message) : error;
      });
      return new Response(null, { status: 200 });
    } catch (error) {
      return errorResponse(error);
    }
  };
}
