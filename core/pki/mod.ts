/**
 * Certificates primitives: keys, CAs, leaves, SANs, renewal checks, and the API server's PKI on disk.
 *
 * @example
 * ```ts
 * import { ensureServerCertificates, issueClientCertificate } from "./core/pki/mod.ts";
 * const pki = await ensureServerCertificates({ dataDir: "/var/lib/rancher/k3s" });
 * const kubelet = await issueClientCertificate(pki.clientCA, { commonName: "system:node:n1", organizations: ["system:nodes"] });
 * ```
 *
 * @module
 */
export { writeFileAtomic } from "./atomic_write.ts";
export {
  CA_DAYS,
  caCommonName,
  type CertificateAuthority,
  type CertificateSpec,
  createCertificateAuthority,
  type ExtendedKeyUsageName,
  issueCertificate,
  issueClientCertificate,
  type IssuedCertificate,
  LEAF_DAYS,
  loadCertificateAuthority,
  signCertificate,
} from "./certs.ts";
export {
  type CertificateInfo,
  certificateInfo,
  type CertificateStatus,
  certificateStatus,
  parseCertificate,
  pemCertificates,
  RENEW_DAYS,
} from "./info.ts";
export { generateKeyPair, importPrivateKeyPem, KEY_ALGORITHM, privateKeyToPem, publicKeyMatches } from "./keys.ts";
export { type RenewalOptions, renewalReason } from "./renewal.ts";
export {
  type APIServerSANOptions,
  apiServerSANs,
  DEFAULT_CLUSTER_DOMAIN,
  DEFAULT_SERVICE_CIDR,
  firstIPv4,
  firstServiceIP,
  localAddresses,
  normalizeIP,
  splitSANs,
  type SubjectAltNames,
} from "./sans.ts";
export {
  addCN,
  CN_PREFIX,
  cnAnnotationKey,
  FINGERPRINT,
  isValidTLSSecret,
  mergeSecrets,
  secretCNs,
  secretKeyPair,
  type TLSSecret,
} from "./dynamic_cert.ts";
export {
  DYNAMIC_CERT_FILE,
  DYNAMIC_CERT_REGENERATE_FILE,
  DynamicListener,
  type DynamicListenerOptions,
  type ServingKeyPair,
} from "./dynamic_listener.ts";
export { ALL_SERVICES, CERTIFICATE_AUTHORITY, filesForServices, isValidService } from "./services.ts";
export {
  ADMIN_SPEC,
  ensureServerCertificates,
  type ServerCertificateOptions,
  type ServerCertificates,
  TLS_FILES,
  tlsDir,
} from "./server.ts";
