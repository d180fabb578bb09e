/**
 * The certificates `k3s server` needs for its API server, kept under `<data-dir>/server/tls` with
 * K3s's file names: created on first start, reused on restart, leaves reissued when K3s would
 * reissue them (see renewal.ts). CAs are never replaced: their hash is in every join token.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic_write.ts";
import {
  caCommonName,
  type CertificateAuthority,
  type CertificateSpec,
  createCertificateAuthority,
  issueCertificate,
  type IssuedCertificate,
  loadCertificateAuthority,
} from "./certs.ts";
import { importPrivateKeyPem } from "./keys.ts";
import { type RenewalOptions, renewalReason } from "./renewal.ts";
import { type APIServerSANOptions, apiServerSANs } from "./sans.ts";

/** File names inside `server/tls`, as K3s names them. */
export const TLS_FILES = {
  serverCA: "server-ca.crt",
  serverCAKey: "server-ca.key",
  clientCA: "client-ca.crt",
  clientCAKey: "client-ca.key",
  requestHeaderCA: "request-header-ca.crt",
  requestHeaderCAKey: "request-header-ca.key",
  servingAPIServer: "serving-kube-apiserver.crt",
  servingAPIServerKey: "serving-kube-apiserver.key",
  clientAdmin: "client-admin.crt",
  clientAdminKey: "client-admin.key",
  clientKubeAPIServer: "client-kube-apiserver.crt",
  clientKubeAPIServerKey: "client-kube-apiserver.key",
} as const;

/** The admin identity of `k3s.yaml`: `system:masters` is bound to cluster-admin. */
export const ADMIN_SPEC: CertificateSpec = {
  commonName: "system:admin",
  organizations: ["system:masters"],
  usages: ["clientAuth"],
};

/**
 * The API server's identity toward kubelets (`--kubelet-client-certificate`): kubelets authorize it through
 * `system:masters`, as K3s issues it.
 */
const KUBE_APISERVER_CLIENT_SPEC: CertificateSpec = {
  commonName: "system:apiserver",
  organizations: ["system:masters"],
  usages: ["clientAuth"],
};

/**
 * `<data-dir>/server/tls`.
 *
 * @example
 * ```ts
 * tlsDir("/var/lib/rancher/k3s"); // "/var/lib/rancher/k3s/server/tls"
 * ```
 */
export function tlsDir(dataDir: string): string {
  return join(dataDir, "server", "tls");
}

/** Inputs of {@link ensureServerCertificates}: the data dir, the SAN inputs, and the renewal clock. */
export interface ServerCertificateOptions extends APIServerSANOptions, RenewalOptions {
  dataDir: string;
  /** One line per file created or reissued, with the reason. */
  log?: (line: string) => void;
}

/** The API server's PKI, loaded or freshly made. PEM texts are exactly the files' contents. */
export interface ServerCertificates {
  dir: string;
  serverCA: CertificateAuthority;
  clientCA: CertificateAuthority;
  requestHeaderCA: CertificateAuthority;
  /** `serving-kube-apiserver.{crt,key}` (the certificate text includes the server CA after the leaf). */
  serving: IssuedCertificate;
  /** `client-admin.{crt,key}` (the certificate text includes the client CA after the leaf). */
  admin: IssuedCertificate;
  /**
   * `client-kube-apiserver.{crt,key}`: what the API server presents to kubelets for logs, exec, attach and
   * port-forward (the certificate text includes the client CA after the leaf).
   */
  kubeAPIServerClient: IssuedCertificate;
  /** File names this call wrote (empty on a restart with nothing to renew). */
  written: string[];
}

/**
 * Load the server's certificates from `<data-dir>/server/tls`, creating what is missing and
 * reissuing the serving, admin and kubelet-client certificates when their names changed or they near expiry.
 *
 * @example
 * ```ts
 * const pki = await ensureServerCertificates({ dataDir: "/var/lib/rancher/k3s", tlsSans: ["k3s.example.com"] });
 * https.createServer({ cert: pki.serving.certPem, key: pki.serving.keyPem, ca: pki.clientCA.certPem, requestCert: true });
 * ```
 */
