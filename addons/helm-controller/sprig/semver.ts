/**
 * Masterminds/semver v3 as Sprig's `semver` and `semverCompare` use it: lenient version parsing ("v1.2" is
 * 1.2.0), precedence with prereleases, and constraints — `=`, `!=`, `>`, `<`, `>=`, `<=`, `~`, `~>`, `^`, wildcards
 * (`1.2.x`, `*`), hyphen ranges (`1.2 - 1.4.5`), AND with spaces or commas, OR with `||`, and the rule that a
 * prerelease version only satisfies a constraint that itself names a prerelease.
 *
 * @module
 */
import { withSignature as fn } from "../gotemplate/signature.ts";
import { type GoFunc, goTypeName } from "../gotemplate/value.ts";
import { parseUint } from "./strconv.ts";

const SV = String.raw`v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?` +
  String.raw`(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?` +
  String.raw`(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const VERSION = new RegExp(`^${SV}$`);

const NUM = /^[0-9]*$/;
const ALLOWED = /^[0-9A-Za-z-]*$/;

function validatePrerelease(pre: string): void {
  for (const part of pre.split(".")) {
    if (NUM.test(part)) {
      if (part.length > 1 && part[0] === "0") throw new Error("Version segment starts with 0");
    } else if (!ALLOWED.test(part)) {
      throw new Error("Invalid Prerelease string");
    }
  }
}

function validateMetadata(meta: string): void {
  if (!meta.split(".").every((p) => ALLOWED.test(p))) throw new Error("Invalid Metadata string");
}

function segment(s: string): bigint {
  const r = parseUint(s, 10, 64);
  if (r.err) throw new Error(`Error parsing version segment: ${r.err.message}`);
  return r.value;
}

function compareSegment(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === "") return o !== "" ? -1 : 1;
  if (o === "") return 1;
  const on = parseUint(o, 10, 64);
  const sn = parseUint(s, 10, 64);
  if (on.err && sn.err) return s > o ? 1 : -1;
  if (on.err) return -1;
  if (sn.err) return 1;
  return sn.value > on.value ? 1 : -1;
}

function comparePrerelease(a: string, b: string): number {
  const ap = a.split(".");
  const bp = b.split(".");
  for (let i = 0; i < Math.max(ap.length, bp.length); i++) {
    const d = comparePrePart(ap[i] ?? "", bp[i] ?? "");
    if (d !== 0) return d;
  }
  return 0;
}

function asVersion(v: unknown): Version {
  if (v instanceof Version) return v;
  throw new Error(`wrong type for value; expected *semver.Version; got ${goTypeName(v)}`);
}

/** A `*semver.Version`; its methods are callable from templates, e.g. `(semver "1.2.3").Major`. */
export class Version {
  #major: bigint;
  #minor: bigint;
  #patch: bigint;
  #pre: string;
  #metadata: string;
  #original: string;

  private constructor(major: bigint, minor: bigint, patch: bigint, pre: string, metadata: string, original: string) {
    this.#major = major;
    this.#minor = minor;
    this.#patch = patch;
    this.#pre = pre;
    this.#metadata = metadata;
    this.#original = original;
  }

  /**
   * semver's `NewVersion`: a SemVer-ish string with optional "v", minor and patch.
   *
   * @example
   * ```ts
   * Version.parse("v1.2-beta.1").String(); // "1.2.0-beta.1"
   * ```
   */
  static parse(v: string): Version {
    const m = VERSION.exec(v);
    if (!m) throw new Error("Invalid Semantic Version");
    const pre = m[5] ?? "";
    const metadata = m[8] ?? "";
    const version = new Version(
      segment(m[1]),
      m[2] ? segment(m[2].slice(1)) : 0n,
      m[3] ? segment(m[3].slice(1)) : 0n,
      pre,
      metadata,
      v,
    );
    if (pre !== "") validatePrerelease(pre);
    if (metadata !== "") validateMetadata(metadata);
    return version;
  }

  Major(): bigint {
    return this.#major;
  }

  Minor(): bigint {
    return this.#minor;
  }

  Patch(): bigint {
    return this.#patch;
  }

  Prerelease(): string {
    return this.#pre;
  }

  Metadata(): string {
    return this.#metadata;
  }

  Original(): string {
    return this.#original;
  }

  String(): string {
    let out = `${this.#major}.${this.#minor}.${this.#patch}`;
    if (this.#pre !== "") out += "-" + this.#pre;
    if (this.#metadata !== "") out += "+" + this.#metadata;
    return out;
  }

  /** -1, 0 or 1 by precedence; metadata is ignored and a prerelease sorts before its release. */
  Compare(other: unknown): bigint {
    const o = asVersion(other);
    const d = compareSegment(this.#major, o.#major) || compareSegment(this.#minor, o.#minor) ||
      compareSegment(this.#patch, o.#patch);
    if (d !== 0) return BigInt(d);
    if (this.#pre === "" && o.#pre === "") return 0n;
    if (this.#pre === "") return 1n;
    if (o.#pre === "") return -1n;
    return BigInt(comparePrerelease(this.#pre, o.#pre));
  }

  LessThan(o: unknown): boolean {
    return this.Compare(o) < 0n;
  }

  LessThanEqual(o: unknown): boolean {
    return this.Compare(o) <= 0n;
  }

  GreaterThan(o: unknown): boolean {
    return this.Compare(o) > 0n;
  }

  GreaterThanEqual(o: unknown): boolean {
    return this.Compare(o) >= 0n;
  }

  Equal(o: unknown): boolean {
    return this.Compare(o) === 0n;
  }

  #next(major: bigint, minor: bigint, patch: bigint): Version {
    const v = new Version(major, minor, patch, "", "", "");
    v.#original = (this.#original.startsWith("v") ? "v" : "") + v.String();
    return v;
  }

  /** The next patch release (the release itself for a prerelease). */
  IncPatch(): Version {
    return this.#next(this.#major, this.#minor, this.#pre !== "" ? this.#patch : this.#patch + 1n);
  }

  IncMinor(): Version {
    return this.#next(this.#major, this.#minor + 1n, 0n);
  }

  IncMajor(): Version {
    return this.#next(this.#major + 1n, 0n, 0n);
  }

  MarshalJSON(): string {
    return JSON.stringify(this.String());
  }
}

// Go's `\s` is ASCII whitespace only.
const S = "[\\t\\n\\f\\r ]";
const OPS = "=||!=|>|<|>=|=>|<=|=<|~|~>|\\^";
const CV = String.raw`v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?` +
  String.raw`(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?` +
  String.raw`(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const CONSTRAINT = new RegExp(`^${S}*(${OPS})${S}*(${CV})${S}*$`);
const RANGE = new RegExp(`${S}*(${CV})${S}+-${S}+(${CV})${S}*`, "g");
const FIND = new RegExp(`(${OPS})${S}*(${CV})`, "g");
const VALID = new RegExp(`^(${S}*(${OPS})${S}*(${CV})${S}*)((?:${S}+|,${S}*)(${OPS})${S}*(${CV})${S}*)*$`);

/** One parsed constraint: an operator and the (possibly wildcarded) version it compares with. */
export interface Constraint {
  con: Version;
  orig: string;
  op: string;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

const isX = (s: string | undefined) => s === "x" || s === "X" || s === "*";

function parseConstraint(c: string): Constraint {
  if (c === "") {
    return { con: Version.parse("0.0.0"), orig: c, op: "", dirty: true, minorDirty: false, patchDirty: false };
  }
  const m = CONSTRAINT.exec(c);
  if (!m) throw new Error(`improper constraint: ${c}`);
  const pre = m[6] ?? "";
  let ver = m[2];
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(m[3]) || !m[3]) {
    ver = `0.0.0${pre}`;
    dirty = true;
  } else if (isX(m[4]?.slice(1)) || !m[4]) {
    minorDirty = dirty = true;
    ver = `${m[3]}.0.0${pre}`;
  } else if (isX(m[5]?.slice(1)) || !m[5]) {
    patchDirty = dirty = true;
    ver = `${m[3]}${m[4]}.0${pre}`;
  }
  let con: Version;
  try {
    con = Version.parse(ver);
  } catch {
    throw new Error("constraint Parser Error");
  }
  return { con, orig: m[2], op: m[1], dirty, minorDirty, patchDirty };
}

/** The constraint check functions; a prerelease version only passes constraints that name a prerelease. */
function check(v: Version, c: Constraint): boolean {
  const con = c.con;
  if (v.Prerelease() !== "" && con.Prerelease() === "") return false;
  switch (c.op) {
    case "":
    case "=":
      return c.dirty ? tilde(v, c) : v.Equal(con);
    case "!=":
      if (c.dirty) {
        if (con.Major() !== v.Major()) return true;
        if (con.Minor() !== v.Minor() && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (con.Patch() !== v.Patch() && !c.patchDirty) return true;
        if (c.patchDirty) {
          if (v.Prerelease() !== "" || con.Prerelease() !== "") {
            return comparePrerelease(v.Prerelease(), con.Prerelease()) !== 0;
          }
          return false;
        }
      }
      return !v.Equal(con);
    case ">":
      if (!c.dirty) return v.Compare(con) === 1n;
      if (v.Major() > con.Major()) return true;
      if (v.Major() < con.Major() || c.minorDirty) return false;
      if (c.patchDirty) return v.Minor() > con.Minor();
      return v.Compare(con) === 1n;
    case "<":
      return v.Compare(con) < 0n;
    case ">=":
    case "=>":
      return v.Compare(con) >= 0n;
    case "<=":
    case "=<":
      if (!c.dirty) return v.Compare(con) <= 0n;
      if (v.Major() > con.Major()) return false;
      return !(v.Major() === con.Major() && v.Minor() > con.Minor() && !c.minorDirty);
    case "~":
    case "~>":
      return tilde(v, c);
    case "^":
      return caret(v, c);
  }
  return false;
}

function tilde(v: Version, c: Constraint): boolean {
  const con = c.con;
  if (v.LessThan(con)) return false;
  if (con.Major() === 0n && con.Minor() === 0n && con.Patch() === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.Major() !== con.Major()) return false;
  return !(v.Minor() !== con.Minor() && !c.minorDirty);
}

function caret(v: Version, c: Constraint): boolean {
  const con = c.con;
  if (v.LessThan(con)) return false;
  if (con.Major() > 0n || c.minorDirty) return v.Major() === con.Major();
  if (v.Major() > 0n) return false;
  if (con.Minor() > 0n || c.patchDirty) return v.Minor() === con.Minor();
  if (v.Minor() > 0n) return false;
  return con.Patch() === v.Patch();
}

/** semver's `rewriteRange`: "1.2 - 1.4.5" becomes ">= 1.2, <= 1.4.5". */
function rewriteRange(s: string): string {
  let out = s;
  for (const m of s.matchAll(RANGE)) out = out.replace(m[0], `>= ${m[1]}, <= ${m[11]} `);
  return out;
}

/**
 * semver's `NewConstraint`: the constraint string as OR groups of AND-ed constraints; throws
 * "improper constraint: …".
 *
 * @example
 * ```ts
 * const c = parseConstraints(">= 1.2, < 3.0.0 || >= 4.2.3");
 * checkConstraints(c, Version.parse("2.5.0")); // true
 * ```
 */
export function parseConstraints(constraint: string): Constraint[][] {
  return rewriteRange(constraint).split("||").map((part) => {
    if (!VALID.test(part)) throw new Error(`improper constraint: ${part}`);
    const found = [...part.matchAll(FIND)].map((m) => m[0]);
    return (found.length > 0 ? found : [part]).map(parseConstraint);
  });
}

/**
 * semver's `Constraints.Check`: whether every constraint of some OR group holds for the version.
 *
 * @example
 * ```ts
 * checkConstraints(parseConstraints("^1.2.0"), Version.parse("1.3.0-beta")); // false: a prerelease
 * ```
 */
export function checkConstraints(groups: Constraint[][], v: Version): boolean {
  return groups.some((and) => and.every((c) => check(v, c)));
}

/** Sprig's semver functions by their template names. */
export const semverFunctions: Record<string, GoFunc> = {
  semver: fn((v) => Version.parse(v as string), ["string"]),
  semverCompare: fn((c, v) => {
    const constraints = parseConstraints(c as string);
    return checkConstraints(constraints, Version.parse(v as string));
  }, ["string", "string"]),
};
