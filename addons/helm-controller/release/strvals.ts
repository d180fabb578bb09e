/**
 * Helm's `--set` and `--set-string` syntax (`pkg/strvals`): comma-separated `key=value` pairs where keys are dotted
 * paths with list indexes (`a.b[0].c=x`), values may be `{x,y}` lists, and a backslash escapes the next character.
 * `--set` types its values as Helm does (`true`/`false` → bool, `null` → nil, integers without a leading zero →
 * int64, everything else a string); `--set-string` keeps them strings.
 *
 * @module
 */
import type { Values } from "../chart/mod.ts";

/** Helm's limits on list indexes and key nesting. */
const MAX_INDEX = 65536;
const MAX_NESTED_NAME_LEVEL = 30;

class Scanner {
  #pos = 0;
  constructor(readonly runes: string[]) {}

  /** The next rune, or undefined at the end. */
  read(): string | undefined {
    return this.runes[this.#pos++];
  }

  unread(): void {
    this.#pos--;
  }

  /** Runes up to one of `stop` (consumed, returned as `last`); a backslash takes the next rune literally. */
  until(stop: string): { text: string; last?: string; eof: boolean } {
    let text = "";
    for (;;) {
      const r = this.read();
      if (r === undefined) return { text, eof: true };
      if (stop.includes(r)) return { text, last: r, eof: false };
      if (r === "\\") {
        const next = this.read();
        if (next === undefined) return { text, eof: true };
        text += next;
      } else {
        text += r;
      }
    }
  }
}

class EndOfInput extends Error {}
class NotList extends Error {}

/**
 * Parses `--set` (or, with `asString`, `--set-string`) text into `dest`, as `strvals.ParseInto` does.
 *
 * @example
 * ```ts
 * const values = {};
 * parseInto("image.tag=v2,replicas=3,ports[0].name=http", values);
 * // { image: { tag: "v2" }, replicas: 3n, ports: [{ name: "http" }] }
 * ```
 */
export function parseInto(text: string, dest: Values, asString = false): void {
  const parser = new Parser(new Scanner([...text]), asString);
  for (;;) {
    try {
      parser.key(dest, 0);
    } catch (error) {
      if (error instanceof EndOfInput) return;
      throw error;
    }
  }
}

/**
 * `strvals.typedVal`: how `--set` types a value.
 *
 * @example
 * ```ts
 * typedVal("3"); // 3n
 * typedVal("03"); // "03"
 * typedVal("True"); // true
 * ```
 */
export function typedVal(text: string): unknown {
  const lower = text.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  if (lower === "null") return null;
  if (text === "0") return 0n;
  if (text.length > 0 && text[0] !== "0" && /^[+-]?\d+$/.test(text)) {
    const n = BigInt(text);
    if (n >= -(2n ** 63n) && n < 2n ** 63n) return n;
  }
  return text;
}

class Parser {
  constructor(readonly sc: Scanner, readonly asString: boolean) {}

  reader(text: string): unknown {
    return this.asString ? text : typedVal(text);
  }

  key(data: Values, level: number): void {
    for (;;) {
      const { text: k, last, eof } = this.sc.until("=[,.");
      if (eof) {
        if (k.length === 0) throw new EndOfInput();
        throw new Error(`key ${JSON.stringify(k)} has no value`);
      }
      if (last === "[") {
        const i = this.keyIndex();
        const existing = data[k];
        if (existing !== undefined && !Array.isArray(existing)) {
          throw new Error(
            `unable to parse key: interface conversion: interface {} is ${goKind(existing)}, not []interface {}`,
          );
        }
        const { list, error } = this.listItem(Array.isArray(existing) ? existing : [], i, level);
        set(data, k, list);
        if (error) throw error;
        return;
      }
      if (last === "=") {
        let list: unknown[];
        try {
          list = this.valList();
        } catch (error) {
          if (error instanceof EndOfInput) {
            set(data, k, "");
            throw error;
          }
          if (!(error instanceof NotList)) throw error;
          const { text } = this.sc.until(",");
          set(data, k, this.reader(text));
          return;
        }
        set(data, k, list);
        return;
      }
      if (last === ",") {
        set(data, k, "");
        throw new Error(`key ${JSON.stringify(k)} has no value (cannot end with ,)`);
      }
      // last === "."
      if (++level > MAX_NESTED_NAME_LEVEL) {
        throw new Error(
          `value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`,
        );
      }
      const existing = data[k];
      if (existing !== undefined && !isMap(existing)) {
        throw new Error(
          `unable to parse key: interface conversion: interface {} is ${goKind(existing)}, not map[string]interface {}`,
        );
      }
      const inner: Values = isMap(existing) ? existing : {};
      let failure: unknown;
      try {
        this.key(inner, level);
      } catch (error) {
        failure = error;
      }
      if (failure === undefined && Object.keys(inner).length === 0) {
        throw new Error(`key map ${JSON.stringify(k)} has no value`);
      }
      if (Object.keys(inner).length > 0) set(data, k, inner);
      if (failure !== undefined) throw failure;
      return;
    }
  }

