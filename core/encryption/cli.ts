/**
 * `k3s secrets-encrypt status|enable|disable|prepare|rotate|reencrypt|rotate-keys`: each subcommand is one
 * call to the server's `/v1-k3s/encrypt/status` or `/v1-k3s/encrypt/config`, made with the admin kubeconfig
 * (or, without one, the admin certificate in `<data-dir>/server/tls`), printing what K3s prints.
 *
 * @module
 */
import { Command, Option } from "commander";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { httpsTransport, type HttpsTransportOptions, PLACEHOLDER_ORIGIN, readKubeconfig } from "../client/mod.ts";
import { defaultKubeconfigPath } from "../kubeconfig/mod.ts";
import { tlsDir } from "../pki/server.ts";
import { defaultDataDir } from "../server/paths.ts";
import { ENCRYPT_CONFIG_PATH, ENCRYPT_STATUS_PATH } from "./handler.ts";
import type { EncryptionRequest, EncryptionStatus } from "./secrets_encryption.ts";

/** Where the subcommands reach the server. */
interface ConnectionOptions {
  dataDir: string;
  kubeconfig?: string;
  server: string;
}

/**
 * The `secrets-encrypt` command tree; `print` receives each line of output (default: stdout).
 *
 * @example
 * ```ts
 * program.addCommand(secretsEncryptCommand());
 * // k3s secrets-encrypt status
 * ```
 */
export function secretsEncryptCommand(print: (line: string) => void = (line) => console.log(line)): Command {
  const root = new Command("secrets-encrypt").description("Control secrets encryption and keys rotation");

  connected(root.command("status").description("Print current status of secrets encryption"))
    .addOption(new Option("-o, --output <format>", "Status format. Default: text. Optional: json"))
    .action(async function (this: Command, options) {
      await run(this, options, async (send) => {
        const status = await (await send("GET", ENCRYPT_STATUS_PATH)).json() as EncryptionStatus;
        print(String(options.output).toLowerCase() === "json" ? statusJson(status) : statusText(status));
      });
    });

  const put = (request: EncryptionRequest, done: string) =>
    async function (this: Command, options: ConnectionOptions) {
      await run(this, options, async (send) => {
        await send("PUT", ENCRYPT_CONFIG_PATH, request);
        print(done);
      });
    };
  connected(root.command("enable").description("Enable secrets encryption"))
    .action(put({ enable: true }, "secrets-encryption enabled"));
  connected(root.command("disable").description("Disable secrets encryption"))
    .action(put({ enable: false }, "secrets-encryption disabled"));
  for (
    const [name, description, stage, done] of [
      ["prepare", "Prepare for encryption keys rotation", "prepare", "prepare completed successfully"],
      ["rotate", "Rotate secrets encryption keys", "rotate", "rotate completed successfully"],
    ]
  ) {
    connected(root.command(name).description(description))
      .option("-f, --force", `Force ${name === "prepare" ? "preparation" : "key rotation"}.`, false)
      .action(async function (this: Command, options) {
        await put({ stage, force: options.force }, done).call(this, options);
      });
  }
  connected(root.command("reencrypt").description("Reencrypt all data with new encryption key"))
    .option("-f, --force", "Force secrets reencryption.", false)
    .option("--skip", "Skip removing old key", false)
    .action(async function (this: Command, options) {
      const request = { stage: "reencrypt_active", force: options.force, skip: options.skip };
      await put(request, "reencryption started").call(this, options);
    });
  connected(
    root.command("rotate-keys").description("Dynamically rotates secrets encryption keys and re-encrypt secrets"),
  )
    .action(put({ stage: "rotate_keys" }, "keys rotated, reencryption started"));
  return root;
}

/**
 * `status` as K3s's text: the state lines, then the key table (Go's tabwriter, cells padded by 2).
 *
 * @example
 * ```ts
 * statusText({ enable: true, stage: "start", hashmatch: true, activekey: "AES-CBC aescbckey" });
 * // "Encryption Status: Enabled\nCurrent Rotation Stage: start\n…\n *      AES-CBC   aescbckey\n"
 * ```
 */
