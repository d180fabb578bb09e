/**
 * `--disable`: the packaged components K3s 1.32 lets a server leave out (its `DisableItems`), and the check that
 * refuses any other name before the server starts.
 *
 * @module
 */
import { DISABLE_ITEMS } from "../../core/cli/flags/server.ts";

/**
 * The components `--disable` accepts.
 *
 * @example
 * ```ts
 * PACKAGED_COMPONENTS.includes("traefik"); // true
 * ```
 */
export const PACKAGED_COMPONENTS: readonly string[] = DISABLE_ITEMS;

/**
 * Throw for a name `--disable` does not know, listing the valid ones.
 *
 * @example
 * ```ts
 * validateDisable(["traefik", "servicelb"]); // fine
 * validateDisable(["trafik"]); // throws: invalid value "trafik" for --disable (valid items: coredns, servicelb, …)
 * ```
 */
export function validateDisable(names: Iterable<string>): void {
  for (const name of names) {
    if (!PACKAGED_COMPONENTS.includes(name)) {
      throw new Error(`invalid value "${name}" for --disable (valid items: ${PACKAGED_COMPONENTS.join(", ")})`);
    }
  }
}
