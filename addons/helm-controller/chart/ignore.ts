/**
 * `.helmignore`, Helm's ignore rules: one shell glob per line (Go's `filepath.Match`), `#` comments, a leading
 * `/` anchors at the chart root, a trailing `/` matches only directories, a pattern without `/` matches base
 * names, `**` is refused. `templates/.?*` is always ignored. Helm's negation (`!p`) ignores every path that
 * does *not* match `p` — odd, but it is what Helm does.
 *
 * @module
 */

interface Pattern {
  raw: string;
  negate: boolean;
  mustDir: boolean;
  match: (path: string) => boolean;
}

/**
 * A set of ignore rules.
 *
 * @example
 * ```ts
 * const rules = IgnoreRules.parse("*.md\n/ci/\n");
 * rules.ignore("README.md", false); // true
 * rules.ignore("templates/.hidden", false); // true (Helm's default rule)
 * ```
 */
export class IgnoreRules {
  readonly #patterns: Pattern[] = [];

  /** Parses `.helmignore` text and adds Helm's default rule; throws on `**` or a malformed glob. */
  static parse(text: string): IgnoreRules {
    const rules = new IgnoreRules();
    for (const line of text.replace(/^\ufeff/, "").split(/\r?\n/)) rules.#add(line);
    rules.#add("templates/.?*");
    return rules;
  }

  /** Whether the chart-relative `path` (a directory when `isDir`) is left out of the chart. */
  ignore(path: string, isDir: boolean): boolean {
    if (path === "" || path === "." || path === "./") return false;
    for (const p of this.#patterns) {
      if (p.negate) {
        if (p.mustDir && !isDir) return true;
        if (!p.match(path)) return true;
        continue;
      }
      if (p.mustDir && !isDir) continue;
      if (p.match(path)) return true;
    }
    return false;
  }

  #add(line: string): void {
    let rule = line.trim();
    if (rule === "" || rule.startsWith("#")) return;
    if (rule.includes("**")) throw new Error("double-star (**) syntax is not supported");
    globMatch(rule, "abc");
    const p: Pattern = { raw: rule, negate: false, mustDir: false, match: () => false };
    if (rule.startsWith("!")) {
      p.negate = true;
      rule = rule.slice(1);
    }
    if (rule.endsWith("/")) {
      p.mustDir = true;
      rule = rule.slice(0, -1);
    }
    if (rule.startsWith("/")) {
      const anchored = rule.slice(1);
      p.match = (n) => globMatch(anchored, n);
    } else if (rule.includes("/")) {
      p.match = (n) => globMatch(rule, n);
    } else {
      p.match = (n) => globMatch(rule, n.slice(n.lastIndexOf("/") + 1));
    }
    this.#patterns.push(p);
  }
}

/**
 * Go's `filepath.Match` (on `/`-separated paths): `*` and `?` never cross `/`, `[...]` classes with ranges and
 * `^`/`!` negation, `\` escapes. Throws `syntax error in pattern` for a malformed pattern.
 *
 * @example
 * ```ts
 * globMatch("*.yaml", "cm.yaml"); // true
 * globMatch("a/*", "a/b/c"); // false
 * ```
 */
export function globMatch(pattern: string, name: string): boolean {
  const p = Array.from(pattern);
  const s = Array.from(name);
  const bad = () => {
    throw new Error("syntax error in pattern");
  };
  const matchAt = (pi: number, si: number): boolean => {
    while (pi < p.length) {
      const c = p[pi];
      if (c === "*") {
        while (p[pi] === "*") pi++;
        for (let k = si; k <= s.length; k++) {
          if (matchAt(pi, k)) return true;
          if (k < s.length && s[k] === "/") break;
        }
        return false;
      }
      if (si >= s.length) return false;
      if (c === "?") {
        if (s[si] === "/") return false;
      } else if (c === "[") {
        const [ok, next] = matchClass(p, pi + 1, s[si], bad);
        if (!ok) return false;
        pi = next;
        si++;
        continue;
      } else if (c === "\\") {
        pi++;
        if (pi >= p.length) bad();
        if (p[pi] !== s[si]) return false;
      } else if (c !== s[si]) {
        return false;
      }
      pi++;
      si++;
    }
    return si === s.length;
  };
  validate(p, bad);
  return matchAt(0, 0);
}

/** Matches one character against the class starting after `[`; returns whether it matched and the index after `]`. */
function matchClass(p: string[], i: number, ch: string, bad: () => never): [boolean, number] {
  let negated = false;
  if (p[i] === "^" || p[i] === "!") {
    negated = true;
    i++;
  }
  let matched = false;
  let first = true;
  while (first || p[i] !== "]") {
    first = false;
    if (i >= p.length) bad();
    let lo = p[i];
    if (lo === "\\") lo = p[++i] ?? bad();
    else if (lo === "-" || lo === "]") bad();
    i++;
    let hi = lo;
    if (p[i] === "-") {
      hi = p[++i];
      if (hi === "\\") hi = p[++i] ?? bad();
      else if (hi === undefined || hi === "]" || hi === "-") bad();
      i++;
    }
    if (lo <= ch && ch <= hi) matched = true;
  }
  return [matched !== negated, i + 1];
}

/** Go checks a pattern's syntax as it matches; checking it once up front gives the same errors. */
function validate(p: string[], bad: () => never): void {
  for (let i = 0; i < p.length; i++) {
    if (p[i] === "\\") {
      if (++i >= p.length) bad();
    } else if (p[i] === "[") {
      i = matchClass(p, i + 1, "", bad)[1] - 1;
    }
  }
}
