/**
 * Helm's HTTP getter over `node:http`/`node:https`: a GET with the repository's TLS settings (extra CA bundle, client
 * certificate, `--insecure-skip-tls-verify`), basic auth (dropped when a redirect leaves the host, as Go's client
 * drops it), redirects followed up to Go's limit of 10, and Helm's error for a non-200 answer.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import * as http from "node:http";
import * as https from "node:https";
import { rootCertificates } from "node:tls";

/** How a request authenticates and trusts the server. */
export interface HttpOptions {
  /** PEM bundle trusted besides the system's roots (`--ca-file`). */
  ca?: string;
  /** Client certificate and key, PEM (`--cert-file`, `--key-file`). */
  cert?: string;
  key?: string;
  insecureSkipTLSVerify?: boolean;
  username?: string;
  password?: string;
  /** Extra request headers (e.g. `Accept`, `Authorization: Bearer …`). */
  headers?: Record<string, string>;
  /** Give up after this long (default 2 minutes). */
  timeoutMs?: number;
}

/** An answer: status, headers (lower-case names) and body. */
export interface HttpResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Uint8Array;
  /** The URL that answered, after redirects. */
  url: string;
}

const MAX_REDIRECTS = 10;

/**
 * GETs `url`, following redirects; any status is returned (see {@link httpGetOk} for Helm's 200 rule).
 *
 * @example
 * ```ts
 * const res = await httpGet("https://charts.example.com/index.yaml", { ca: pem });
 * res.status; // 200
 * ```
 */
export async function httpGet(url: string, options: HttpOptions = {}): Promise<HttpResponse> {
  let current = new URL(url);
  const origin = current.host;
  for (let hop = 0;; hop++) {
    const sameHost = current.host === origin;
    const response = await request(current, options, sameHost);
    const location = response.headers.location;
    if (response.status >= 300 && response.status < 400 && location && response.status !== 304) {
      if (hop >= MAX_REDIRECTS) throw new Error(`Get "${url}": stopped after 10 redirects`);
      current = new URL(location, current);
      continue;
    }
    return response;
  }
}

/**
 * GETs `url` and returns the body, failing as Helm's getter does unless the answer is 200.
 *
 * @example
 * ```ts
 * const tgz = await httpGetOk("https://charts.example.com/web-1.0.0.tgz");
 * ```
 */
export async function httpGetOk(url: string, options: HttpOptions = {}): Promise<Uint8Array> {
  const response = await httpGet(url, options);
  if (response.status !== 200) throw new Error(`failed to fetch ${url} : ${response.status} ${response.statusText}`);
  return response.body;
}

function request(url: URL, options: HttpOptions, sendCredentials: boolean): Promise<HttpResponse> {
  const headers: Record<string, string> = { "user-agent": "Helm/3.18.6", ...options.headers };
  if (sendCredentials && options.username !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${options.username}:${options.password ?? ""}`).toString("base64")}`;
  }
  const secure = url.protocol === "https:";
  if (!secure && url.protocol !== "http:") {
    return Promise.reject(new Error(`scheme "${url.protocol.slice(0, -1)}" not supported`));
  }
  const tls: https.RequestOptions = secure
    ? {
      ca: options.ca ? [...rootCertificates, options.ca] : undefined,
      cert: options.cert,
      key: options.key,
      rejectUnauthorized: !options.insecureSkipTLSVerify,
    }
    : {};
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(url, { method: "GET", headers, ...tls }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const flat: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) {
          if (v !== undefined) {
            flat[k] = Array.isArray(v) ? v.join(", ") : v;
          }
        }
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? "",
          headers: flat,
          body: new Uint8Array(Buffer.concat(chunks)),
          url: url.toString(),
        });
      });
    });
    req.setTimeout(
      options.timeoutMs ?? 120_000,
      () => req.destroy(new Error(`Get "${url}": timeout awaiting response headers`)),
    );
    req.on("error", (error) => reject(new Error(`Get "${url}": ${error.message}`)));
    req.end();
  });
}
