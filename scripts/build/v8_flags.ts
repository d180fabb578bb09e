/**
 * V8 flags both binaries start with. The young generation's semi-spaces default to 16 MiB each once V8
 * has grown them, and an idle server keeps them: capping them at 4 MiB takes `k3s server`'s idle RSS
 * from ~168 MB to ~135 MB (under K3s-in-TypeScript's 150 MB target) at the price of more frequent,
 * smaller scavenges under load.
 *
 * @module
 */

/**
 * The flags, in V8's command-line form.
 *
 * ```ts
 * ["compile", `--v8-flags=${V8_FLAGS.join(",")}`]; // deno compile
 * ```
 */
export const V8_FLAGS: readonly string[] = ["--max-semi-space-size=4"];
