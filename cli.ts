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
import { Command, InvalidArgumentError, Option } from "commander";
import process from "node:process";
import { defaultControllers } from "./controllers/mod.ts";
import { ApiClient, inProcessTransport } from "./core/client/mod.ts";
import { EndpointError, StoreError } from "./datastore/mod.ts";
import { defaultKubeconfigPath } from "./core/kubeconfig/mod.ts";
import { defaultDataDir } from "./core/server/paths.ts";
import { startServer } from "./core/server/start.ts";
import { K3S_VERSION, KUBERNETES_VERSION } from "./core/version.ts";
import { startSimulatedNodes } from "./node/simulator/mod.ts";
import { parseCIDR } from "./controllers/node_ipam/cidr_set.ts";

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("must be a port number (0-65535)");
  return n;
}

function count(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError("must be a non-negative integer");
  }
  return n;
}

function ipv4Cidr(value: string): string {
  if (!parseCIDR(value)) throw new InvalidArgumentError("must be an IPv4 CIDR such as 10.42.0.0/16");
  return value;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

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
    .addOption(new Option("--bind-address <ip>", "k3s bind address").default("0.0.0.0"))
    .addOption(new Option("--https-listen-port <port>", "HTTPS listen port").default(6443).argParser(port))
    .addOption(
      new Option("--advertise-address <ip>", "IPv4 address that apiserver uses to advertise to members of the cluster"),
    )
    .addOption(
      new Option(
        "--tls-san <value>",
        "Add additional hostnames or IPv4/IPv6 addresses as Subject Alternative Names on the server TLS cert",
      ).argParser(collect).default([]),
    )
    .addOption(
      new Option("--cluster-cidr <cidr>", "IPv4 network CIDR to use for pod IPs").default("10.42.0.0/16")
        .argParser(ipv4Cidr),
    )
    .addOption(
      new Option("--service-cidr <cidr>", "IPv4 network CIDR to use for service IPs").default("10.43.0.0/16")
        .argParser(ipv4Cidr),
    )
    .addOption(
      new Option("--service-node-port-range <range>", "Port range to reserve for services with NodePort visibility")
        .default("30000-32767"),
    )
    .addOption(
      new Option("-o, --write-kubeconfig <file>", "Write kubeconfig for admin client to this file").env(
        "K3S_KUBECONFIG_OUTPUT",
      ).default(defaultKubeconfigPath()),
    )
    .addOption(
      new Option("--write-kubeconfig-mode <mode>", "Write kubeconfig with this mode").env("K3S_KUBECONFIG_MODE"),
    )
    .addOption(new Option("--disable-agent", "Do not run a local agent and register a local kubelet"))
    .addOption(
      new Option("--simulated-nodes <N>", "Register N simulated nodes that run pods without containers (for testing)")
        .default(0).argParser(count),
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
        bindAddress: options.bindAddress,
        httpsPort: options.httpsListenPort,
        advertiseAddress: options.advertiseAddress,
        tlsSans: options.tlsSan.flatMap((s: string) => s.split(",")).filter(Boolean),
        serviceCIDR: options.serviceCidr,
        serviceNodePortRange: options.serviceNodePortRange,
        kubeconfigPath: options.writeKubeconfig,
        kubeconfigMode: options.writeKubeconfigMode,
        controllers: (deps) => defaultControllers(deps, { clusterCidr: options.clusterCidr }),
        signal: abort.signal,
      });
      const simulated = options.simulatedNodes > 0
        ? await startSimulatedNodes({
          client: new ApiClient(inProcessTransport(server.router), server.registry),
          count: options.simulatedNodes,
          signal: abort.signal,
        })
        : undefined;
      if (simulated) console.log(`${simulated.names.length} simulated nodes registered`);
      await stopping;
      console.log("Shutting down");
      await simulated?.stopped;
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
    const { code, address, port } = error as { code?: string; address?: string; port?: number };
    if (code === "EADDRINUSE" || code === "EACCES") {
      const why = code === "EADDRINUSE" ? "the address is already in use" : "permission denied";
      console.error(
        `k3s: cannot listen on ${address}:${port}: ${why}; stop the other server or pass --https-listen-port`,
      );
      process.exit(1);
    }
    throw error;
  }
}
