/**
 * `toToml`: BurntSushi/toml's encoder as Helm uses it — keys sorted, plain keys before sub-tables, `[table]` and
 * `[[array of tables]]` headers with nested tables indented two spaces, floats always with a decimal point, and
 * the encoder's error text returned in place of a document it cannot write.
 *
 * @module
 */

import { compareStrings, formatFloat, isMap } from "../gotemplate/mod.ts";
import { formatTime, RFC3339_NANO } from "../sprig/timefmt.ts";
import { localZone } from "../sprig/zoneinfo.ts";

const INDENT = "  ";

class TomlError extends Error {}

/**
 * Helm's `toToml`: the TOML document for `value`, or the encoder's error message.
 *
 * @example
 * ```ts
 * toToml({ name: "web", port: 8080n, db: { host: "x" } }); // 'name = "web"\nport = 8080\n\n[db]\n  host = "x"\n'
 * ```
 */
export function toToml(value: unknown): string {
  const out: string[] = [];
  try {
    encode(out, [], value);
  } catch (error) {
    if (error instanceof TomlError) return error.message;
    throw error;
  }
  return out.join("");
}

type TomlType = "table" | "arrayOfTables" | "other" | undefined;

function tomlType(value: unknown): TomlType {
  if (value === null || value === undefined) return undefined;
  if (isMap(value)) return "table";
  if (Array.isArray(value) && value.length > 0) {
    let tables = true;
    for (const item of value) {
      const t = tomlType(item);
      if (t === undefined) throw new TomlError("toml: cannot encode array with nil element");
      if (t !== "table") tables = false;
    }
    return tables ? "arrayOfTables" : "other";
  }
  return "other";
}

function newline(out: string[]): void {
  if (out.length > 0) out.push("\n");
}

function encode(out: string[], key: string[], value: unknown): void {
  if (value === null || value === undefined) return;
  const type = tomlType(value);
  if (type === "table") {
    if (key.length === 1) newline(out);
    if (key.length > 0) {
      out.push(`${INDENT.repeat(key.length - 1)}[${keyString(key)}]`);
      newline(out);
    }
    encodeMap(out, key, value as Record<string, unknown>, false);
  } else if (type === "arrayOfTables") {
    if (key.length === 0) throw new TomlError("toml: top-level values must be Go maps or structs");
    for (const item of value as unknown[]) {
      newline(out);
      out.push(`${INDENT.repeat(key.length - 1)}[[${keyString(key)}]]`);
      newline(out);
      encodeMap(out, key, item as Record<string, unknown>, false);
    }
  } else {
    writeKeyValue(out, key, value, false);
  }
}

function encodeMap(out: string[], key: string[], map: Record<string, unknown>, inline: boolean): void {
  const direct: string[] = [];
  const sub: string[] = [];
  for (const k of Object.keys(map)) {
    const t = tomlType(map[k]);
    (t === "table" || t === "arrayOfTables" ? sub : direct).push(k);
  }
  const write = (keys: string[], trailingComma: boolean) => {
    keys.sort(compareStrings);
    keys.forEach((k, i) => {
      const v = map[k];
      if (v === null || v === undefined) return;
      if (inline) {
        writeKeyValue(out, [k], v, true);
        if (trailingComma || i !== keys.length - 1) out.push(", ");
      } else {
        encode(out, [...key, k], v);
      }
    });
  };
  if (inline) out.push("{");
  write(direct, sub.length > 0);
  write(sub, false);
  if (inline) out.push("}");
}

function writeKeyValue(out: string[], key: string[], value: unknown, inline: boolean): void {
  if (key.length === 0) {
    element(out, value);
    return;
  }
  out.push(`${INDENT.repeat(key.length - 1)}${bareOrQuoted(key[key.length - 1])} = `);
  element(out, value);
  if (!inline) newline(out);
}

function element(out: string[], value: unknown): void {
  if (typeof value === "string") out.push(quoted(value));
  else if (typeof value === "boolean") out.push(String(value));
  else if (typeof value === "bigint") out.push(value.toString());
  else if (typeof value === "number") {
    if (Number.isNaN(value)) out.push("nan");
    else if (!Number.isFinite(value)) out.push(value < 0 ? "-inf" : "inf");
    else {
      const s = formatFloat(value, "f", -1);
      out.push(s.includes(".") ? s : `${s}.0`);
    }
  } else if (value instanceof Date) out.push(formatTime(value, RFC3339_NANO, localZone()));
  else if (Array.isArray(value)) {
    out.push("[");
    value.forEach((item, i) => {
      element(out, item);
      if (i !== value.length - 1) out.push(", ");
    });
    out.push("]");
  } else if (isMap(value)) encodeMap(out, [], value, true);
  else throw new TomlError(`toml: unsupported type: ${typeof value}`);
}

const BARE = /^[A-Za-z0-9_-]+$/;

function bareOrQuoted(k: string): string {
  if (k === "") return '""';
  return BARE.test(k) ? k : quoted(k);
}

function keyString(key: string[]): string {
  return key.map(bareOrQuoted).join(".");
}

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\b": "\\b",
  "\t": "\\t",
  "\n": "\\n",
  "\f": "\\f",
  "\r": "\\r",
};

/** A TOML basic string, escaped as BurntSushi's `dblQuotedReplacer` does. */
function quoted(s: string): string {
  let out = '"';
  for (const c of s) {
    const code = c.charCodeAt(0);
    out += ESCAPES[c] ?? (code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, "0")}` : c);
  }
  return out + '"';
}
