/**
 * The one kind of error the `k3s` command reports as a single line (`k3s: <message>`, exit 1): a
 * mistake the user can fix from the message alone, so no stack trace.
 *
 * @module
 */

/**
 * A user-facing command-line error; cli.ts prints `k3s: <message>` and exits 1.
 *
 * @example
 * ```ts
 * throw new CliError("not supported yet: --cluster-init");
 * ```
 */
export class CliError extends Error {
  override name = "CliError";
}
