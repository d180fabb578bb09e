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
import type { Buffer } from "node:buffer";
import type { IncomingMessage } from "node:http";
import https from "node:https";
import type { Duplex } from "node:stream";
import type { AddressInfo, Socket } from "node:net";
import { createSecureContext, type SecureContext, type TLSSocket } from "node:tls";
import { errorResponse, jsonResponse, type UserInfo } from "../api/router.ts";
import { pathNotFound, unauthorized } from "../api/status.ts";
import { staticFile } from "./static_files.ts";
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

/**
 * Sees the names clients reach the server by, so the serving certificate can follow them (K3s's
 * dynamiclistener, core/pki/dynamic_listener.ts).
 */
export interface ServerNameObserver {
  /** A connection's local address; its TLS handshake waits for this. */
  accepted(localAddress: string | undefined): Promise<void>;
  /** A handshake's SNI name; the handshake waits for this. */
  serverName(name: string): Promise<void>;
  /** Every request, before authentication. */
  request(request: Request): void;
}

/** Options of {@linkcode startHttps}. */
export interface HttpsOptions {
  port: number;
  bindAddress: string;
  certificates: ServingCertificates;
  /** Names the user behind each request (see core/auth/authentication); undefined answers 401. */
  authenticate: Authenticator;
  handler: Handler;
  /** Files served without authentication under `/static/` (K3s's `<data-dir>/server/static`). */
  staticDir?: string;
  /** Why a client certificate was refused, when the reason is worth telling the operator. */
  log?: (line: string) => void;
  /** Told of every name clients use, before the certificate is presented (see {@linkcode ServerNameObserver}). */
  names?: ServerNameObserver;
  /**
   * Takes over an authenticated HTTP upgrade request (exec, attach, port-forward); a throw is answered with its
   * Status. Without it upgrades are refused.
   */
  upgrade?: (request: IncomingMessage, socket: Duplex, head: Buffer, user: UserInfo) => Promise<void>;
}

/** A listening HTTPS server. */
export interface HttpsServer {
  port: number;
  /** Serve another certificate from the next handshake on; open connections keep theirs. */
  updateCertificates(pair: { cert: string; key: string }): void;
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
  const names = options.names;
  if (names) {
    app.use("*", async (c, next) => {
      names.request(c.req.raw);
      await next();
    });
  }
  app.get("/cacerts", () => new Response(options.certificates.serverCA, { headers: { "content-type": "text/plain" } }));
  app.get("/ping", () => new Response("pong", { headers: { "content-type": "text/plain" } }));
  const staticDir = options.staticDir;
  if (staticDir) app.get("/static/*", (c) => staticFile(staticDir, new URL(c.req.url).pathname));
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
  const upgrade = async (request: IncomingMessage, socket: TLSSocket, head: Buffer) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const certificate = verifiedCertificate(socket, options.log);
    const user = await options.authenticate({ headers, certificate });
    if (!user) return refuseUpgrade(socket, jsonResponse(unauthorized().status, 401));
    if (!options.upgrade) return refuseUpgrade(socket, errorResponse(pathNotFound()));
    await options.upgrade(request, socket, head, user);
  };
  const contextOptions = (pair: { cert: string; key: string }) => ({ ...pair, ca: options.certificates.clientCA });
  let context: SecureContext = createSecureContext(contextOptions(options.certificates));
  const noteFailure = (what: string) => (error: unknown) => options.log?.(`Serving certificate for ${what}: ${error}`);
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
        ...(names && {
          SNICallback: (name: string, done: (error: Error | null, context?: SecureContext) => void) => {
            (name ? names.serverName(name).catch(noteFailure(name)) : Promise.resolve()).then(() =>
              done(null, context)
            );
          },
        }),
      },
    }, (info: AddressInfo) => {
      resolve({
        port: info.port,
        updateCertificates(pair) {
          context = createSecureContext(contextOptions(pair));
          (server as unknown as https.Server).setSecureContext(contextOptions(pair));
        },
        close: () =>
          new Promise<void>((done) => {
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
    server.once("error", reject);
    server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on("error", () => socket.destroy());
      upgrade(request, socket as TLSSocket, head).catch((error) => refuseUpgrade(socket, errorResponse(error)));
    });
    if (names) {
      // The TLS layer takes each connection only once the certificate covers the address it arrived on.
      const handOver = server.listeners("connection") as ((socket: Socket) => void)[];
      server.removeAllListeners("connection");
      server.on("connection", (socket: Socket) => {
        const ignore = () => {};
        socket.on("error", ignore);
        names.accepted(socket.localAddress).catch(noteFailure(String(socket.localAddress))).then(() => {
          socket.off("error", ignore);
          if (!socket.destroyed) { for (const listener of handOver) listener.call(server, socket); }
        });
      });
    }
  });
}

/**
 * Answer an upgrade request with `response` (a Status) and close the connection.
 *
 * @example
 * ```ts
 * await refuseUpgrade(socket, errorResponse(error));
 * ```
 */
export async function refuseUpgrade(socket: Duplex, response: Response): Promise<void> {
  const body = await response.text();
  socket.end(
    `HTTP/1.1 ${response.status} ${response.statusText || "Error"}\r\n` +
      `Content-Type: ${response.headers.get("content-type") ?? "application/json"}\r\n` +
      `Content-Length: ${new TextEncoder().encode(body).length}\r\nConnection: close\r\n\r\n${body}`,
  );
}
