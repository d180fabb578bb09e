/**
 * Parsing of `--datastore-endpoint`, in the forms K3s (through kine) accepts.
 *
 * @module
 */

/** Where a networked SQL database is and how to log in. */
export interface SqlServer {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** The endpoint's query parameters (`sslmode`, `tls`, …). */
  params: URLSearchParams;
  /** `--datastore-cafile`, `--datastore-certfile`, `--datastore-keyfile` contents (PEM). */
  tls?: { ca?: string; cert?: string; key?: string };
}

/** A parsed datastore endpoint. */
export type Endpoint =
  | { backend: "sqlite"; path: string; params: URLSearchParams }
  | ({ backend: "postgres" } & SqlServer)
  | ({ backend: "mysql" } & SqlServer)
  | { backend: "etcd"; endpoints: string[] };

/** The forms a user may give, for error messages. */
export const ENDPOINT_FORMS: string = [
  "sqlite:///path/to/state.db",
  "postgres://user:password@host:5432/database",
  "mysql://user:password@tcp(host:3306)/database",
  "http(s)://etcd-host:2379[,http(s)://etcd-host2:2379]",
].join(", ");

/** A `--datastore-endpoint` that cannot be used. */
export class EndpointError extends Error {
  override name = "EndpointError";
}

/**
 * Parse a datastore endpoint. An empty endpoint means the embedded SQLite database at `defaultSqlitePath`.
 *
 * @example
 * ```ts
 * parseEndpoint("mysql://k3s:secret@tcp(127.0.0.1:3306)/kine", "/var/lib/rancher/k3s/server/db/state.db");
 * // → { backend: "mysql", host: "127.0.0.1", port: 3306, user: "k3s", password: "secret", database: "kine", … }
 * ```
 */
export function parseEndpoint(endpoint: string, defaultSqlitePath: string): Endpoint {
  const text = endpoint.trim();
  if (text === "") return { backend: "sqlite", path: defaultSqlitePath, params: new URLSearchParams() };
  const sep = text.indexOf("://");
  if (sep < 0) throw invalid(text, "it has no scheme");
  const scheme = text.slice(0, sep).toLowerCase();
  const rest = text.slice(sep + 3);
  switch (scheme) {
    case "sqlite":
      return parseSqlite(rest, defaultSqlitePath);
    case "postgres":
    case "postgresql":
      return parsePostgres(text);
    case "mysql":
      return parseMysql(text, rest);
    case "http":
    case "https":
      return parseEtcd(text);
    default:
      throw invalid(text, `the scheme "${scheme}" is not supported`);
  }
}

function invalid(endpoint: string, why: string): EndpointError {
  return new EndpointError(
    `invalid --datastore-endpoint "${redact(endpoint)}": ${why}; expected one of ${ENDPOINT_FORMS}`,
  );
}

/** The endpoint with any password replaced by `***`, safe to log. */
export function redact(endpoint: string): string {
  return endpoint.replace(/(:\/\/[^:/@]*:)[^@]*@/, "$1***@");
}

function splitQuery(text: string): [string, URLSearchParams] {
  const q = text.indexOf("?");
  return q < 0 ? [text, new URLSearchParams()] : [text.slice(0, q), new URLSearchParams(text.slice(q + 1))];
}

function parseSqlite(rest: string, defaultPath: string): Endpoint {
  const [path, params] = splitQuery(rest);
  return { backend: "sqlite", path: path === "" ? defaultPath : path, params };
}

function parsePostgres(text: string): Endpoint {
  let url: URL;
  try {
    url = new URL(text.replace(/^postgres(ql)?:/i, "http:"));
  } catch {
    throw invalid(text, "it is not a valid URL");
  }
  if (url.hostname === "") throw invalid(text, "it names no host");
  const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || "kubernetes";
  return {
    backend: "postgres",
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username) || "postgres",
    password: decodeURIComponent(url.password),
    database,
    params: url.searchParams,
  };
}

// Go's MySQL DSN: [user[:password]@][tcp[(host[:port])]]/dbname[?params]
function parseMysql(text: string, rest: string): Endpoint {
  const [dsn, params] = splitQuery(rest);
  const at = dsn.lastIndexOf("@");
  const credentials = at < 0 ? "" : dsn.slice(0, at);
  const address = at < 0 ? dsn : dsn.slice(at + 1);
  const match = /^(?:tcp(?:\(([^)]*)\))?)?\/(.*)$/.exec(address);
  if (!match) throw invalid(text, "the address must look like tcp(host:port)/database");
  const hostPort = match[1] ?? "";
  const colon = hostPort.lastIndexOf(":");
  const host = (colon < 0 ? hostPort : hostPort.slice(0, colon)).replace(/^\[|\]$/g, "") || "127.0.0.1";
  const port = colon < 0 ? 3306 : Number(hostPort.slice(colon + 1));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw invalid(text, `"${hostPort}" has no valid port`);
  const userEnd = credentials.indexOf(":");
  return {
    backend: "mysql",
    host,
    port,
    user: userEnd < 0 ? credentials || "root" : credentials.slice(0, userEnd),
    password: userEnd < 0 ? "" : credentials.slice(userEnd + 1),
    database: match[2] || "kubernetes",
    params,
  };
}

function parseEtcd(text: string): Endpoint {
  const endpoints = text.split(",").map((e) => e.trim()).filter((e) => e !== "");
  for (const e of endpoints) {
    let url: URL;
    try {
      url = new URL(e);
    } catch {
      throw invalid(text, `"${e}" is not a valid URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw invalid(text, `"${e}" must start with http:// or https://`);
    }
  }
  return { backend: "etcd", endpoints };
}
