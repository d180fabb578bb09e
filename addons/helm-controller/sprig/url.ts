/**
 * Sprig's `urlParse` and `urlJoin` over Go's `net/url`: `url.Parse` (scheme, opaque, userinfo, host, unescaped
 * path, raw query, fragment, with its errors) and `URL.String` (re-escaping as Go does).
 *
 * @module
 */
import { quote } from "../gotemplate/quote.ts";
import { withSignature as fn } from "../gotemplate/signature.ts";
import type { GoFunc, GoMap } from "../gotemplate/value.ts";
import { text, utf8 } from "./bytes.ts";
import { lookup } from "./gomap.ts";
import { kindOf } from "./reflect.ts";
import { NIL_DEREFERENCE } from "./lists.ts";

type Mode = "path" | "host" | "userinfo" | "fragment";

/** Go's `shouldEscape` for the URL components Sprig touches. */
function shouldEscape(c: string, mode: Mode): boolean {
  if (/[A-Za-z0-9]/.test(c)) return false;
  if (mode === "host" && "!$&'()*+,;=:[]<>\"".includes(c)) return false;
  if ("-_.~".includes(c)) return false;
  if ("$&+,/:;=?@".includes(c)) {
    if (mode === "path") return c === "?";
    if (mode === "userinfo") return "@/?:".includes(c);
    if (mode === "fragment") return false;
  }
  if (mode === "fragment" && "!()*".includes(c)) return false;
  return true;
}

/** Go's `escape`: %XX for every byte that must be escaped. */
function escape(s: string, mode: Mode): string {
  let out = "";
  for (const b of utf8(s)) {
    const c = String.fromCharCode(b);
    out += b < 0x80 && !shouldEscape(c, mode) ? c : "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** Go's `unescape`, with its `EscapeError` and `InvalidHostError`. */
function unescape(s: string, mode: Mode): string {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "%") {
      if (!/^%[0-9A-Fa-f]{2}/.test(s.slice(i))) throw new Error(`invalid URL escape ${quote(s.slice(i, i + 3))}`);
      if (mode === "host" && parseInt(s[i + 1], 16) < 8 && s.slice(i, i + 3) !== "%25") {
        throw new Error(`invalid URL escape ${quote(s.slice(i, i + 3))}`);
      }
      i += 2;
    } else if (mode === "host" && s.charCodeAt(i) < 0x80 && shouldEscape(s[i], mode)) {
      throw new Error(`invalid character ${quote(s[i])} in host name`);
    }
  }
  const bytes: number[] = [];
  for (let i = 0; i < s.length;) {
    if (s[i] === "%") {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      const ch = String.fromCodePoint(s.codePointAt(i)!);
      bytes.push(...utf8(ch));
      i += ch.length;
    }
  }
  return text(new Uint8Array(bytes));
}

const validPort = (p: string) => /^(:[0-9]*)?$/.test(p);

/** A parsed Go `*url.URL`, the fields Sprig reads. */
export interface GoURL {
  scheme: string;
  opaque: string;
  user?: { username: string; password?: string };
  host: string;
  path: string;
  rawQuery: string;
  fragment: string;
}

function parseHost(host: string): string {
  if (host.startsWith("[")) {
    const i = host.lastIndexOf("]");
    if (i < 0) throw new Error("missing ']' in host");
    const port = host.slice(i + 1);
    if (!validPort(port)) throw new Error(`invalid port ${quote(port)} after host`);
  } else {
    const i = host.lastIndexOf(":");
    if (i >= 0 && !validPort(host.slice(i))) throw new Error(`invalid port ${quote(host.slice(i))} after host`);
  }
  return unescape(host, "host");
}

function parseAuthority(authority: string): Pick<GoURL, "user" | "host"> {
  const at = authority.lastIndexOf("@");
  const host = parseHost(authority.slice(at + 1));
  if (at < 0) return { host };
  const userinfo = authority.slice(0, at);
  if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) throw new Error("net/url: invalid userinfo");
  const colon = userinfo.indexOf(":");
  if (colon < 0) return { host, user: { username: unescape(userinfo, "userinfo") } };
  return {
    host,
    user: {
      username: unescape(userinfo.slice(0, colon), "userinfo"),
      password: unescape(userinfo.slice(colon + 1), "userinfo"),
    },
  };
}

function parseWithoutFragment(raw: string): GoURL {
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new Error("net/url: invalid control character in URL");
  const u: GoURL = { scheme: "", opaque: "", host: "", path: "", rawQuery: "", fragment: "" };
  if (raw === "*") return { ...u, path: "*" };
  let rest = raw;
  const scheme = /^([A-Za-z][A-Za-z0-9+\-.]*):/.exec(raw);
  if (raw.startsWith(":")) throw new Error("missing protocol scheme");
  if (scheme) {
    u.scheme = scheme[1].toLowerCase();
    rest = raw.slice(scheme[0].length);
  }
  if (rest.endsWith("?") && rest.indexOf("?") === rest.length - 1) {
    rest = rest.slice(0, -1);
  } else if (rest.includes("?")) {
    u.rawQuery = rest.slice(rest.indexOf("?") + 1);
    rest = rest.slice(0, rest.indexOf("?"));
  }
  if (!rest.startsWith("/")) {
    if (u.scheme !== "") return { ...u, opaque: rest };
    if (rest.split("/")[0].includes(":")) throw new Error("first path segment in URL cannot contain colon");
  }
  if ((u.scheme !== "" || !rest.startsWith("///")) && rest.startsWith("//")) {
    let authority = rest.slice(2);
    rest = "";
    const slash = authority.indexOf("/");
    if (slash >= 0) [authority, rest] = [authority.slice(0, slash), authority.slice(slash)];
    Object.assign(u, parseAuthority(authority));
  }
  u.path = unescape(rest, "path");
  return u;
}

