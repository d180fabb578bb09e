/**
 * `k3s token create|list|delete|generate`: bootstrap tokens managed through the API with the admin
 * kubeconfig, as K3s's token subcommands do. `create` prints the full join token
 * `K10<CA hash>::<id>.<secret>` so an agent can check the CA it downloads.
 *
 * @module
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { ApiClient, type Client, httpsTransport, readKubeconfig } from "../../client/mod.ts";
import { defaultKubeconfigPath } from "../../kubeconfig/mod.ts";
import { tlsDir } from "../../pki/server.ts";
import { Registry } from "../../registry/registry.ts";
import { defaultDataDir } from "../../server/paths.ts";
import { hashCA } from "../server_token.ts";
import { parseGoDuration, shortHumanDuration } from "./duration.ts";
import { type BootstrapToken, generateToken } from "./token.ts";
import { createToken, DEFAULT_TTL_MS, deleteToken, listTokens } from "./tokens.ts";

/** Where the token commands reach the server. */
interface ConnectionOptions {
  dataDir: string;
  kubeconfig?: string;
}

/** An API client and the CA that vouches for the server. */
interface Connection {
  client: Client;
  caPem: string;
  close(): void;
}

/**
 * The `token` command tree; `print` receives each line of output (default: stdout).
 *
 * @example
 * ```ts
 * program.addCommand(tokenCommand());
 * // k3s token create --ttl 2h --description "worker-3"
 * ```
 */
export function tokenCommand(print: (line: string) => void = (line) => console.log(line)): Command {
  const token = new Command("token").description("Manage bootstrap tokens");

  withConnection(token.command("create").description("Create bootstrap tokens on the server"))
    .argument("[token]", "the token to create (<id>.<secret>); random when omitted")
    .option("--description <text>", "A human friendly description of how this token is used")
    .addOption(
      new Option("--groups <groups>", "Extra groups that this token will authenticate as when used for authentication")
        .argParser(collect),
    )
    .addOption(
      new Option(
        "--ttl <duration>",
        "The duration before the token is automatically deleted (e.g. 1s, 2m, 3h). If set to '0', the token will never expire",
      ).argParser(duration).default(DEFAULT_TTL_MS, "24h0m0s"),
    )
    .addOption(
      new Option("--usages <usages>", "Describes the ways in which this token can be used.").argParser(collect),
    )
    .action(async function (this: Command, value: string | undefined, options) {
      await run(this, options, async ({ client, caPem }) => {
        const created = await createToken(client, {
          token: value,
          ttl: options.ttl,
          description: options.description,
          usages: options.usages,
          groups: options.groups,
        });
        print(`K10${hashCA(caPem)}::${created.id}.${created.secret}`);
      });
    });

  withConnection(token.command("delete").description("Delete bootstrap tokens on the server"))
    .argument("<token...>", "token ids or whole tokens")
    .action(async function (this: Command, tokens: string[], options) {
      await run(this, options, async ({ client }) => {
        for (const t of tokens) print(`bootstrap token "${await deleteToken(client, t)}" deleted`);
      });
    });

  withConnection(
    token.command("generate").description(
      "Generate and print a bootstrap token, but do not create it on the server",
    ),
  ).action(() => print(generateToken()));

  withConnection(token.command("list").description("List bootstrap tokens on the server"))
    .addOption(new Option("-o, --output <format>", "Output format").choices(["text", "json", "yaml"]).default("text"))
    .action(async function (this: Command, options) {
      await run(this, options, async ({ client }) => {
        const tokens = await listTokens(client, (error) => print(error.message));
        if (options.output === "json") print(JSON.stringify(tokens.map(wireToken)));
        else if (options.output === "yaml") print(stringify(tokens.map(wireToken)).trimEnd());
        else for (const line of tokenTable(tokens, new Date())) print(line);
      });
    });

  return token;
}

