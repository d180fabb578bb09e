/**
 * Sprig's path functions: Go's `path` package (`base`, `dir`, `clean`, `ext`, `isAbs`) and `path/filepath`
 * (`osBase`, `osDir`, `osClean`, `osExt`, `osIsAbs`), which on Linux, where Helm runs, behave the same.
 *
 * @module
 */
import { withSignature as fn } from "../gotemplate/signature.ts";
import type { GoFunc } from "../gotemplate/value.ts";

/**
 * Go's `path.Clean`: the shortest equivalent path, "." for an empty one.
 *
 * @example
 * ```ts
 * clean("/foo/../foo/../bar"); // "/bar"
 * clean("a/../../b"); // "../b"
 * ```
 */
export function clean(path: string): string {
  if (path === "") return ".";
  const rooted = path.startsWith("/");
  const out: string[] = [];
  for (const element of path.split("/")) {
    if (element === "" || element === ".") continue;
    if (element === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(element);
  }
  const joined = out.join("/");
  if (rooted) return "/" + joined;
  return joined === "" ? "." : joined;
}

/**
 * Go's `path.Base`: the last element, trailing slashes ignored; "/" for only slashes, "." for "".
 *
 * @example
 * ```ts
 * base("foo/bar/"); // "bar"
 * ```
 */
export function base(path: string): string {
  if (path === "") return ".";
  path = path.replace(/\/+$/, "");
  if (path === "") return "/";
  return path.slice(path.lastIndexOf("/") + 1);
}

/**
 * Go's `path.Dir`: everything but the last element, cleaned.
 *
 * @example
 * ```ts
 * dir("foo/bar/baz"); // "foo/bar"
 * ```
 */
export function dir(path: string): string {
  return clean(path.slice(0, path.lastIndexOf("/") + 1));
}

/**
 * Go's `path.Ext`: the extension of the last element, with its dot.
 *
 * @example
 * ```ts
 * ext("/foo/bar/baz.txt"); // ".txt"
 * ```
 */
export function ext(path: string): string {
  for (let i = path.length - 1; i >= 0 && path[i] !== "/"; i--) if (path[i] === ".") return path.slice(i);
  return "";
}

const one = (f: (s: string) => unknown) => fn((s) => f(s as string), ["string"]);
const isAbs = (s: string) => s.startsWith("/");

/** Sprig's path functions by their template names. */
export const pathFunctions: Record<string, GoFunc> = {
  base: one(base),
  dir: one(dir),
  clean: one(clean),
  ext: one(ext),
  isAbs: one(isAbs),
  osBase: one(base),
  osDir: one(dir),
  osClean: one(clean),
  osExt: one(ext),
  osIsAbs: one(isAbs),
};
