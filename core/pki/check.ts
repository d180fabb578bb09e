/**
 * `k3s certificate check`: every certificate in the services' files (a leaf and the CA chain after it each
 * give a row), with K3s's usages and status, printed as text, a table, JSON or YAML exactly as K3s's
 * formatters (Go's tabwriter, go-humanize's relative time, `encoding/json`, yaml.v2) write them.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { stringify } from "yaml";
import { type CertificateStatus, certificateStatus, parseCertificate, pemCertificates, RENEW_DAYS } from "./info.ts";
import { filesForServices } from "./services.ts";
import { x509 } from "./x509.ts";

/** One row of the check: K3s's `Certificate`. */
export interface CheckedCertificate {
  filename: string;
  subject: string;
  issuer: string;
  usages: string[];
  /** NotAfter, or NotBefore while the certificate is not yet valid. */
  expiryTime: Date;
  /** Milliseconds from the check until NotAfter (negative once expired). */
  residualMs: number;
  status: CertificateStatus;
}

/**
 * The certificates of `services` under `dataDir`, read at `now`; files that are missing or hold no
 * certificate (keys) are skipped.
 *
 * @example
 * ```ts
 * const rows = await checkCertificates("/var/lib/rancher/k3s", ["admin"]);
 * rows[0].subject; // "system:admin"
 * ```
 */
export async function checkCertificates(
  dataDir: string,
  services: readonly string[],
  options: { now?: Date; renewDays?: number } = {},
): Promise<CheckedCertificate[]> {
  const now = options.now ?? new Date();
  const rows: CheckedCertificate[] = [];
  for (const files of filesForServices(dataDir, services).values()) {
    for (const file of files) {
      let pem: string;
      try {
        pem = await readFile(file, "utf8");
      } catch {
        continue;
      }
      for (const block of pemCertificates(pem)) {
        const cert = parseCertificate(block);
        const status = certificateStatus(cert, { now, renewDays: options.renewDays ?? RENEW_DAYS });
        rows.push({
          filename: basename(file),
          subject: cert.subjectName.getField("CN")[0] ?? "",
          issuer: cert.issuerName.getField("CN")[0] ?? "",
          usages: usagesOf(cert),
          expiryTime: status === "NOT YET VALID" ? cert.notBefore : cert.notAfter,
          residualMs: cert.notAfter.getTime() - now.getTime(),
          status,
        });
      }
    }
  }
  return rows;
}

/** K3s's `GetCertUsages`: CertSign for a CA, then the extended usages it knows, else Unknown. */
function usagesOf(cert: x509.X509Certificate): string[] {
  const usages: string[] = [];
  const keyUsage = cert.getExtension(x509.KeyUsagesExtension);
  if (keyUsage && (keyUsage.usages & x509.KeyUsageFlags.keyCertSign)) usages.push("CertSign");
  for (const oid of cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? []) {
    if (oid === x509.ExtendedKeyUsage.serverAuth) usages.push("ServerAuth");
    if (oid === x509.ExtendedKeyUsage.clientAuth) usages.push("ClientAuth");
  }
  return usages.length ? usages : ["Unknown"];
}

/** A log line of the text format, at K3s's level for the status. */
export interface CheckLine {
  level: "info" | "warn" | "error";
  message: string;
}

/**
 * `--output text`: one log line per certificate, as K3s logs them.
 *
 * @example
 * ```ts
 * checkText(rows, 90)[0].message; // "client-admin.crt: certificate system:admin (ClientAuth) is ok, expires at 2027-…Z"
 * ```
 */
export function checkText(rows: CheckedCertificate[], renewDays = RENEW_DAYS): CheckLine[] {
  return rows.map((row) => {
    const head = `${row.filename}: certificate ${row.subject} (${row.usages.join(",")})`;
    const at = rfc3339(row.expiryTime);
    switch (row.status) {
      case "NOT YET VALID":
        return { level: "error", message: `${head} is not valid before ${at}` };
      case "EXPIRED":
        return { level: "error", message: `${head} expired at ${at}` };
      case "WARNING":
        return { level: "warn", message: `${head} will expire within ${renewDays} days at ${at}` };
      default:
        return { level: "info", message: `${head} is ok, expires at ${at}` };
    }
  });
}

/**
 * `--output table`: a blank line, the header and its underline, then a row per certificate (tabwriter,
 * padding 3).
 *
 * @example
 * ```ts
 * checkTable(rows).split("\n")[1]; // "FILENAME   SUBJECT   USAGES   EXPIRES   RESIDUAL TIME   STATUS"
 * ```
 */
