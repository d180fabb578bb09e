/**
 * The single entry point to `@peculiar/x509`. The library resolves its ASN.1 schemas through
 * tsyringe, which needs `reflect-metadata` loaded before it, and it must be told which WebCrypto to
 * use; doing both here once means no other module can get the order wrong.
 *
 * @example
 * ```ts
 * import { x509 } from "./x509.ts";
 * const cert = new x509.X509Certificate(pem);
 * ```
 *
 * @module
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(crypto);

export { x509 };