/**
 * Go's `url.Parse`, throwing its `*url.Error` text (`parse "…": …`).
 *
 * @example
 * ```ts
 * parseURL("https://user@host:8080/a%20b?q=1#top").path; // "/a b"
 * parseURL(":x"); // throws 'parse ":x": missing protocol scheme'
 * ```
 */
export function parseURL(raw: string): GoURL {
  const hash = raw.indexOf("#");
  const withoutFragment = hash < 0 ? raw : raw.slice(0, hash);
  let u: GoURL;
  try {
    u = parseWithoutFragment(withoutFragment);
  } catch (err) {
    throw new Error(`parse ${quote(withoutFragment)}: ${(err as Error).message}`);
  }
  if (hash >= 0) {
    try {
      u.fragment = unescape(raw.slice(hash + 1), "fragment");
    } catch (err) {
      throw new Error(`parse ${quote(raw)}: ${(err as Error).message}`);
    }
  }
  return u;
}

function userString(user: GoURL["user"]): string {
  if (!user) return "";
  return escape(user.username, "userinfo") +
    (user.password !== undefined ? ":" + escape(user.password, "userinfo") : "");
}

/**
 * Go's `URL.String`.
 *
 * @example
 * ```ts
 * formatURL({ scheme: "https", opaque: "", host: "h", path: "/a b", rawQuery: "", fragment: "" }); // "https://h/a%20b"
 * ```
 */
export function formatURL(u: GoURL): string {
  let out = u.scheme !== "" ? u.scheme + ":" : "";
  if (u.opaque !== "") {
    out += u.opaque;
  } else {
    if (u.scheme !== "" || u.host !== "" || u.user) {
      if (u.host !== "" || u.path !== "" || u.user) out += "//";
      if (u.user) out += userString(u.user) + "@";
      if (u.host !== "") out += escape(u.host, "host");
    }
    const path = escape(u.path, "path");
    if (path !== "" && path[0] !== "/" && u.host !== "") out += "/";
    if (out === "" && path.split("/")[0].includes(":")) out += "./";
    out += path;
  }
  if (u.rawQuery !== "") out += "?" + u.rawQuery;
  if (u.fragment !== "") out += "#" + escape(u.fragment, "fragment");
  return out;
}

/** Go's `URL.Hostname`: the host without port or IPv6 brackets. */
function hostname(host: string): string {
  const colon = host.lastIndexOf(":");
  if (colon >= 0 && validPort(host.slice(colon))) host = host.slice(0, colon);
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  return host;
}

/**
 * Sprig's `urlParse`: a URL's parts as a dict (scheme, host, hostname, path, query, opaque, fragment, userinfo).
 *
 * @example
 * ```ts
 * urlParse("http://admin:secret@server.com:8080/api?list=false#anchor").hostname; // "server.com"
 * ```
 */
export function urlParse(v: string): GoMap {
  let u: GoURL;
  try {
    u = parseURL(v);
  } catch (err) {
    throw new Error(`unable to parse url: ${(err as Error).message}`);
  }
  return {
    scheme: u.scheme,
    host: u.host,
    hostname: hostname(u.host),
    path: u.path,
    query: u.rawQuery,
    opaque: u.opaque,
    fragment: u.fragment,
    userinfo: userString(u.user),
  };
}

/** Sprig's `dictGetOrEmpty`: a string entry, "" when missing; any other type is its panic. */
function entry(d: GoMap | null, key: string): string {
  const { ok, value } = lookup(d, key);
  if (!ok) return "";
  if (value === null) throw new Error(NIL_DEREFERENCE);
  if (typeof value !== "string") {
    throw new Error(`unable to parse ${key} key, must be of type string, but ${kindOf(value)} found`);
  }
  return value;
}

/**
 * Sprig's `urlJoin`: the URL a dict of parts (as {@link urlParse} gives) describes.
 *
 * @example
 * ```ts
 * urlJoin({ scheme: "https", host: "example.com", path: "/a b", query: "x=1" }); // "https://example.com/a%20b?x=1"
 * ```
 */
export function urlJoin(d: GoMap | null): string {
  const userinfo = entry(d, "userinfo");
  let user: GoURL["user"];
  if (userinfo !== "") {
    try {
      user = parseURL(`proto://${userinfo}@host`).user;
    } catch (err) {
      throw new Error(`unable to parse userinfo in dict: ${(err as Error).message}`);
    }
  }
  return formatURL({
    scheme: entry(d, "scheme"),
    host: entry(d, "host"),
    path: entry(d, "path"),
    rawQuery: entry(d, "query"),
    opaque: entry(d, "opaque"),
    fragment: entry(d, "fragment"),
    user,
  });
}

/** Sprig's URL functions by their template names. */
export const urlFunctions: Record<string, GoFunc> = {
  urlParse: fn((v) => urlParse(v as string), ["string"]),
  urlJoin: fn((d) => urlJoin((d ?? null) as GoMap | null), ["map[string]interface {}"]),
};
