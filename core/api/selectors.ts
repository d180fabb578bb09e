/**
 * Label and field selectors, as `?labelSelector=` and `?fieldSelector=` carry them.
 *
 * @module
 */
import { badRequest } from "./status.ts";

type Requirement =
  | { key: string; op: "=" | "!="; values: [string] }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "exists" | "!" }
  | { key: string; op: "gt" | "lt"; values: [string] };

/** A parsed label selector; matches a `labels` map. */
export interface LabelSelector {
  matches(labels: Record<string, string> | undefined): boolean;
  readonly empty: boolean;
}

/**
 * Parse the string form of a label selector: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`,
 * `a>1`, `a<1`, comma-separated (all must hold).
 *
 * @example
 * ```ts
 * parseLabelSelector("tier in (gold,silver),!legacy").matches({ tier: "gold" }); // true
 * ```
 */
export function parseLabelSelector(text: string | undefined | null): LabelSelector {
  const requirements: Requirement[] = [];
  const source = (text ?? "").trim();
  let i = 0;
  const fail = (why: string) => badRequest(`unable to parse requirement: ${why} in label selector "${source}"`);
  const skip = () => {
    while (source[i] === " ") i++;
  };
  const word = () => {
    skip();
    const start = i;
    while (i < source.length && !" ,=!()<>".includes(source[i])) i++;
    return source.slice(start, i);
  };
  while (i < source.length) {
    skip();
    if (source[i] === "!") {
      i++;
      const key = word();
      if (!key) throw fail("missing key after '!'");
      requirements.push({ key, op: "!" });
    } else {
      const key = word();
      if (!key) throw fail("missing key");
      skip();
      if (i >= source.length || source[i] === ",") {
        requirements.push({ key, op: "exists" });
      } else if (source.startsWith("==", i) || source[i] === "=") {
        i += source.startsWith("==", i) ? 2 : 1;
        requirements.push({ key, op: "=", values: [word()] });
      } else if (source.startsWith("!=", i)) {
        i += 2;
        requirements.push({ key, op: "!=", values: [word()] });
      } else if (source[i] === ">" || source[i] === "<") {
        const op = source[i] === ">" ? "gt" : "lt";
        i++;
        const value = word();
        if (!/^-?\d+$/.test(value)) throw fail(`for 'Gt', 'Lt' operators, the value must be an integer`);
        requirements.push({ key, op, values: [value] });
      } else {
        const op = word();
        if (op !== "in" && op !== "notin") throw fail(`unexpected "${op || source[i]}"`);
        skip();
        if (source[i] !== "(") throw fail("found no '(' after set operator");
        i++;
        const values: string[] = [];
        while (true) {
          const v = word();
          if (v) values.push(v);
          skip();
          if (source[i] === ",") {
            i++;
            continue;
          }
          if (source[i] === ")") {
            i++;
            break;
          }
          throw fail("missing ')'");
        }
        requirements.push({ key, op, values });
      }
    }
    skip();
    if (i < source.length) {
      if (source[i] !== ",") throw fail(`unexpected "${source[i]}"`);
      i++;
    }
  }
  return {
    empty: requirements.length === 0,
    matches(labels) {
      const l = labels ?? {};
      return requirements.every((r) => {
        const has = Object.hasOwn(l, r.key);
        switch (r.op) {
          case "=":
            return has && l[r.key] === r.values[0];
          case "!=":
            return !has || l[r.key] !== r.values[0];
          case "in":
            return has && r.values.includes(l[r.key]);
          case "notin":
            return !has || !r.values.includes(l[r.key]);
          case "exists":
            return has;
          case "!":
            return !has;
          case "gt":
            return has && /^-?\d+$/.test(l[r.key]) && Number(l[r.key]) > Number(r.values[0]);
          case "lt":
            return has && /^-?\d+$/.test(l[r.key]) && Number(l[r.key]) < Number(r.values[0]);
        }
      });
    },
  };
}

/** A parsed field selector; matches an object through a per-kind field reader. */
export interface FieldSelector {
  readonly empty: boolean;
  /** `metadata.name=x` when the selector pins one name (a watch or list of one object). */
  readonly name?: string;
  /** The fields the selector reads. */
  readonly fields: string[];
  matches(fieldOf: (field: string) => string | undefined): boolean;
}

/**
 * Parse a field selector: `a=b`, `a==b`, `a!=b`, comma-separated; values may escape `\,` `\=` `\\`.
 *
 * @example
 * ```ts
 * parseFieldSelector("metadata.name=web,status.phase!=Failed").name; // "web"
 * ```
 */
export function parseFieldSelector(text: string | undefined | null): FieldSelector {
  const terms: { field: string; op: "=" | "!="; value: string }[] = [];
  const source = (text ?? "").trim();
  for (const part of splitUnescaped(source, ",")) {
    if (part.trim() === "") continue;
    const match = /^([^=!]+?)\s*(==|!=|=)\s*(.*)$/s.exec(part.trim());
    if (!match) throw badRequest(`invalid selector: '${source}'; can't understand '${part}'`);
    terms.push({ field: match[1].trim(), op: match[2] === "!=" ? "!=" : "=", value: unescape(match[3]) });
  }
  const nameTerm = terms.find((t) => t.field === "metadata.name" && t.op === "=");
  return {
    empty: terms.length === 0,
    name: nameTerm?.value,
    fields: terms.map((t) => t.field),
    matches(fieldOf) {
      return terms.every((t) => {
        const actual = fieldOf(t.field) ?? "";
        return t.op === "=" ? actual === t.value : actual !== t.value;
      });
    },
  };
}

function splitUnescaped(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\" && i + 1 < text.length) {
      current += text[i] + text[i + 1];
      i++;
    } else if (text[i] === sep) {
      parts.push(current);
      current = "";
    } else current += text[i];
  }
  parts.push(current);
  return parts;
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, "$1");
}
