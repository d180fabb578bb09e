/**
 * The `k3s` command.
 *
 * @example
 * ```sh
 * k3s server --data-dir /tmp/k3s --datastore-endpoint "postgres://k3s:pw@db:5432/kine"
 * ```
 *
 * @module
 */
import { Command, Option } from "commander";
import process from "node:process";
import { EndpointError, StoreError } from "./datastore/mod.ts";
import { defaultDataDir } from "./core/server/paths.ts";
import { startServer } from "./core/server/start.ts";
import { K3S_VERSION, KUBERNETES_VERSION } from "./core/version.ts";

/** Build the command tree (exported so tests can drive it without a process). */
export function buildCli(): Command {
  const program = new Command("k3s")
    .description("Lightweight Kubernetes, in TypeScript")
    .version(`k3s version ${K3S_VERSION}\nkubernetes version ${KUBERNETES_VERSION}`, "-v, --version")
    .showHelpAfterError();

  program.command("server")
    .description("Run management server")
    .addOption(
      new Option("-d, --data-dir <dir>", "Folder to hold state").env("K3S_DATA_DIR").default(defaultDataDir()),
    )
    .addOption(
      new Option(
        "--datastore-endpoint <endpoint>",
        "Specify etcd, MySQL, Postgres, or SQLite (default) data source name",
      ).env("K3S_DATASTORE_ENDPOINT"),
    )
    .addOption(
      new Option(
        "--datastore-cafile <file>",
        "TLS Certificate Authority file used to secure datastore backend communication",
      ).env("K3S_DATASTORE_CAFILE"),
    )
    .addOption(
      new Option("--datastore-certfile <file>", "TLS certification file used to secure datastore backend communication")
        .env("K3S_DATASTORE_CERTFILE"),
    )
    .addOption(
      new Option("--datastore-keyfile <file>", "TLS key file used to secure datastore backend communication").env(
        "K3S_DATASTORE_KEYFILE",
      ),
    )
    .action(async (options) => {
      const abort = new AbortController();
      const stopping = new Promise<void>((resolve) => {
        for (const signal of ["SIGINT", "SIGTERM"] as const) {
          process.once(signal, () => {
            abort.abort();
            resolve();
          });
        }
      });
      const server = await startServer({
        dataDir: options.dataDir,
        datastoreEndpoint: options.datastoreEndpoint,
        datastoreCAFile: options.datastoreCafile,
        datastoreCertFile: options.datastoreCertfile,
        datastoreKeyFile: options.datastoreKeyfile,
        signal: abort.signal,
      });
      console.log("k3s server is running (the Kubernetes API arrives with the API server core); Ctrl-C stops it");
      await stopping;
      console.log("Shutting down");
      await server.stop();
    });

  return program;
}

if (import.meta.main) {
  try {
    await buildCli().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof EndpointError || error instanceof StoreError) {
      console.error(`k3s: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
