/**
 * `k3s certificate check|rotate`: K3s's commands over the files in `<data-dir>` (no server needed). Without
 * `--service`, a server's data dir covers every server and agent service, an agent's only the agent's.
 *
 * @module
 */
import { Command, Option } from "commander";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createLogger } from "../cli/log.ts";
import { defaultDataDir } from "../server/paths.ts";
import { checkCertificates, checkJson, checkTable, checkText, checkYaml } from "./check.ts";
import { rotateCertificates } from "./rotate.ts";
import { AGENT_SERVICES, ALL_SERVICES, isValidService } from "./services.ts";

/** Where output goes: `out` for results and info lines, `err` for warnings and errors. */
export interface CertificateCommandIO {
  out?: (line: string) => void;
  err?: (line: string) => void;
}

const FORMATS = ["text", "table", "json", "yaml"];

/**
 * The `certificate` command tree.
 *
 * @example
 * ```ts
 * program.addCommand(certificateCommand());
 * // k3s certificate check --output table
 * ```
 */
export function certificateCommand(io: CertificateCommandIO = {}): Command {
  const log = createLogger({ out: io.out, err: io.err });
  const print = io.out ?? ((line: string) => console.log(line));
  // Like K3s's log lines, these go to stderr, so `-o json|yaml|table` output stays clean on stdout.
  const note = io.err ?? ((line: string) => console.error(line));
  const root = new Command("certificate").description("Manage K3s certificates");

  withFlags(root.command("check").description("Check k3s component certificates on disk"))
    .addOption(new Option("-o, --output <format>", "Format output. Options: text, table, json, yaml").default("text"))
    .action(async function (this: Command, options) {
      await run(this, async () => {
        if (!FORMATS.includes(options.output)) throw new Error(`invalid output format ${options.output}`);
        const services = servicesFor(options, note, "checking");
        const rows = await checkCertificates(options.dataDir, services);
        if (options.output === "table") print(checkTable(rows).replace(/\n$/, ""));
        else if (options.output === "json") print(checkJson(rows).replace(/\n$/, ""));
        else if (options.output === "yaml") print(checkYaml(rows).replace(/\n$/, ""));
        else for (const line of checkText(rows)) log[line.level](line.message);
      });
    });

  withFlags(root.command("rotate").description("Rotate k3s component certificates on disk"))
    .action(async function (this: Command, options) {
      await run(this, async () => {
        const services = servicesFor(options, note, "rotating");
        const result = await rotateCertificates(options.dataDir, services);
        if (result.dynamicListener) log.info("Rotating dynamic listener certificate");
        for (const service of result.services) log.info(`Rotating certificates for ${service}`);
        log.info(
          `Successfully backed up certificates to ${result.backup}, please restart k3s server or agent to rotate certificates`,
        );
      });
    });
  return root;
}

function withFlags(command: Command): Command {
  return command
    .addOption(
      new Option("-d, --data-dir <dir>", "(data) Folder to hold state").env("K3S_DATA_DIR").default(defaultDataDir()),
    )
    .addOption(
      new Option(
        "-s, --service <name>",
        `List of services to manage certificates for. Options include (${ALL_SERVICES.join(", ")})`,
      ).argParser((value: string, previous: string[] = []) => [...previous, ...value.split(",").filter(Boolean)]),
    );
}

/** The services asked for, or the defaults for the kind of data dir (logged as K3s logs it). */
function servicesFor(
  options: { dataDir: string; service?: string[] },
  note: (line: string) => void,
  verb: string,
): readonly string[] {
  const asked = options.service ?? [];
  for (const service of asked) if (!isValidService(service)) throw new Error(`service ${service} is not recognized`);
  if (asked.length) return asked;
  if (existsSync(join(options.dataDir, "server"))) {
    note(`Server detected, ${verb} agent and server certificates`);
    return ALL_SERVICES;
  }
  note(`Agent detected, ${verb} agent certificates`);
  return AGENT_SERVICES;
}

/** Run; a failure ends the command with a one-line message (exit code 1). */
async function run(command: Command, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    command.error(`k3s: ${error instanceof Error ? error.message : String(error)}`);
  }
}