  keyIndex(): number {
    const { text, eof } = this.sc.until("]");
    if (eof) throw new EndOfInput();
    if (!/^[+-]?\d+$/.test(text)) {
      throw new Error(`error parsing index: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
    }
    return Number(text);
  }

  listItem(list: unknown[], i: number, level: number): { list: unknown[]; error?: Error } {
    if (i < 0) return { list, error: new Error(`negative ${i} index not allowed`) };
    const { text, last, eof } = this.sc.until("[.=");
    if (text.length > 0) {
      return { list, error: new Error(`unexpected data at end of array index: ${JSON.stringify(text)}`) };
    }
    if (eof) return { list, error: new EndOfInput() };
    if (last === "=") {
      let value: unknown;
      try {
        value = this.valList();
      } catch (error) {
        if (error instanceof EndOfInput) return setIndex(list, i, "");
        if (!(error instanceof NotList)) return { list, error: error as Error };
        value = this.reader(this.sc.until(",").text);
      }
      return setIndex(list, i, value);
    }
    if (last === "[") {
      const next = this.keyIndex();
      const existing = list.length > i ? list[i] : undefined;
      const inner = Array.isArray(existing) ? existing : [];
      const result = this.listItem(inner, next, level);
      if (result.error) return { list, error: result.error };
      return setIndex(list, i, result.list);
    }
    // last === "."
    const existing = list.length > i ? list[i] : undefined;
    const inner: Values = isMap(existing) ? existing : {};
    try {
      this.key(inner, level);
    } catch (error) {
      return { list, error: error as Error };
    }
    return setIndex(list, i, inner);
  }

  /** `{a,b}` after `=`; {@link NotList} when the value does not start with `{`. */
  valList(): unknown[] {
    const r = this.sc.read();
    if (r === undefined) throw new EndOfInput();
    if (r !== "{") {
      this.sc.unread();
      throw new NotList();
    }
    const list: unknown[] = [];
    for (;;) {
      const { text, last, eof } = this.sc.until(",}");
      if (eof) throw new Error("list must terminate with '}'");
      list.push(this.reader(text));
      if (last === "}") {
        const next = this.sc.read();
        if (next !== undefined && next !== ",") this.sc.unread();
        return list;
      }
    }
  }
}

function set(data: Values, key: string, value: unknown): void {
  if (key.length > 0) data[key] = value;
}

function setIndex(list: unknown[], index: number, value: unknown): { list: unknown[]; error?: Error } {
  if (index < 0) return { list, error: new Error(`negative ${index} index not allowed`) };
  if (index > MAX_INDEX) {
    return { list, error: new Error(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`) };
  }
  const out = list.length <= index ? [...list, ...Array(index + 1 - list.length).fill(null)] : list;
  out[index] = value;
  return { list: out };
}

function isMap(value: unknown): value is Values {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function goKind(value: unknown): string {
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "bigint") return "int64";
  if (typeof value === "number") return "float64";
  if (Array.isArray(value)) return "[]interface {}";
  if (value === null) return "nil";
  return "map[string]interface {}";
}
