/**
 * One K3s flag as a table row, and how a row becomes a commander Option: the same name, short
 * alias, environment variable, default and help text K3s's urfave/cli flag has, plus whether this
 * distribution implements it yet.
 *
 * @module
 */
import { type Command, Option } from "commander";
import process from "node:process";
import { CliError } from "./errors.ts";
import { parseDuration, parseInteger } from "./flags/values.ts";

/** A flag's kind, as urfave/cli types it. */
export type FlagType = "bool" | "string" | "int" | "duration" | "list";

/** One row of a flag table. */
export interface FlagSpec {
  /** The long name without dashes; also the config file key. */
  name: string;
  /** A one-letter alias (`-d`). */
  short?: string;
  /** Help text, with K3s's `(category)` prefix. */
  usage: string;
  /** The environment variable that sets it (`K3S_DATA_DIR`). */
  env?: string;
  /** `list` flags repeat; every other kind keeps the last value given. */
  type: FlagType;
  /** For a list: each value is itself a comma-separated list (`--disable traefik,servicelb`). */
  commaSeparated?: boolean;
  /** The value when the flag is not set. */
  default?: string | number | boolean;
  /** What help shows as the default when it is not the value itself. */
  defaultText?: string;
  /** The word help shows for the value (`FILE` in `--config FILE`); `value` otherwise. */
  placeholder?: string;
  /** Left out of help and completion, as K3s hides it. */
  hidden?: boolean;
  /** Whether setting it does anything yet; an unimplemented flag that is set stops the command. */
  implemented: boolean;
  /** Reads one value (validation beyond the type's own). */
  parse?: (value: string) => unknown;
}

const specs = new WeakMap<Option, FlagSpec>();

function collect(spec: FlagSpec): (value: string, previous: string[]) => string[] {
  return (value, previous) => [...previous, ...(spec.commaSeparated ? value.split(",").filter(Boolean) : [value])];
}

function parserOf(spec: FlagSpec): ((value: string, previous: unknown) => unknown) | undefined {
  if (spec.type === "list") return collect(spec) as (value: string, previous: unknown) => unknown;
  if (spec.parse) return spec.parse;
  if (spec.type === "int") return parseInteger;
  if (spec.type === "duration") return parseDuration;
  return undefined;
}

/**
 * The commander Options for a flag table row: the flag itself and, for a boolean, a hidden
 * `--no-<name>` that `--name=false` is rewritten to (see booleans.ts), since commander's boolean
 * options take no value.
 *
 * @example
 * ```ts
 * for (const option of toOptions(spec)) command.addOption(option);
 * ```
 */
export function toOptions(spec: FlagSpec): Option[] {
  const names = spec.name.length === 1 ? `-${spec.name}` : [spec.short && `-${spec.short}`, `--${spec.name}`]
    .filter(Boolean).join(", ");
  const option = new Option(spec.type === "bool" ? names : `${names} <value>`, spec.usage);
  specs.set(option, spec);
  if (spec.hidden) option.hideHelp();
  if (spec.type === "bool") {
    // The environment variable of a boolean is read by applyBooleanEnv: commander would take any value as true.
    return [option.default(spec.default ?? false), new Option(`--no-${spec.name}`).hideHelp()];
  }
  const parse = parserOf(spec);
  if (parse) option.argParser<unknown>(parse);
  if (spec.env) option.env(spec.env);
  if (spec.type === "list") option.default([]);
  else if (spec.default !== undefined) option.default(spec.default);
  return [option];
}

/**
 * The table row an Option was made from, if any (commander's own help and version options have none).
 *
 * @example
 * ```ts
 * const spec = specOf(command.options[0]);
 * ```
 */
export function specOf(option: Option): FlagSpec | undefined {
  return specs.get(option);
}

function optionNamed(command: Command, name: string): Option | undefined {
  return command.options.find((o) => o.long === `--${name}` || (name.length === 1 && o.short === `-${name}`));
}

/**
 * Where a flag's value came from: `cli` (the command line or a config file, both arrive as
 * arguments), `env`, `default`, or `undefined` when it has no value.
 *
 * @example
 * ```ts
 * flagSource(command, "data-dir"); // "env" when only K3S_DATA_DIR set it
 * ```
 */
export function flagSource(command: Command, name: string): string | undefined {
  const option = optionNamed(command, name);
  return option ? command.getOptionValueSource(option.attributeName()) : undefined;
}

/**
 * Whether the user set a flag: on the command line, in a config file or through a non-empty
 * environment variable. Defaults do not count.
 *
 * @example
 * ```ts
 * if (setByUser(command, "token")) readToken();
 * ```
 */
export function setByUser(command: Command, name: string): boolean {
  const option = optionNamed(command, name);
  if (!option) return false;
  const source = command.getOptionValueSource(option.attributeName());
  if (source === "cli") return true;
  return source === "env" && process.env[specOf(option)?.env ?? ""] !== "";
}

/**
 * Stop with `not supported yet: --flag` when the user set a flag this distribution does not
 * implement yet, so no setting is silently ignored.
 *
 * @example
 * ```ts
 * command.hook("preAction", (cmd) => refuseUnsupportedFlags(cmd, SERVER_FLAGS));
 * ```
 */
export function refuseUnsupportedFlags(command: Command, flags: readonly FlagSpec[]): void {
  for (const spec of flags) {
    if (!spec.implemented && setByUser(command, spec.name)) {
      throw new CliError(`not supported yet: ${spec.name.length > 1 ? "--" : "-"}${spec.name}`);
    }
  }
}
