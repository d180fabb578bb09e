/**
 * The compact message descriptor the decoder runs on, and its parser.
 *
 * `scripts/gen-protobuf.ts` writes it from kubectl's FileDescriptorSet plus the Go struct tags of
 * k8s.io/api and k8s.io/apimachinery, because the `.proto` files alone cannot say how Go's JSON
 * encoder would render a field (pointer or `omitempty`, `json:",inline"`). One line per message:
 *
 * ```text
 * <packageIndex>/<MessageName>[/L] <number>:<jsonName>:<type>[:<flags>] …
 * ```
 *
 * - type: `s` string, `b` bool, `i` int32, `l` int64, `u` uint32, `U` uint64, `y` bytes, a decimal
 *   message index (line number), or `{<key>,<value>}` for a map.
 * - flags: `r` repeated, `z` keep a zero scalar (the Go field is a pointer or not `omitempty`),
 *   `n` inline (Go `json:",inline"`: the sub-message's fields merge into the parent).
 * - `/L` marks a Go `[]string` alias (`Verbs`, `ExtraValue`): its JSON is the `items` array.
 *
 * @module
 */

/** Scalar type codes of the compact format. */
export type ScalarCode = "s" | "b" | "i" | "l" | "u" | "U" | "y";

/** A field's value type: a scalar or a message. */
export type ValueType = { scalar: ScalarCode } | { message: number };

/** One field of a message. */
export interface FieldInfo {
  number: number;
  jsonName: string;
  /** Map fields (`map<K,V>`) carry both `key` and `value`; other fields only `value`. */
  value: ValueType;
  key?: ScalarCode;
  repeated: boolean;
  keepZero: boolean;
  inline: boolean;
}

/** One message type. */
export interface MessageInfo {
  index: number;
  /** Fully qualified proto name, e.g. `k8s.io.api.core.v1.ConfigMap`. */
  fullName: string;
  fields: Map<number, FieldInfo>;
  /** Go `[]string` alias: rendered as the array in field 1. */
  list: boolean;
}

const SCALARS = new Set(["s", "b", "i", "l", "u", "U", "y"]);

function parseType(text: string, where: string): ValueType {
  if (SCALARS.has(text)) return { scalar: text as ScalarCode };
  if (/^\d+$/.test(text)) return { message: Number(text) };
  throw new Error(`bad type ${JSON.stringify(text)} in protobuf descriptor at ${where}`);
}

function parseField(token: string, where: string): FieldInfo {
  const [num, jsonName, type, flags = ""] = token.split(":");
  const field: FieldInfo = {
    number: Number(num),
    jsonName,
    value: { scalar: "s" },
    repeated: flags.includes("r"),
    keepZero: flags.includes("z"),
    inline: flags.includes("n"),
  };
  const map = /^\{(\w),(\w+)\}$/.exec(type);
  if (map) {
    const key = parseType(map[1], where);
    if (!("scalar" in key)) throw new Error(`bad map key in protobuf descriptor at ${where}`);
    field.key = key.scalar;
    field.value = parseType(map[2], where);
  } else {
    field.value = parseType(type, where);
  }
  return field;
}

/**
 * An index over the compact descriptor. Lines are parsed on first use: a request touches a few
 * dozen of the ~1,100 messages.
 *
 * @example
 * ```ts
 * const set = new DescriptorSet(["k8s.io.api.core.v1"], "0/ConfigMap 2:data:{s,s} 4:immutable:b:z");
 * set.find("k8s.io.api.core.v1.ConfigMap")?.fields.get(2)?.jsonName; // "data"
 * ```
 */
export class DescriptorSet {
  private readonly lines: string[];
  private readonly byName = new Map<string, number>();
  private readonly parsed = new Map<number, MessageInfo>();

  constructor(readonly packages: readonly string[], messages: string) {
    this.lines = messages.split("\n").filter((l) => l.length > 0);
    this.lines.forEach((line, i) => {
      const [pkg, name] = line.split(" ", 1)[0].split("/");
      this.byName.set(`${packages[Number(pkg)]}.${name}`, i);
    });
  }

  /** Number of messages. */
  get size(): number {
    return this.lines.length;
  }

  /** Looks a message up by its fully qualified proto name. */
  find(fullName: string): MessageInfo | undefined {
    const i = this.byName.get(fullName);
    return i === undefined ? undefined : this.at(i);
  }

  /** The message on line `index`. */
  at(index: number): MessageInfo {
    let info = this.parsed.get(index);
    if (info) return info;
    const line = this.lines[index];
    if (line === undefined) throw new Error(`protobuf descriptor has no message #${index}`);
    const [head, ...tokens] = line.split(" ");
    const [pkg, name, flags = ""] = head.split("/");
    const fields = new Map<number, FieldInfo>();
    for (const t of tokens) {
      const f = parseField(t, name);
      fields.set(f.number, f);
    }
    info = { index, fullName: `${this.packages[Number(pkg)]}.${name}`, fields, list: flags.includes("L") };
    this.parsed.set(index, info);
    return info;
  }
}
