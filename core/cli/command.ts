/**
 * A K3s daemon command (`server`, `agent`) built from a flag table: it reads the config file into
 * its arguments before parsing them (as K3s's `configfilearg` does), refuses flags that are set but
 * not implemented yet, and prints K3s-style help.
 *
 * @module
 */
import { Command, type ParseOptionsResult } from "commander";
import { applyBooleanEnv, booleanArgs } from "./booleans.ts";
import { withConfigFileArgs } from "./config_file.ts";
import { type FlagSpec, refuseUnsupportedFlags, toOptions } from "./flag.ts";
import { k3sHelp } from "./help.ts";

function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).some((arg) => arg === "--help" || arg === "-h");
}

/**
 * A subcommand whose options are a K3s flag table.
 *
 * @example
 * ```ts
 * const server = new FlagCommand("server", "Run management server", SERVER_FLAGS)
 *   .action((options) => run(options));
 * ```
 */
export class FlagCommand extends Command {
  /** The flag table this command was built from. */
  readonly flags: readonly FlagSpec[];
  /** The config files the last parse read, in the order they were applied. */
  configFiles: string[] = [];

  constructor(name: string, description: string, flags: readonly FlagSpec[]) {
    super(name);
    this.flags = flags;
    this.description(description)
      .usage("[OPTIONS]")
      .helpOption("-h, --help", "show help")
      .configureHelp({ formatHelp: k3sHelp })
      .showHelpAfterError(`Run 'k3s ${name} --help' for usage.`)
      .hook("preAction", () => refuseUnsupportedFlags(this, flags));
    for (const spec of flags) for (const option of toOptions(spec)) this.addOption(option);
  }

  /** Put the config file's settings in front of the command line (unless only help is wanted), then parse. */
  override parseOptions(args: string[]): ParseOptionsResult {
    if (asksForHelp(args)) return super.parseOptions(args);
    const merged = withConfigFileArgs(args, { command: this.name(), flags: this.flags });
    this.configFiles = merged.files;
    const parsed = super.parseOptions(booleanArgs(merged.args, this.flags));
    applyBooleanEnv(this, this.flags);
    return parsed;
  }
}
