/**
 * Runs one build tool (deno, npm, tar, a C compiler, strip, node) and fails the build with what it printed.
 *
 * @module
 */

/**
 * Runs `command` with `args`; resolves to its standard output, or throws with its output when it fails.
 *
 * ```ts
 * const commit = (await run("git", ["rev-parse", "--short=8", "HEAD"], { cwd: root })).trim();
 * ```
 */
export async function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<string> {
  const { code, stdout, stderr } = await new Deno.Command(command, { args, ...options }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  if (code !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (exit ${code}):\n${text(stderr)}${text(stdout)}`);
  }
  return text(stdout);
}
