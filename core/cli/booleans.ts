/**
 * Go's boolean flag syntax on top of commander's: K3s (Go's flag package) accepts `--flag`,
 * `--flag=true` and `--flag=false`, and its config file always writes `--flag=<value>`; a boolean's
 * environment variable is parsed too (`K3S_DEBUG=false` is false). commander's boolean options take
 * no value, so `--flag=<value>` is rewritten to `--flag` or `--no-flag` before parsing, and the
 * variables are read after it.
 *
 * @module
 */
import type { Command } from "commander";
import process from "node:process";
import { CliError } from "./errors.ts";
import type { FlagSpec } from "./flag.ts";
import { parseBool } from "./flags/values.ts";

/**
 * `args` with every `--flag=<value>` of a boolean flag rewritten to `--flag` or `--no-flag`.
 * Throws a CliError naming the flag when the value is not one of Go's booleans.
 *
 * @example
 * ```ts
 * booleanArgs(["--debug=false", "--data-dir=/x"], SERVER_FLAGS); // ["--no-debug", "--data-dir=/x"]
 * ```
 */
export function booleanArgs(args: readonly string[], flags: readonly FlagSpec[]): string[] {
  const booleans = new Set(flags.filter((f) => f.type === "bool").map((f) => f.name));
  const end = args.indexOf("--");
  return args.map((arg, i) => {
    const match = /^--([^=]+)=(.*)$/s.exec(arg);
    if (!match || !booleans.has(match[1]) || (end >= 0 && i > end)) return arg;
    const value = parseBool(match[2]);
    if (value === undefined) {
      throw new CliError(`invalid boolean value "${match[2]}" for --${match[1]}: use true or false`);
    }
    return value ? `--${match[1]}` : `--no-${match[1]}`;
  });
}

/**
 * Set each boolean flag the arguments left unset from its environment variable, if that is set.
 *
 * @example
 * ```ts
 * applyBooleanEnv(command, SERVER_FLAGS); // K3S_DEBUG=1 turns --debug on
 * ```
 */
export function applyBooleanEnv(command: Command, flags: readonly FlagSpec[]): void {
  for (const spec of flags) {
    const text = spec.type === "bool" && spec.env ? process.env[spec.env] : undefined;
    if (!text) continue;
    const option = command.options.find((o) => o.long === `--${spec.name}`);
    if (!option || !["default", undefined].includes(command.getOptionValueSource(option.attributeName()))) continue;
    const value = parseBool(text);
    if (value === undefined) throw new CliError(`invalid boolean value "${text}" for ${spec.env}: use true or false`);
    command.setOptionValueWithSource(option.attributeName(), value, "env");
  }
}
