/**
 * The certificate the HTTPS front door serves, following the names clients use (K3s's dynamiclistener):
 * configured names (`--tls-san` and the API server's own) are on it from the start, and the address a
 * connection arrives on, its TLS SNI name, and an IP `Host` header from a non-browser client are added as
 * they are seen — the certificate is re-signed by the server CA with the same key and swapped in before the
 * handshake that needed it. It lives in memory and in `<data-dir>/server/tls/dynamic-cert.json`; the
 * certificate controller keeps it in step with the `kube-system/k3s-serving` Secret.
 *
 * @module
 */
import { readFile, rm } from "node:fs/promises";
import { isIP } from "node:net";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic_write.ts";
import type { CertificateAuthority } from "./certs.ts";
import {
  addCN,
  isExpiring,
  isStatic,
  isValidTLSSecret,
  mergeSecrets,
  needsUpdate,
  regenerateSecret,
  renewSecret,
  secretKeyPair,
  type TLSSecret,
} from "./dynamic_cert.ts";
import { RENEW_DAYS } from "./info.ts";
import { tlsDir } from "./server.ts";

/** The file dynamiclistener caches the certificate in, under `server/tls`. */
export const DYNAMIC_CERT_FILE = "dynamic-cert.json";
/** The file `k3s certificate rotate` leaves to have the certificate re-keyed at the next start. */
export const DYNAMIC_CERT_REGENERATE_FILE = "dynamic-cert-regenerate";

/** Options of {@linkcode DynamicListener.load}. */
export interface DynamicListenerOptions {
  dataDir: string;
  /** The server CA, which signs the certificate. */
  ca: CertificateAuthority;
  /** Configured names: always on the certificate; the only source of `*.` wildcards. */
  sans: string[];
  /** Renew within this many days of expiry (default {@link RENEW_DAYS}). */
  renewDays?: number;
  log?: (line: string) => void;
}

/** A certificate and key to serve (PEM). */
export interface ServingKeyPair {
  cert: string;
  key: string;
}

/**
 * The front door's dynamic certificate.
 *
 * @example
 * ```ts
 * const listener = await DynamicListener.load({ dataDir, ca: pki.serverCA, sans: ["k3s.example.com"] });
 * listener.onChange((pair) => https.updateCertificates(pair));
 * await listener.addNames(["192.0.2.10"]);
 * ```
 */
export class DynamicListener {
  #secret: TLSSecret;
  readonly #listeners = new Set<(pair: ServingKeyPair, secret: TLSSecret) => void>();
  /** Changes run one at a time, so two new names at once both end up on the certificate. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly options: DynamicListenerOptions, secret: TLSSecret) {
    this.#secret = secret;
  }

  /**
   * Load the cached certificate (re-keyed when `dynamic-cert-regenerate` exists, as after `k3s certificate
   * rotate`), or make one, and make sure it covers the configured names and is not about to expire.
   *
   * @example
   * ```ts
   * const listener = await DynamicListener.load({ dataDir, ca: pki.serverCA, sans });
   * ```
   */
  static async load(options: DynamicListenerOptions): Promise<DynamicListener> {
    const dir = tlsDir(options.dataDir);
    let secret = await readCache(join(dir, DYNAMIC_CERT_FILE));
    const listener = new DynamicListener(options, secret ?? { metadata: {} });
    const factory = listener.#factory();
    let changed = false;
    if (await removeIfExists(join(dir, DYNAMIC_CERT_REGENERATE_FILE))) {
      secret = await regenerateSecret(secret, factory);
      options.log?.("Regenerated the dynamic listener certificate with a new key");
      changed = true;
    } else if (isValidTLSSecret(secret) && !isStatic(secret) && isExpiring(secret, factory.renewDays)) {
      secret = await renewSecret(secret, factory);
      changed = true;
    }
    const withSANs = await addCN(secret, options.sans, factory);
    if (withSANs) [secret, changed] = [withSANs, true];
    listener.#secret = secret!;
    if (changed) await listener.#save();
    return listener;
  }