function withConnection(command: Command): Command {
  return command
    .addOption(
      new Option("-d, --data-dir <dir>", "Folder to hold state").env("K3S_DATA_DIR").default(defaultDataDir()),
    )
    .addOption(new Option("--kubeconfig <file>", "(cluster) Server to connect to").env("KUBECONFIG"));
}

/** Connect, run, close; a failure ends the command with a one-line message and exit code 1. */
async function run(command: Command, options: ConnectionOptions, fn: (c: Connection) => Promise<void>) {
  let connection: Connection | undefined;
  try {
    connection = await connect(options);
    await fn(connection);
  } catch (error) {
    command.error(`k3s: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    connection?.close();
  }
}

/**
 * The admin kubeconfig (`--kubeconfig`, `$KUBECONFIG`, or K3s's default path); without one, the
 * admin certificate in `<data-dir>/server/tls` against the local server on K3s's default port.
 */
async function connect(options: ConnectionOptions): Promise<Connection> {
  const candidates = options.kubeconfig ? options.kubeconfig.split(":") : [defaultKubeconfigPath()];
  const path = candidates.find((p) => p && existsSync(p));
  let transportOptions;
  if (path) transportOptions = await readKubeconfig(path);
  else if (options.kubeconfig) throw new Error(`kubeconfig ${options.kubeconfig} does not exist`);
  else {
    const tls = tlsDir(options.dataDir);
    const read = (name: string) => readFileSync(join(tls, name), "utf8");
    if (!existsSync(join(tls, "client-admin.crt"))) {
      throw new Error(`no kubeconfig at ${candidates[0]} and no admin certificate in ${tls}: pass --kubeconfig`);
    }
    transportOptions = {
      server: "https://127.0.0.1:6443",
      caPem: read("server-ca.crt"),
      certPem: read("client-admin.crt"),
      keyPem: read("client-admin.key"),
    };
  }
  const transport = httpsTransport(transportOptions);
  return { client: new ApiClient(transport, new Registry()), caPem: transportOptions.caPem, close: transport.close };
}

/**
 * The text table of `k3s token list` (Go's tabwriter: cells padded by 3, at least 10 wide).
 *
 * @example
 * ```ts
 * tokenTable(tokens, new Date())[0]; // "TOKEN     TTL       EXPIRES   USAGES    DESCRIPTION   EXTRA GROUPS"
 * ```
 */
export function tokenTable(tokens: BootstrapToken[], now: Date): string[] {
  const rows = [["TOKEN", "TTL", "EXPIRES", "USAGES", "DESCRIPTION", "EXTRA GROUPS"]];
  for (const t of tokens) {
    rows.push([
      t.id,
      t.expires ? shortHumanDuration(t.expires.getTime() - now.getTime()) : "<forever>",
      t.expires ? t.expires.toISOString().replace(/\.\d{3}Z$/, "Z") : "<never>",
      joinOrNone(t.usages),
      joinOrNone(t.description ? [t.description] : []),
      joinOrNone(t.groups),
    ]);
  }
  const widths = rows[0].slice(0, -1).map((_, i) => Math.max(10, ...rows.map((r) => r[i].length + 3)));
  return rows.map((r) => r.map((cell, i) => i < widths.length ? cell.padEnd(widths[i]) : cell).join(""));
}

/** kubeadm's BootstrapToken as K3s encodes it for `-o json|yaml`. */
function wireToken(t: BootstrapToken): Record<string, unknown> {
  return {
    token: `${t.id}.${t.secret}`,
    ...(t.description ? { description: t.description } : {}),
    ...(t.expires ? { expires: t.expires.toISOString().replace(/\.\d{3}Z$/, "Z") } : {}),
    ...(t.usages.length ? { usages: t.usages } : {}),
    ...(t.groups.length ? { groups: t.groups } : {}),
  };
}

function joinOrNone(values: string[]): string {
  return values.join(",") || "<none>";
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...previous ?? [], ...value.split(",").filter(Boolean)];
}

function duration(value: string): number {
  try {
    return parseGoDuration(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}
