/**
 * A set of field paths (structured-merge-diff's `fieldpath.Set`) as a trie: at each level, the path elements that end
 * a member path, and the sub-sets below elements that continue. A path can be both a member and a prefix of others
 * (`metadata.labels` owned as a whole and each label owned too), which FieldsV1 writes as a `"."` entry.
 *
 * @module
 */
import { comparePathElements, type Path, type PathElement } from "./path.ts";

/**
 * A set of paths. The set operations leave their operands alone but may share parts with them: build a set with
 * `insert`, then combine it, never the other way round.
 *
 * @example
 * ```ts
 * const owned = new FieldSet();
 * owned.insert(["f:data", "f:owner"]);
 * owned.has(["f:data", "f:owner"]); // true
 * owned.has(["f:data"]); // false: only a prefix
 * ```
 */
export class FieldSet {
  #members: Set<PathElement> | undefined;
  #children: Map<PathElement, FieldSet> | undefined;

  /** Elements that end a member path at this level. */
  get members(): ReadonlySet<PathElement> {
    return this.#members ?? EMPTY_MEMBERS;
  }

  /** Sub-sets below elements at this level. */
  get children(): ReadonlyMap<PathElement, FieldSet> {
    return this.#children ?? EMPTY_CHILDREN;
  }

  /** True when the set holds no path. */
  get empty(): boolean {
    return !this.#members?.size && !this.#children?.size;
  }

  /** Add `path`; the empty path (the whole object) is never tracked. */
  insert(path: Path): void {
    if (path.length === 0) return;
    let node = path.length > 1 ? this.descend(path[0]) : undefined;
    for (let i = 1; i < path.length - 1; i++) node = node!.descend(path[i]);
    (node ?? this).addMember(path[path.length - 1]);
  }

  /** Make `element` a member at this level. */
  addMember(element: PathElement): void {
    (this.#members ??= new Set()).add(element);
  }

  /** The sub-set below `element`, created when missing. */
  descend(element: PathElement): FieldSet {
    const children = this.#children ??= new Map();
    let child = children.get(element);
    if (!child) {
      child = new FieldSet();
      children.set(element, child);
    }
    return child;
  }

  /** Put `below` under `element`, replacing what was there (decoders build sets bottom-up). */
  adopt(element: PathElement, below: FieldSet): void {
    if (below.empty) this.#children?.delete(element);
    else (this.#children ??= new Map()).set(element, below);
  }

  /** Whether `path` is a member. */
  has(path: Path): boolean {
    if (path.length === 0) return false;
    let node = path.length > 1 ? this.#children?.get(path[0]) : undefined;
    for (let i = 1; i < path.length - 1 && node; i++) node = node.#children?.get(path[i]);
    const last = path.length > 1 ? node : this;
    return last !== undefined && last.members.has(path[path.length - 1]);
  }

  /**
   * Paths in this set or in `other` — one of them when it holds the other (unchanged sets keep their identity, and
   * with it the stored FieldsV1 document they were decoded from).
   */
  union(other: FieldSet): FieldSet {
    if (other.empty || other.#within(this)) return this;
    if (this.empty || this.#within(other)) return other;
    const out = new FieldSet();
    if (this.#members?.size || other.#members?.size) {
      out.#members = new Set([...this.members, ...other.members]);
    }
    const children = new Map(this.#children);
    for (const [element, child] of other.children) {
      const mine = children.get(element);
      children.set(element, mine ? mine.union(child) : child);
    }
    if (children.size) out.#children = children;
    return out;
  }

  /**
   * Paths in this set that are not in `other` (paths below them stay unless `other` holds them too); this set itself
   * when `other` takes nothing from it.
   */
  difference(other: FieldSet): FieldSet {
    if (other.empty || this.empty) return this;
    const out = new FieldSet();
    let unchanged = true;
    for (const element of this.members) {
      if (!other.members.has(element)) out.addMember(element);
      else unchanged = false;
    }
    for (const [element, child] of this.children) {
      const theirs = other.#children?.get(element);
      const rest = theirs ? child.difference(theirs) : child;
      if (rest !== child) unchanged = false;
      if (!rest.empty) (out.#children ??= new Map()).set(element, rest);
    }
    return unchanged ? this : out;
  }

  /** Whether every path of this set is in `other`. */
  #within(other: FieldSet): boolean {
    for (const element of this.members) if (!other.members.has(element)) return false;
    for (const [element, child] of this.children) {
      const theirs = other.#children?.get(element);
      if (!theirs || !child.#within(theirs)) return false;
    }
    return true;
  }

  /** Paths in both sets. */
  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    if (this.empty || other.empty) return out;
    for (const element of this.members) if (other.members.has(element)) out.addMember(element);
    for (const [element, child] of this.children) {
      const theirs = other.#children?.get(element);
      if (!theirs) continue;
      const both = child.intersection(theirs);
      if (!both.empty) (out.#children ??= new Map()).set(element, both);
    }
    return out;
  }

  /** Every member path, in structured-merge-diff's order. */
  paths(): PathElement[][] {
    const out: PathElement[][] = [];
    const walk = (set: FieldSet, prefix: PathElement[]) => {
      const elements = [...new Set([...set.members, ...set.children.keys()])].sort(comparePathElements);
      for (const element of elements) {
        if (set.members.has(element)) out.push([...prefix, element]);
        const child = set.children.get(element);
        if (child) walk(child, [...prefix, element]);
      }
    };
    walk(this, []);
    return out;
  }
}

const EMPTY_MEMBERS: ReadonlySet<PathElement> = new Set();
const EMPTY_CHILDREN: ReadonlyMap<PathElement, FieldSet> = new Map();
