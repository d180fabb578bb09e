/**
 * One HTTPS request to the server's supervisor, as K3s's `clientaccess` makes them: a 10-second timeout, the join
 * token's credentials (Basic `node:<password>`, or `Bearer <id>.<secret>` for a bootstrap token), trusting the given
 * CA bundle (or the host's roots, or nothing at all for the first `/cacerts` fetch), optionally presenting the
 * node's client certificate. A failure says whether waiting may help (the server is down or not ready) or not.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import https from "node:https";

/** How long K3s's join client waits for an answer. */
const TIMEOUT_MS = 10_000;

/** What a request sends. */
export interface SupervisorRequest {
  /** The full URL, e.g. `https://10.0.0.1:6443/v1-k3s/config`. */
  url: string;
  method?: "GET" | "POST";
  /** Trust only this CA bundle; `"insecure"` skips verification; absent uses the host's roots. */
  trust?: string | "insecure";
  /** `Authorization` header value (see {@linkcode authorizationHeader}). */
  authorization?: string;
  /** The client certificate and key to present (PEM). */
  identity?: { certPem: string; keyPem: string };
  headers?: Record<string, string>;
  body?: Uint8Array;
}

/** A request that failed; `retry` is true when the server was unreachable or said it is not ready (5xx). */
export class SupervisorError extends Error {
  constructor(message: string, readonly status: number | undefined, readonly retry: boolean) {
    super(message);
  }
}

/**
 * The `Authorization` value for a parsed join token: Bearer for a bootstrap token, else Basic as the user `node`
 * (K3s's agent always joins as `node`, whatever user the token names).
 *
 * @example
 * ```ts
 * authorizationHeader({ password: "secret" }); // "Basic bm9kZTpzZWNyZXQ="
 * ```
 */
export function authorizationHeader(token: { password?: string; bootstrapToken?: string }): string {
  if (token.bootstrapToken) return `Bearer ${token.bootstrapToken}`;
  return `Basic ${Buffer.from(`node:${token.password ?? ""}`).toString("base64")}`;
}

/**
 * The body of a 2xx answer; anything else throws a {@linkcode SupervisorError} worded as K3s's (`<url>: <status>`).
 *
 * @example
 * ```ts
 * const pem = new TextDecoder().decode(await supervisorRequest({ url: `${server}/cacerts`, trust: "insecure" }));
 * ```
 */
export function supervisorRequest(request: SupervisorRequest): Promise<Uint8Array> {
  const url = new URL(request.url);
  return new Promise((resolve, reject) => {
    const outgoing = https.request({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port || 443,
      path: url.pathname + url.search,
      method: request.method ?? "GET",
      agent: false,
      timeout: TIMEOUT_MS,
      ...(request.trust === "insecure"
        ? { rejectUnauthorized: false }
        : request.trust !== undefined
        ? { ca: request.trust }
        : {}),
      ...(request.identity && { cert: request.identity.certPem, key: request.identity.keyPem }),
      headers: {
        ...request.headers,
        ...(request.authorization && { authorization: request.authorization }),
        ...(request.body && { "content-length": String(request.body.length) }),
      },
    });
    outgoing.once("timeout", () => outgoing.destroy(new Error("timeout awaiting response headers")));
    outgoing.once("error", (error: NodeJS.ErrnoException) => {
      // TLS verification failures will not heal by waiting; refused or reset connections may.
      const retry = !error.code?.startsWith("ERR_TLS") && !/certificate|self.signed/i.test(error.message);
      reject(new SupervisorError(`${request.url}: ${error.message}`, undefined, retry));
    });
    outgoing.once("response", (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.once(
        "error",
        (error) => reject(new SupervisorError(`${request.url}: ${error.message}`, undefined, true)),
      );
      incoming.once("end", () => {
        const status = incoming.statusCode ?? 0;
        if (status >= 200 && status <= 299) return resolve(new Uint8Array(Buffer.concat(chunks)));
        reject(
          new SupervisorError(
            `${request.url}: ${status} ${incoming.statusMessage ?? ""}`.trim(),
            status,
            status >= 500,
          ),
        );
      });
    });
    outgoing.end(request.body);
  });
}
