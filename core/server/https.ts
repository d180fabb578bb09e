/**
 * The HTTPS front door: `node:https` with client certificates requested, hono routing, and the
 * unauthenticated endpoints K3s keeps (`/cacerts`, `/ping`). HTTP/1.1 only (see DESIGN: Deno's HTTP/2
 * server can abort the process).
 *
 * @module
 */
import { type HttpBindings, serve } from "@hono/node-server";
import { Hono } from "hono";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { errorResponse, jsonResponse, type UserInfo } from "../api/router.ts";
import { pathNotFound, unauthorized } from "../api/status.ts";

/** Certificates the server presents and trusts (PEM). */
export interface ServingCertificates {
  cert: string;
  key: string;
  /** CA that signs client certificates. */
  clientCA: string;
  /** CA that signs the serving certificate (served at `/cacerts`). */
  serverCA: string;
}

/** Answers one authenticated request, or undefined to fall through to a 404. */
export type Handler = (
  request: Request,
  user: UserInfo,
  signal: AbortSignal,
) => Promise<Response | undefined> | Response | undefined;

/** Options of {@linkcode startHttps}. */
export interface HttpsOptions {
  port: number;
  bindAddress: string;
  certificates: ServingCertificates;
  handler: Handler;
}

/** A listening HTTPS server. */
export interface HttpsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * The identity a verified client certificate carries: CN is the user, each O a group.
 *
 * @example
 * ```ts
 * userFromCertificate(socket); // { username: "system:admin", groups: ["system:masters", "system:authenticated"] }
 * ```
 */
export function userFromCertificate(socket: TLSSocket): UserInfo | undefined {
  if (!socket.authorized) return undefined;
  const subject = socket.getPeerCertificate()?.subject;
  if (!subject?.CN) return undefined;
  const o = subject.O as string | string[] | undefined;
  const groups = o === undefined ? [] : Array.isArray(o) ? o : [o];
  return { username: String(subject.CN), groups: [...groups, "system:authenticated"] };
}

/**
 * Listen with TLS and serve `handler` to clients with a valid certificate; everyone else gets 401,
 * except `/cacerts` and `/ping`.
 *
 * @example
 * ```ts
 * const server = await startHttps({ port: 6443, bindAddress: "0.0.0.0", certificates, handler });
 * ```
 */
export function startHttps(options: HttpsOptions): Promise<HttpsServer> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.get("/cacerts", () => new Response(options.certificates.serverCA, { headers: { "content-type": "text/plain" } }));
  app.get("/ping", () => new Response("pong", { headers: { "content-type": "text/plain" } }));
  app.all("*", async (c) => {
    try {
      const user = userFromCertificate(c.env.incoming.socket as TLSSocket);
      if (!user) return jsonResponse(unauthorized().status, 401);
      const closed = new AbortController();
      c.env.outgoing.once("close", () => closed.abort());
      const response = await options.handler(c.req.raw, user, closed.signal);
      return response ?? errorResponse(pathNotFound());
    } catch (error) {
      return errorResponse(error);
    }
  });
  return new Promise((resolve, reject) => {
    const server = serve({
      fetch: app.fetch,
      port: options.port,
      hostname: options.bindAddress,
      createServer: https.createServer,
      serverOptions: {
        cert: options.certificates.cert,
        key: options.certificates.key,
        ca: options.certificates.clientCA,
        requestCert: true,
        rejectUnauthorized: false,
      },
    }, (info: AddressInfo) => {
      resolve({
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
    server.once("error", reject);
  });
}
