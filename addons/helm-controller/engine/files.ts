/**
 * `.Files`: a chart's non-template files as Helm's `engine.files` — a map of path to bytes that templates can
 * index and range over, with the methods `Get`, `GetBytes`, `Glob`, `AsConfig`, `AsSecrets` and `Lines`.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { withSignature } from "../gotemplate/mod.ts";
import type { ChartFile } from "../chart/chart.ts";
import { marshalYaml } from "../chart/yaml/marshal.ts";
import { setEntry } from "../sprig/gomap.ts";

/** A chart's files by path, plus Helm's methods (non-enumerable, so ranging sees only the files). */
export type Files = Record<string, Uint8Array> & {
  Get(name: string): string;
  GetBytes(name: string): Uint8Array;
  Glob(pattern: string): Files;
  AsConfig(): string;
  AsSecrets(): string;
  Lines(path: string): string[];
};

/**
 * The `.Files` object of a chart.
 *
 * @example
 * ```ts
 * const files = newFiles([{ name: "config/app.ini", data: new TextEncoder().encode("a=1\n") }]);
 * files.Get("config/app.ini"); // "a=1\n"
 * files.Glob("config/*").AsConfig(); // "app.ini: |\n  a=1"
 * ```
 */
export function newFiles(from: ChartFile[] | Map<string, Uint8Array>): Files {
  const entries = from instanceof Map ? new Map(from) : new Map(from.map((f) => [f.name, f.data]));
  const files = {} as Files;
  for (const [name, data] of entries) setEntry(files, name, data);
  const getBytes = (name: string) => entries.get(name) ?? new Uint8Array();
  const methods = {
    GetBytes: withSignature((name) => getBytes(name as string), ["string"]),
    Get: withSignature((name) => new TextDecoder().decode(getBytes(name as string)), ["string"]),
    Glob: withSignature((pattern) => {
      const match = compileGlob(pattern as string) ?? (() => true);
      return newFiles(new Map([...entries].filter(([name]) => match(name))));
    }, ["string"]),
    AsConfig: withSignature(() => asYamlMap((data) => new TextDecoder().decode(data)), []),
    AsSecrets: withSignature(() => asYamlMap((data) => Buffer.from(data).toString("base64")), []),
    Lines: withSignature((path) => {
      const data = getBytes(path as string);
      if (data.length === 0) return [];
      const text = new TextDecoder().decode(data);
      return (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
    }, ["string"]),
  };
  const asYamlMap = (convert: (data: Uint8Array) => string): string => {
    const map: Record<string, string> = {};
    for (const [name, data] of entries) setEntry(map, name.slice(name.lastIndexOf("/") + 1), convert(data));
    try {
      return marshalYaml(map).replace(/\n$/, "");
    } catch {
      return "";
    }
  };
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(files, name, { value: fn, enumerable: false });
  }
  return files;
}

/**
 * A matcher for gobwas/glob patterns with `/` as separator, the syntax of `.Files.Glob`: `*` and `?` stay within
 * a path segment, `**` crosses segments, `[abc]`/`[!abc]`/`[a-z]` classes, `{a,b}` alternatives, `\` escapes.
 * Undefined when the pattern does not compile (Helm then matches everything).
 */
function compileGlob(pattern: string): ((name: string) => boolean) | undefined {
  let re = "";
  let depth = 0;
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === "\\") {
      if (i + 1 >= chars.length) return undefined;
      re += escapeRegExp(chars[++i]);
    } else if (c === "*") {
      if (chars[i + 1] === "*") {
        re += ".*";
        i++;
      } else {
        re += "[^/]*";
      }
    } else if (c === "?") {
      re += "[^/]";
    } else if (c === "[") {
      const end = chars.indexOf("]", i + 1);
      if (end < 0) return undefined;
      let body = chars.slice(i + 1, end).join("");
      const negated = body.startsWith("!");
      if (negated) body = body.slice(1);
      re += `[${negated ? "^" : ""}${body.replace(/[\\\]^]/g, (m) => "\\" + m)}]`;
      i = end;
    } else if (c === "{") {
      depth++;
      re += "(?:";
    } else if (c === "}" && depth > 0) {
      depth--;
      re += ")";
    } else if (c === "," && depth > 0) {
      re += "|";
    } else {
      re += escapeRegExp(c);
    }
  }
  if (depth !== 0) return undefined;
  const compiled = new RegExp(`^${re}$`, "su");
  return (name) => compiled.test(name);
}

function escapeRegExp(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? "\\" + c : c;
}
