/**
 * gRPC channel credentials for `https://` etcd endpoints.
 *
 * grpc-js's own TLS credentials always send the target host as SNI `servername`. Deno's `node:tls`
 * refuses an IP address there (Node only warns), and etcd endpoints are usually IP addresses, so this
 * connector leaves SNI out for IPs; the certificate is still checked against the IP (its IP SANs).
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { readFileSync } from "node:fs";
import { isIP, type Socket } from "node:net";
import * as tls from "node:tls";
import * as grpc from "@grpc/grpc-js";

/** Client TLS material: PEM text, or paths of PEM files (as K3s's `--datastore-cafile` etc. give). */
export interface EtcdTls {
  ca?: string;
  cert?: string;
  key?: string;
}

/**
 * Credentials for a TLS connection to `host`, trusting `tls.ca` (or the system roots) and presenting
 * the client certificate if one is given.
 *
 * @example
 * ```ts
 * const credentials = tlsCredentials("10.0.0.5", { ca: "/etc/etcd/ca.crt", cert: "/etc/etcd/c.crt", key: "/etc/etcd/c.key" });
 * const channel = new grpc.Channel("10.0.0.5:2379", credentials, {});
 * ```
 */
export function tlsCredentials(host: string, material: EtcdTls = {}): grpc.ChannelCredentials {
  const secureContext = tls.createSecureContext({
    ca: pem(material.ca),
    cert: pem(material.cert),
    key: pem(material.key),
  });
  return new EtcdTlsCredentials(host.replace(/^\[|\]$/g, ""), secureContext);
}

class EtcdTlsCredentials extends grpc.ChannelCredentials {
  #host: string;
  #secureContext: tls.SecureContext;

  constructor(host: string, secureContext: tls.SecureContext) {
    super();
    this.#host = host;
    this.#secureContext = secureContext;
  }

  _isSecure(): boolean {
    return true;
  }

  _equals(other: grpc.ChannelCredentials): boolean {
    return other === this;
  }

  _createSecureConnector(_target: unknown, _options: unknown, callCredentials?: grpc.CallCredentials) {
    return {
      connect: (socket: Socket) =>
        new Promise<{ socket: Socket; secure: boolean }>((resolve, reject) => {
          const secured = tls.connect({
            socket,
            secureContext: this.#secureContext,
            host: this.#host,
            servername: isIP(this.#host) ? undefined : this.#host,
            ALPNProtocols: ["h2"],
          }, () => {
            if (!secured.authorized) reject(secured.authorizationError);
            else resolve({ socket: secured, secure: true });
          });
          secured.on("error", reject);
        }),
      waitForReady: () => Promise.resolve(),
      getCallCredentials: () => callCredentials ?? grpc.CallCredentials.createEmpty(),
      destroy: () => {},
    };
  }
}

function pem(value: string | undefined): Buffer | undefined {
  if (!value) return undefined;
  return value.includes("-----BEGIN") ? Buffer.from(value) : readFileSync(value);
}
