/**
 * The leaf certificates under `<data-dir>/server/tls` (and `tls/etcd`): each `<name>.crt` with its
 * `<name>.key`, signed by one of the CAs there. A leaf is renewed as K3s renews at start — within the renewal
 * window, after its CA changed, or when its names no longer match — keeping its key and its subject, names
 * and usages (the API server's own serving certificate gets the names it must have now).
 *
 * @module
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  ADMIN_SPEC,
  type APIServerSANOptions,
  apiServerSANs,
  type CertificateAuthority,
  type CertificateInfo,
  certificateInfo,
  type CertificateSpec,
  type ExtendedKeyUsageName,
  importPrivateKeyPem,
  issueCertificate,
  loadCertificateAuthority,
  renewalReason,
  tlsDir,
  writeFileAtomic,
} from "../../core/pki/mod.ts";

/** One leaf on disk. */
export interface LeafFile {
  /** Path under `server/tls`, e.g. `client-admin.crt` or `etcd/client.crt`. */
  name: string;
  certPem: string;
  keyPem: string;
  info: CertificateInfo;
  ca: CertificateAuthority;
}

/** The CA pairs K3s keeps, by file base name under `server/tls`. */
const CA_FILES = ["server-ca", "client-ca", "request-header-ca", "etcd/server-ca", "etcd/peer-ca"];

/**
 * The CAs present in `<data-dir>/server/tls` (certificate and key both there).
 *
 * @example
 * ```ts
 * const cas = await loadCAs("/var/lib/rancher/k3s"); // server-ca, client-ca, request-header-ca
 * ```
 */
export async function loadCAs(dataDir: string): Promise<Map<string, CertificateAuthority>> {
  const dir = tlsDir(dataDir);
  const cas = new Map<string, CertificateAuthority>();
  for (const base of CA_FILES) {
    const [cert, key] = await Promise.all([read(join(dir, `${base}.crt`)), read(join(dir, `${base}.key`))]);
    if (cert === undefined || key === undefined) continue;
    cas.set(base, await loadCertificateAuthority(cert, key));
  }
  return cas;
}

/**
 * Every leaf in `server/tls` and `server/tls/etcd` that has its key and a known issuer.
 *
 * @example
 * ```ts
 * (await leafFiles(dataDir, cas)).map((l) => l.name); // ["client-admin.crt", "serving-kube-apiserver.crt"]
 * ```
 */
export async function leafFiles(dataDir: string, cas: Map<string, CertificateAuthority>): Promise<LeafFile[]> {
  const dir = tlsDir(dataDir);
  const leaves: LeafFile[] = [];
  for (const sub of ["", "etcd"]) {
    const entries = await readdir(join(dir, sub)).catch(() => [] as string[]);
    for (const entry of entries.filter((e) => e.endsWith(".crt")).sort()) {
      const name = sub ? `${sub}/${entry}` : entry;
      const [certPem, keyPem] = await Promise.all([
        read(join(dir, name)),
        read(join(dir, name.replace(/\.crt$/, ".key"))),
      ]);
      if (!certPem || !keyPem) continue;
      let info: CertificateInfo;
      try {
        info = certificateInfo(certPem);
      } catch {
        continue;
      }
      if (info.isCA) continue;
      const ca = [...cas.values()].find((c) => c.cert.subject === info.issuer);
      if (ca) leaves.push({ name, certPem, keyPem, info, ca });
    }
  }
  return leaves;
}

/**
 * What a leaf must say: the API server's serving certificate (its required names added to the ones it has)
 * and the admin's as K3s defines them, any other as it says now.
 *
 * @example
 * ```ts
 * leafSpec(leaf, { tlsSans: ["k3s.example.com"] }).sans?.dns; // ["kubernetes", …, "k3s.example.com", …]
 * ```
 */
export function leafSpec(leaf: LeafFile, sans: APIServerSANOptions): CertificateSpec {
  if (leaf.name === "serving-kube-apiserver.crt") {
    // Names it has beyond the required ones stay (as K3s keeps extra SANs), so a renewal never drops one.
    const required = apiServerSANs(sans);
    return {
      commonName: "kube-apiserver",
      usages: ["serverAuth"],
      sans: {
        dns: [...new Set([...required.dns, ...leaf.info.dnsNames])],
        ips: [...new Set([...required.ips, ...leaf.info.ipAddresses])],
      },
    };
  }
  if (leaf.name === "client-admin.crt") return ADMIN_SPEC;
  const usages = leaf.info.usages.filter((u): u is ExtendedKeyUsageName => u === "serverAuth" || u === "clientAuth");
  return {
    commonName: leaf.info.commonName,
    organizations: leaf.info.organizations,
    usages,
    sans: { dns: leaf.info.dnsNames, ips: leaf.info.ipAddresses },
  };
}

/**
 * Why the leaf must be renewed at `now`, or undefined (core/pki's `renewalReason`).
 *
 * @example
 * ```ts
 * await leafRenewalReason(leaf, spec, { now, renewDays: 90 }); // "expires 2026-…, within 90 days"
 * ```
 */
export function leafRenewalReason(
  leaf: LeafFile,
  spec: CertificateSpec,
  options: { now: Date; renewDays: number },
): Promise<string | undefined> {
  return renewalReason({ certPem: leaf.certPem, keyPem: leaf.keyPem }, leaf.ca, spec, options);
}

/**
 * Sign the leaf again with its own key and replace its certificate file; resolves to the new PEM.
 *
 * @example
 * ```ts
 * const pem = await renewLeaf(dataDir, leaf, spec, new Date());
 * ```
 */
export async function renewLeaf(dataDir: string, leaf: LeafFile, spec: CertificateSpec, now: Date): Promise<string> {
  // A key that no longer loads (or fits) cannot be kept: a fresh one is the only way to a working pair.
  const keys = await importPrivateKeyPem(leaf.keyPem).catch(() => undefined);
  const issued = await issueCertificate(leaf.ca, spec, { now, keys });
  const path = join(tlsDir(dataDir), leaf.name);
  if (!keys) await writeFileAtomic(path.replace(/\.crt$/, ".key"), issued.keyPem, 0o600, 0o700);
  await writeFileAtomic(path, issued.certPem, 0o644, 0o700);
  return issued.certPem;
}

async function read(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