  /** The certificate (with the CA after it) and key served now. */
  get keyPair(): ServingKeyPair {
    return secretKeyPair(this.#secret);
  }

  /** The certificate as a `kubernetes.io/tls` Secret with its name annotations. */
  get secret(): TLSSecret {
    return this.#secret;
  }

  /**
   * Call `fn` after every change of certificate (to swap it into the server, to sync the Secret).
   *
   * @example
   * ```ts
   * const stop = listener.onChange((pair) => https.updateCertificates(pair));
   * ```
   */
  onChange(fn: (pair: ServingKeyPair, secret: TLSSecret) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /**
   * Put names on the certificate; resolves once it is re-signed and swapped in (at once when they are
   * already on it). Wildcards are taken only from configured names, never from clients.
   *
   * @example
   * ```ts
   * await listener.addNames(["127.0.0.2"]);
   * ```
   */
  addNames(names: string[]): Promise<void> {
    const cns = names.filter((name) => name && !name.startsWith("*."));
    if (!cns.length || isStatic(this.#secret) || !needsUpdate(this.#secret, cns)) return Promise.resolve();
    return this.#serialized(async () => {
      const updated = await addCN(this.#secret, [...this.options.sans, ...cns], this.#factory());
      if (!updated) return;
      this.options.log?.(`Added ${cns.join(", ")} to the serving certificate`);
      await this.#replace(updated);
    });
  }

  /**
   * The address a connection arrived on; the TLS handshake waits for this.
   *
   * @example
   * ```ts
   * await listener.accepted(socket.localAddress); // 127.0.0.2 is on the certificate now
   * ```
   */
  accepted(localAddress: string | undefined): Promise<void> {
    return localAddress ? this.addNames([localAddress.replace(/^::ffff:/, "")]) : Promise.resolve();
  }

  /**
   * The TLS SNI name of a handshake, which waits for this.
   *
   * @example
   * ```ts
   * await listener.serverName("k3s.example.net");
   * ```
   */
  serverName(name: string): Promise<void> {
    return this.addNames([name]);
  }

  /**
   * A request: an IP `Host` header from a client that is not a browser names an address to add (browsers
   * are left out because anyone can make a browser send any Host).
   *
   * @example
   * ```ts
   * listener.request(incoming); // Host: 10.0.0.5:6443, User-Agent: kubectl/v1.32.4 → 10.0.0.5 is added
   * ```
   */
  request(request: Request): void {
    const host = hostOf(request.headers.get("host") ?? "");
    if (!isIP(host)) return;
    if ((request.headers.get("user-agent") ?? "").toLowerCase().includes("mozilla")) return;
    this.addNames([host]).catch((error) => this.options.log?.(`Adding ${host} to the serving certificate: ${error}`));
  }

  /**
   * Re-sign the certificate when it is within the renewal window; resolves to whether it did.
   *
   * @example
   * ```ts
   * if (await listener.renewIfExpiring()) log("renewed the serving certificate");
   * ```
   */
  renewIfExpiring(now: Date = new Date()): Promise<boolean> {
    return this.#serialized(async () => {
      if (isStatic(this.#secret) || !isExpiring(this.#secret, this.#factory().renewDays, now)) return false;
      await this.#replace(await renewSecret(this.#secret, { ...this.#factory(), now }));
      return true;
    });
  }

  /**
   * Take in the Secret stored in the API (written by this or another server) as dynamiclistener's
   * Kubernetes storage does: the union of both name lists wins. Resolves to the Secret the API should hold
   * now, or undefined when it already does.
   *
   * @example
   * ```ts
   * const toWrite = await listener.merge(await client.get(secret, "kube-system", "k3s-serving"));
   * ```
   */
  merge(stored: TLSSecret | undefined): Promise<TLSSecret | undefined> {
    return this.#serialized(async () => {
      if (isValidTLSSecret(stored)) {
        const { secret } = await mergeSecrets(stored, this.#secret, this.#factory());
        if (!sameCertificate(secret, this.#secret)) await this.#replace(keepLocalMeta(secret, this.#secret));
      }
      // Every change of certificate changes the fingerprint annotation, so annotations tell whether to write.
      const stale = !isValidTLSSecret(stored) || !sameAnnotations(stored, this.#secret) ||
        stored.data?.["tls.crt"] !== this.#secret.data?.["tls.crt"];
      return stale ? this.#secret : undefined;
    });
  }

  #factory() {
    return { ca: this.options.ca, renewDays: this.options.renewDays ?? RENEW_DAYS };
  }

  #serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn);
    this.#queue = run.catch(() => {});
    return run;
  }

  async #replace(secret: TLSSecret): Promise<void> {
    this.#secret = secret;
    await this.#save();
    const pair = this.keyPair;
    for (const fn of this.#listeners) fn(pair, secret);
  }

  async #save(): Promise<void> {
    const { metadata, type, data } = this.#secret;
    const cached = { metadata: { annotations: metadata.annotations ?? {} }, data, type };
    await writeFileAtomic(
      join(tlsDir(this.options.dataDir), DYNAMIC_CERT_FILE),
      JSON.stringify(cached) + "\n",
      0o600,
      0o700,
    );
  }
}

/** The local copy keeps only what the certificate is (annotations, data, type), not the API's bookkeeping. */
function keepLocalMeta(secret: TLSSecret, local: TLSSecret): TLSSecret {
  return {
    metadata: { ...local.metadata, annotations: secret.metadata.annotations },
    type: secret.type,
    data: secret.data,
  };
}

function sameCertificate(a: TLSSecret, b: TLSSecret): boolean {
  return a.data?.["tls.crt"] === b.data?.["tls.crt"] && a.data?.["tls.key"] === b.data?.["tls.key"] &&
    sameAnnotations(a, b);
}

function sameAnnotations(a: TLSSecret, b: TLSSecret): boolean {
  const sorted = (s: TLSSecret) => JSON.stringify(Object.entries(s.metadata.annotations ?? {}).sort());
  return sorted(a) === sorted(b);
}

function hostOf(host: string): string {
  if (host.startsWith("[")) return host.slice(1, host.indexOf("]"));
  const colons = host.split(":").length - 1;
  return colons === 1 ? host.slice(0, host.indexOf(":")) : host;
}

async function readCache(path: string): Promise<TLSSecret | undefined> {
  let text;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  if (!text.trim()) return undefined;
  const secret = JSON.parse(text) as TLSSecret;
  return { ...secret, metadata: secret.metadata ?? {} };
}

async function removeIfExists(path: string): Promise<boolean> {
  try {
    await rm(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
