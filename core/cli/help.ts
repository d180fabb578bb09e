/**
 * `--help` in K3s's (urfave/cli's) layout: NAME, USAGE, COMMANDS and OPTIONS sections, each flag as
 * `--name value, -n value  (category) usage (default: x) [$ENV_VAR]`.
 *
 * @module
 */
import type { Command, Help, Option } from "commander";
import { K3S_VERSION } from "../version.ts";
import { type FlagSpec, specOf } from "./flag.ts";

/**
 * How help names a flag: every spelling, long first, each followed by its value word.
 *
 * @example
 * ```ts
 * flagTerm({ name: "config", short: "c", placeholder: "FILE", type: "string", usage: "", implemented: true });
 * // "--config FILE, -c FILE"
 * ```
 */
export function flagTerm(spec: FlagSpec): string {
  const value = spec.type === "bool" ? "" : ` ${spec.placeholder ?? "value"}`;
  const names = spec.name.length === 1
    ? [`-${spec.name}`]
    : [`--${spec.name}`, ...(spec.short ? [`-${spec.short}`] : [])];
  return names.map((name) => `${name}${value}`).join(", ");
}

function defaultOf(spec: FlagSpec): string | undefined {
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (spec.default === undefined || spec.default === false || spec.default === "") return undefined;
  return typeof spec.default === "string" ? JSON.stringify(spec.default) : String(spec.default);
}

/**
 * How help describes a flag: its usage, default and environment variable.
 *
 * @example
 * ```ts
 * flagDescription({ name: "token", type: "string", usage: "(cluster) Shared secret", env: "K3S_TOKEN", implemented: false });
 * // "(cluster) Shared secret [$K3S_TOKEN]"
 * ```
 */
export function flagDescription(spec: FlagSpec): string {
  const fallback = defaultOf(spec);
  return [spec.usage, fallback !== undefined ? `(default: ${fallback})` : "", spec.env ? `[$${spec.env}]` : ""]
    .filter(Boolean).join(" ");
}

function optionRow(option: Option): [string, string] {
  const spec = specOf(option);
  if (spec) return [flagTerm(spec), flagDescription(spec)];
  const value = option.required || option.optional ? " value" : "";
  const names = [option.long, option.short].filter((name): name is string => Boolean(name));
  return [names.map((name) => `${name}${value}`).join(", "), option.description];
}

function table(rows: [string, string][]): string[] {
  const width = Math.max(0, ...rows.map(([term]) => term.length));
  return rows.map(([term, text]) => `   ${term.padEnd(width)}  ${text}`.trimEnd());
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/**
 * The whole help text of a command, K3s-style; install it with
 * `command.configureHelp({ formatHelp: k3sHelp })`.
 *
 * @example
 * ```ts
 * console.log(k3sHelp(program.commands[0], new Help()));
 * ```
 */
export function k3sHelp(command: Command, helper: Help): string {
  const path = commandPath(command);
  const about = command.summary() || command.description();
  const lines = ["NAME:", `   ${path}${about ? ` - ${about}` : ""}`, "", "USAGE:"];
  const commands = helper.visibleCommands(command);
  if (!command.parent) {
    lines.push(
      `   ${path} [global options] command [command options] [arguments...]`,
      "",
      "VERSION:",
      `   ${K3S_VERSION}`,
    );
  } else {
    lines.push(
      `   ${path} ${
        commands.length > 0 ? "command [command options]" : command.usage().replace("[options]", "[OPTIONS]")
      }`,
    );
  }
  if (commands.length > 0) {
    lines.push("", "COMMANDS:");
    lines.push(...table(commands.map((c) => [[c.name(), ...c.aliases()].join(", "), c.summary() || c.description()])));
  }
  const options = helper.visibleOptions(command);
  if (options.length > 0) {
    lines.push("", command.parent ? "OPTIONS:" : "GLOBAL OPTIONS:", ...table(options.map(optionRow)));
  }
  return `${lines.join("\n")}\n`;
}
