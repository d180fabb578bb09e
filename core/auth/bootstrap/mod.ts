/**
 * Bootstrap tokens: the `bootstrap.kubernetes.io/token` Secrets, their authenticator, the library
 * behind `k3s token`, and the command itself.
 *
 * @example
 * ```ts
 * import { bootstrapTokenAuthenticator, createToken, tokenCommand } from "./core/auth/bootstrap/mod.ts";
 * const token = await createToken(client, { ttl: 3_600_000 });
 * program.addCommand(tokenCommand());
 * ```
 *
 * @module
 */
export { bootstrapTokenAuthenticator } from "./authenticator.ts";
export { tokenCommand, tokenTable } from "./cli.ts";
export { parseGoDuration, shortHumanDuration } from "./duration.ts";
export * from "./token.ts";
export * from "./tokens.ts";
