/**
 * The HTTPS front door: `node:https` with client certificates requested, hono routing, every request
 * authenticated (client certificate or bearer token) but the unauthenticated endpoints K3s keeps
 * (`/cacerts`, `/ping`). HTTP/1.1 only (see DESIGN: Deno's HTTP/2
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
import type { Authenticator, VerifiedCertificate } from "../auth/authentication/authenticator.ts";
import { isVersion1, version1Refusal } from "../auth/authentication/x509.ts";

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
  /** Names the user behind each request (see core/auth/authentication); undefined answers 401. */
  authenticate: Authenticator;
  handler: Handler;
  /** Why a client certificate was refused, when the reason is worth telling the operator. */
  log?: (line: string) => void;
}

/** A listening HTTPS server. */
export interface HttpsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * The subject of the client certificate when it chains to the client CA and is within its validity
 * (TLS verifies it); an expired certificate, one from another CA, or a version 1 certificate that Deno's
 * TLS cannot judge (logged with `log`) counts as none.
 *
 * @example
 * ```ts
 * verifiedCertificate(socket, log); // { commonName: "system:admin", organizations: ["system:masters"] }
 * ```
 */
export function verifiedCertificate(
  socket: TLSSocket,
  log?: (line: string) => void,
): VerifiedCertificate | undefined {
  const peer = socket.getPeerCertificate(true);
  if (!peer?.subject) return undefined;
  if (!socket.authorized) {
    if (peer.raw && isVersion1(peer.raw)) log?.(version1Refusal(peer.subject.CN as string | undefined));
    return undefined;
  }
  const subject = peer.subject;
  const o = subject.O as string | string[] | undefined;
  return {
    commonName: subject.CN ? String(subject.CN) : undefined,
    organizations: o === undefined ? [] : Array.isArray(o) ? o : [o],
  };
}

/**
 * Listen with TLS and serve `handler` to the users `authenticate` names; everyone else gets 401,
 * except on `/cacerts` and `/ping`.
 *
 * @example
 * ```ts
 * const server = await startHttps({ port: 6443, bindAddress: "0.0.0.0", certificates, authenticate, handler });
 * ```
 */
export function startHttps(options: HttpsOptions): Promise<HttpsServer> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.get("/cacerts", () => new Response(options.certificates.serverCA, { headers: { "content-type": "text/plain" } }));
  app.get("/ping", () => new Response("pong", { headers: { "content-type": "text/plain" } }));
  app.all("*", async (c) => {
    try {
      const request = c.req.raw;
      const certificate = verifiedCertificate(c.env.incoming.socket as TLSSocket, options.log);
      const user = await options.authenticate({ headers: request.headers, certificate });
      if (!user) return jsonResponse(unauthorized().status, 401);
      const closed = new AbortController();
      c.env.outgoing.once("close", () => closed.abort());
      const response = await options.handler(request, user, closed.signal);
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
