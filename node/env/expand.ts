/**
 * The kubelet's `$(VAR)` expansion (k8s.io/kubernetes third_party/forked/golang/expansion): `$(NAME)` becomes the
 * variable's value when it is defined and stays as written otherwise, `$$` is an escaped `$`.
 *
 * @module
 */

/**
 * Expand `$(VAR)` references in `input` with `lookup`.
 *
 * @example
 * ```ts
 * expand("$(HOST):$(PORT) $$(PORT) $(MISSING)", (name) => ({ HOST: "db", PORT: "5432" })[name]);
 * // "db:5432 $(PORT) $(MISSING)"
 * ```
 */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = "";
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (ch !== "$" || i + 1 >= input.length) {
      out += ch;
      i++;
      continue;
    }
    const next = input[i + 1];
    if (next === "$") {
      out += "$";
      i += 2;
    } else if (next === "(") {
      const end = input.indexOf(")", i + 2);
      if (end < 0) {
        // An unterminated reference is kept as written, and scanning goes on after its `$(`.
        out += "$(";
        i += 2;
        continue;
      }
      const name = input.slice(i + 2, end);
      const value = name ? lookup(name) : undefined;
      out += value ?? `$(${name})`;
      i = end + 1;
    } else {
      out += ch + next;
      i += 2;
    }
  }
  return out;
}