export async function ensureServerCertificates(options: ServerCertificateOptions): Promise<ServerCertificates> {
  const dir = tlsDir(options.dataDir);
  const now = options.now ?? new Date();
  const written: string[] = [];
  const store = { dir, now, written, log: options.log };
  const serverCA = await ensureCA(store, "server-ca", "k3s-server");
  const clientCA = await ensureCA(store, "client-ca", "k3s-client");
  const requestHeaderCA = await ensureCA(store, "request-header-ca", "k3s-request-header");
  const renewal = { now, renewDays: options.renewDays };
  const servingSpec: CertificateSpec = {
    commonName: "kube-apiserver",
    usages: ["serverAuth"],
    sans: apiServerSANs(options),
  };
  const serving = await ensureLeaf(store, "serving-kube-apiserver", serverCA, servingSpec, renewal);
  const admin = await ensureLeaf(store, "client-admin", clientCA, ADMIN_SPEC, renewal);
  const kubeAPIServerClient = await ensureLeaf(
    store,
    "client-kube-apiserver",
    clientCA,
    KUBE_APISERVER_CLIENT_SPEC,
    renewal,
  );
  return { dir, serverCA, clientCA, requestHeaderCA, serving, admin, kubeAPIServerClient, written };
}

interface Store {
  dir: string;
  now: Date;
  written: string[];
  log?: (line: string) => void;
}

async function ensureCA(store: Store, base: string, prefix: string): Promise<CertificateAuthority> {
  const certPath = join(store.dir, `${base}.crt`);
  const keyPath = join(store.dir, `${base}.key`);
  const [certPem, keyPem] = await Promise.all([readOptional(certPath), readOptional(keyPath)]);
  if (certPem !== undefined && keyPem !== undefined) {
    try {
      return await loadCertificateAuthority(certPem, keyPem);
    } catch (error) {
      throw new Error(`cannot use ${certPath} with ${keyPath}: ${(error as Error).message}`);
    }
  }
  if (certPem !== undefined) {
    // Replacing a CA silently would invalidate every join token and node; make the operator choose.
    throw new Error(
      `${certPath} exists but ${keyPath} is missing: restore the key, or remove both to create a new CA`,
    );
  }
  // A key alone is how users pre-seed a CA key; K3s then self-signs a certificate for it.
  const keys = keyPem === undefined ? undefined : await importPrivateKeyPem(keyPem);
  const ca = await createCertificateAuthority(caCommonName(prefix, store.now), { now: store.now, keys });
  if (keyPem === undefined) await writeOut(store, `${base}.key`, ca.keyPem, 0o600);
  await writeOut(store, `${base}.crt`, ca.certPem, 0o644);
  store.log?.(`Created CA ${ca.cert.subjectName.getField("CN")[0]} in ${certPath}`);
  return keyPem === undefined ? ca : { ...ca, keyPem };
}

async function ensureLeaf(
  store: Store,
  base: string,
  ca: CertificateAuthority,
  spec: CertificateSpec,
  renewal: RenewalOptions,
): Promise<IssuedCertificate> {
  const [certPem, keyPem] = await Promise.all([
    readOptional(join(store.dir, `${base}.crt`)),
    readOptional(join(store.dir, `${base}.key`)),
  ]);
  const reason = await renewalReason({ certPem, keyPem }, ca, spec, renewal);
  if (!reason) return { certPem: certPem!, keyPem: keyPem! };
  const issued = await issueCertificate(ca, spec, { now: store.now });
  // Key first: a crash between the two writes leaves a mismatched pair, which the next start reissues.
  await writeOut(store, `${base}.key`, issued.keyPem, 0o600);
  await writeOut(store, `${base}.crt`, issued.certPem, 0o644);
  store.log?.(`Issued ${base}.crt (${reason})`);
  return issued;
}

async function writeOut(store: Store, name: string, text: string, mode: number): Promise<void> {
  await writeFileAtomic(join(store.dir, name), text, mode, 0o700);
  store.written.push(name);
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