export function checkTable(rows: CheckedCertificate[]): string {
  const cells = [
    ["FILENAME", "SUBJECT", "USAGES", "EXPIRES", "RESIDUAL TIME", "STATUS"],
    ["--------", "-------", "------", "-------", "-------------", "------"],
    ...rows.map((row) => [
      row.filename,
      row.subject,
      row.usages.join(","),
      tableTime(row.expiryTime),
      relativeTime(row.residualMs),
      row.status,
    ]),
  ];
  const widths = cells[0].slice(0, -1).map((_, i) => Math.max(...cells.map((r) => r[i].length)) + 3);
  const lines = cells.map((r) => r.map((cell, i) => i < widths.length ? cell.padEnd(widths[i]) : cell).join(""));
  return ["", ...lines].join("\n") + "\n";
}

/**
 * `--output json`: Go's encoding of K3s's `CertificateInfo` (times RFC 3339, the residual time in nanoseconds).
 *
 * @example
 * ```ts
 * JSON.parse(checkJson(rows)).Certificates[0].Status; // "OK"
 * ```
 */
export function checkJson(rows: CheckedCertificate[]): string {
  return JSON.stringify({
    Certificates: rows.map((row) => ({
      Filename: row.filename,
      Subject: row.subject,
      Issuer: row.issuer,
      Usages: row.usages,
      ExpiryTime: rfc3339(row.expiryTime),
      ResidualTime: row.residualMs * 1_000_000,
      Status: row.status,
    })),
  }) + "\n";
}

/**
 * `--output yaml`: yaml.v2's encoding of the same (lower-cased field names, durations as Go prints them).
 *
 * @example
 * ```ts
 * checkYaml(rows); // "certificates:\n- filename: client-admin.crt\n  subject: system:admin\n…"
 * ```
 */
export function checkYaml(rows: CheckedCertificate[]): string {
  return stringify({
    certificates: rows.map((row) => ({
      filename: row.filename,
      subject: row.subject,
      issuer: row.issuer,
      usages: row.usages,
      expirytime: rfc3339(row.expiryTime),
      residualtime: goDuration(row.residualMs),
      status: row.status,
    })),
  }, { indentSeq: false });
}

function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Go's `Jan 02, 2006 15:04 MST` in UTC (certificate times are UTC). */
function tableTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())}, ${date.getUTCFullYear()} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;
const YEAR = 12 * MONTH;

/** go-humanize's magnitudes: below `below`, print `format` (`%d` is the span divided by `unit`). */
const MAGNITUDES: [below: number, format: string, unit: number][] = [
  [SECOND, "now", SECOND],
  [2 * SECOND, "1 second ", 1],
  [MINUTE, "%d seconds ", SECOND],
  [2 * MINUTE, "1 minute ", 1],
  [HOUR, "%d minutes ", MINUTE],
  [2 * HOUR, "1 hour ", 1],
  [DAY, "%d hours ", HOUR],
  [2 * DAY, "1 day ", 1],
  [WEEK, "%d days ", DAY],
  [2 * WEEK, "1 week ", 1],
  [MONTH, "%d weeks ", WEEK],
  [2 * MONTH, "1 month ", 1],
  [YEAR, "%d months ", MONTH],
  [18 * MONTH, "1 year ", 1],
  [2 * YEAR, "2 years ", 1],
  [37 * YEAR, "%d years ", YEAR],
  [Infinity, "a long while ", 1],
];

/** go-humanize's `RelTime(now, now+span, "", "")` (its empty label leaves a trailing space). */
function relativeTime(spanMs: number): string {
  const span = Math.abs(spanMs);
  const [, format, unit] = MAGNITUDES.find(([below]) => below > span)!;
  return format.replace("%d", String(Math.floor(span / unit)));
}

/** Go's `time.Duration.String()` of a span in milliseconds. */
function goDuration(ms: number): string {
  if (ms === 0) return "0s";
  const sign = ms < 0 ? "-" : "";
  let rest = Math.abs(ms);
  if (rest < SECOND) return `${sign}${rest}ms`;
  const hours = Math.floor(rest / HOUR);
  rest -= hours * HOUR;
  const minutes = Math.floor(rest / MINUTE);
  rest -= minutes * MINUTE;
  const seconds = (rest / SECOND).toFixed(3).replace(/\.?0+$/, "");
  return `${sign}${hours ? `${hours}h` : ""}${hours || minutes ? `${minutes}m` : ""}${seconds}s`;
}
