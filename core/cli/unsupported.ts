/**
 * Subcommands K3s has that this distribution does not have yet: they answer with one line instead
 * of commander's "unknown command", so a K3s user knows the command is planned, not misspelled.
 *
 * @module
 */
import { Command } from "commander";
import { CliError } from "./errors.ts";

/**
 * A placeholder for the K3s subcommand `name`; running it fails with `not supported yet: k3s <name>`.
 *
 * @example
 * ```ts
 * program.addCommand(unsupportedCommand("ctr", "Run ctr"));
 * ```
 */
export function unsupportedCommand(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new CliError(`not supported yet: k3s ${name}`);
    });
}