export function statusText(status: EncryptionStatus): string {
  if (status.enable === undefined) return "Encryption Status: Disabled, no configuration file found";
  const lines = [
    `Encryption Status: ${status.enable ? "Enabled" : "Disabled"}`,
    `Current Rotation Stage: ${status.stage}`,
    `Server Encryption Hashes: ${status.hashmatch ? "All hashes match" : status.hasherror}`,
    "",
  ];
  const keyCells = (key: string) => {
    const space = key.indexOf(" ");
    return space < 0 ? ["AES-CBC", key] : [key.slice(0, space), key.slice(space + 1)];
  };
  const rows = [["Active", "Key Type", "Name"], ["------", "--------", "----"]];
  if (status.activekey) rows.push([" *", ...keyCells(status.activekey)]);
  for (const key of status.inactivekeys ?? []) rows.push(["", ...keyCells(key)]);
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i].length)) + 2);
  for (const row of rows) lines.push(row.map((cell, i) => i < 2 ? cell.padEnd(widths[i]) : cell).join(""));
  return lines.join("\n") + "\n";
}

/** `status -o json`: Go's `json.MarshalIndent` of K3s's `EncryptionState` (empty optional fields left out). */
function statusJson(status: EncryptionStatus): string {
  return JSON.stringify(
    {
      stage: status.stage,
      activekey: status.activekey,
      enable: status.enable,
      hashmatch: status.hashmatch || undefined,
      hasherror: status.hasherror || undefined,
      inactivekeys: status.inactivekeys?.length ? status.inactivekeys : undefined,
    },
    null,
    "\t",
  );
}

function connected(command: Command): Command {
  return command
    .addOption(
      new Option("-d, --data-dir <dir>", "(data) Folder to hold state").env("K3S_DATA_DIR").default(defaultDataDir()),
    )
    .addOption(new Option("--kubeconfig <file>", "(cluster) Admin kubeconfig of the server").env("KUBECONFIG"))
    .addOption(
      new Option("-s, --server <url>", "(cluster) Server to connect to").env("K3S_URL").default(
        "https://127.0.0.1:6443",
      ),
    );
}

type Send = (method: string, path: string, body?: unknown) => Promise<Response>;

/** Connect, run, close; a failure ends the command with a one-line message (exit code 1). */
async function run(command: Command, options: ConnectionOptions, fn: (send: Send) => Promise<void>): Promise<void> {
  let transport;
  try {
    transport = httpsTransport(await connection(options));
    const send: Send = async (method, path, body) => {
      const response = await transport!(
        new Request(PLACEHOLDER_ORIGIN + path, {
          method,
          headers: body === undefined ? {} : { "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      );
      if (response.ok) return response;
      const text = await response.text();
      let message = text.trim() || response.statusText;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch {
        // not a Status: keep the text
      }
      throw new Error(`see server log for details: ${message}`);
    };
    await fn(send);
  } catch (error) {
    command.error(`k3s: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    transport?.close();
  }
}

/** The admin kubeconfig if there is one, else the admin certificate of `<data-dir>` against `--server`. */
async function connection(options: ConnectionOptions): Promise<HttpsTransportOptions> {
  const candidates = options.kubeconfig ? options.kubeconfig.split(":") : [defaultKubeconfigPath()];
  const path = candidates.find((p) => p && existsSync(p));
  if (path) return await readKubeconfig(path);
  if (options.kubeconfig) throw new Error(`kubeconfig ${options.kubeconfig} does not exist`);
  const tls = tlsDir(options.dataDir);
  if (!existsSync(join(tls, "client-admin.crt"))) {
    throw new Error(`no kubeconfig at ${candidates[0]} and no admin certificate in ${tls}: pass --kubeconfig`);
  }
  const read = (name: string) => readFileSync(join(tls, name), "utf8");
  return {
    server: options.server,
    caPem: read("server-ca.crt"),
    certPem: read("client-admin.crt"),
    keyPem: read("client-admin.key"),
  };
}
