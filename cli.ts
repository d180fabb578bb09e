/**
 * The `k3s` command: the command tree and what each daemon command starts. Flags, the config file,
 * help and completion follow K3s and live in `core/cli/`.
 *
 * @example
 * ```sh
 * k3s server --data-dir /tmp/k3s --datastore-endpoint "postgres://k3s:pw@db:5432/kine"
 * ```
 *
 * @module
 */
import { Command } from "commander";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { defaultControllers } from "./controllers/mod.ts";
import { manifestsDir, stageManifests, validateDisable } from "./controllers/addon/mod.ts";
import { ApiClient, httpsTransport, inProcessTransport } from "./core/client/mod.ts";
import { FlagCommand } from "./core/cli/command.ts";
import { completionCommand } from "./core/cli/completion.ts";
import { CliError } from "./core/cli/errors.ts";
import { flagSource, setByUser } from "./core/cli/flag.ts";
import { AGENT_FLAGS, type AgentFlags } from "./core/cli/flags/agent.ts";
import { SERVER_FLAGS, type ServerFlags } from "./core/cli/flags/server.ts";
import { k3sHelp } from "./core/cli/help.ts";
import { kubectlCommand, multicallName, runKubectl } from "./core/cli/kubectl.ts";
import { createLogger, type Logger } from "./core/cli/log.ts";
import { unsupportedCommand } from "./core/cli/unsupported.ts";
import { startServer } from "./core/server/start.ts";
import { tokenCommand } from "./core/auth/bootstrap/cli.ts";
import { helmController } from "./addons/helm-controller/mod.ts";
import { secretsEncryptCommand } from "./core/encryption/mod.ts";
import { certificateCommand } from "./core/pki/cli.ts";
import { firstIPv4 } from "./core/pki/mod.ts";
import { versionText } from "./core/version.ts";
import { EndpointError, StoreError } from "./datastore/mod.ts";
import { checkConfig, renderCheckConfig } from "./node/check_config.ts";
import { startSimulatedNodes } from "./node/simulator/mod.ts";
import { defaultClusterDNS, parseKubeletArgs, startAgent, startServerAgent } from "./node/agent/mod.ts";
import { getAPIServers, joinServer, parseServerURL } from "./node/join/mod.ts";
import { startLoadBalancer } from "./node/loadbalancer/mod.ts";
import { followAPIServerAddresses, KUBELET_PORT, registerTunnelledKubelets, TunnelServer } from "./node/tunnel/mod.ts";
import { Registry } from "./core/registry/registry.ts";

/** The logger for a daemon command: debug lines with its `--debug` or the top-level one. */
function loggerFor(command: FlagCommand): Logger {
  const log = createLogger({ debug: command.opts().debug || command.parent?.opts().debug });
  for (const path of command.configFiles) log.debug("Read config file", { path });
  for (const spec of command.flags) {
    if (setByUser(command, spec.name)) {
      log.debug("Flag set", { flag: spec.name, source: flagSource(command, spec.name) });
    }
  }
  return log;
}

/** `--token` or the contents of `--token-file` (K3s trims the file's whitespace); the flag wins. */
function secretOf(value: string | undefined, file: string | undefined, flag: string): string | undefined {
  if (value || !file) return value || undefined;
  try {
    return readFileSync(file, "utf8").trim();
  } catch (error) {
    throw new CliError(`cannot read --${flag}-file ${file}: ${(error as Error).message}`);
  }
}

/** `--node-name`, else the host name, lower-cased as K3s does. */
function nodeNameOf(flag: string | undefined): string {
  return (flag ?? hostname()).toLowerCase();
}

/** Resolves, after aborting `abort`, on SIGINT or SIGTERM. */
function stopOnSignals(abort: AbortController): Promise<void> {
  return new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.once(signal, () => {
        abort.abort();
        resolve();
      });
    }
  });
}

async function runServer(options: ServerFlags, command: FlagCommand): Promise<void> {
  const log = loggerFor(command);
  try {
    validateDisable(options.disable);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  if (options.disable.length > 0) log.debug("Packaged components disabled", { disable: options.disable.join(",") });
  for (const path of await stageManifests(options.dataDir, options.disable)) log.info(`Writing manifest: ${path}`);
  const abort = new AbortController();
  const stopping = stopOnSignals(abort);
  const tunnels = new TunnelServer({ log: (line) => log.info(line) });
  // Its own agent knows itself in the `kubernetes` endpoints by this address.
  const advertiseAddress = options.advertiseAddress ?? firstIPv4();
  const server = await startServer({
    tunnel: tunnels,
    dataDir: options.dataDir,
    datastoreEndpoint: options.datastoreEndpoint,
    datastoreCAFile: options.datastoreCafile,
    datastoreCertFile: options.datastoreCertfile,
    datastoreKeyFile: options.datastoreKeyfile,
    bindAddress: options.bindAddress,
    httpsPort: options.httpsListenPort,
    advertiseAddress,
    tlsSans: options.tlsSan,
    serviceCIDR: options.serviceCidr,
    serviceNodePortRange: options.serviceNodePortRange,
    clusterCIDR: options.clusterCidr,
    clusterDNS: options.clusterDns[0] ?? defaultClusterDNS(options.serviceCidr),
    clusterDomain: options.clusterDomain,
    serverNodeName: options.disableAgent ? undefined : nodeNameOf(options.nodeName),
    kubeconfigPath: options.writeKubeconfig,
    kubeconfigMode: options.writeKubeconfigMode,
    secretsEncryption: options.secretsEncryption,
    token: secretOf(options.token, options.tokenFile, "token"),
    agentToken: secretOf(options.agentToken, options.agentTokenFile, "agent-token"),
    controllers: (deps) => [
      ...defaultControllers(deps, {
        clusterCidr: options.clusterCidr,
        files: {
          dataDir: options.dataDir,
          disabled: options.disable,
          log: (line) => log.warn(line),
          apiServerSANs: { tlsSans: options.tlsSan, serviceCIDR: options.serviceCidr },
        },
      }),
      ...(options.disableHelmController
        ? []
        : [helmController(deps, { dataDir: options.dataDir, log: (line) => log.warn(line) })]),
    ],
    log: (line) => log.info(line),
    signal: abort.signal,
  });
  // The kubelet port a node reports (`--kubelet-arg port=…`) is the one its agent lets through the tunnel.
  const nodeInfo = server.registry.resolve("", "v1", "nodes")!;
  registerTunnelledKubelets(tunnels, server.nodes, server.kubeletClient, async (name) => {
    const node = await server.rest.get(nodeInfo, undefined, name).catch(() => undefined) as
      | { status?: { daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } } }
      | undefined;
    return node?.status?.daemonEndpoints?.kubeletEndpoint?.Port || KUBELET_PORT;
  });
  const disabled = options.disable.length ? ` (disabled: ${options.disable.join(", ")})` : "";
  log.info(`Addons: applying the manifests in ${manifestsDir(options.dataDir)}${disabled}`);
  const simulated = options.simulatedNodes > 0
    ? await startSimulatedNodes({
      client: new ApiClient(inProcessTransport(server.router), server.registry),
      count: options.simulatedNodes,
      signal: abort.signal,
    })
    : undefined;
  if (simulated) log.info(`${simulated.names.length} simulated nodes registered`);
  // A regular agent, as in K3s: kubelet certificates from its own supervisor, the kubelet API, tunnels to the other
  // servers; only its API client and its streams stay in-process.
  const agent = options.disableAgent ? undefined : await startServerAgent({
    client: new ApiClient(inProcessTransport(server.router), server.registry),
    dataDir: options.dataDir,
    nodeName: nodeNameOf(options.nodeName),
    nodeIPs: options.nodeIp,
    server: { bindAddress: options.bindAddress, port: server.port, advertiseAddress },
    nodeLabels: options.nodeLabel,
    nodeTaints: options.nodeTaint,
    pauseImage: options.pauseImage,
    containerRuntimeEndpoint: options.containerRuntimeEndpoint,
    kubeletArgs: options.kubeletArg,
    clusterDNS: options.clusterDns.length ? options.clusterDns : undefined,
    serviceCIDR: options.serviceCidr,
    clusterDomain: options.clusterDomain,
    resolvConf: options.resolvConf,
    streams: server.nodes,
    signal: abort.signal,
    log: (line) => log.info(line),
  }).catch(async (error) => {
    // Stopped while the agent was starting: shut down as usual.
    if (abort.signal.aborted) return undefined;
    abort.abort();
    await simulated?.stopped;
    await server.stop();
    throw new CliError(`cannot start the node agent: ${(error as Error).message}`);
  });
  if (agent) log.info(`Node agent running as node ${agent.nodeName}`);
  await stopping;
  log.info("Shutting down");
  await agent?.stopped;
  await simulated?.stopped;
  await server.stop();
}

/**
 * `k3s agent`: join the cluster with the token through the agent's load balancer, then run the node agent, reached by
 * every server through a tunnel to each.
 */
async function runAgent(options: AgentFlags, command: FlagCommand): Promise<void> {
  const log = loggerFor(command);
  if (!options.server) {
    throw new CliError("--server is required: the URL of a k3s server to join, e.g. --server https://10.0.0.1:6443");
  }
  const token = secretOf(options.token, options.tokenFile, "token");
  if (!token) throw new CliError("--token or --token-file is required: the server's node-token or agent token");
  let serverURL: string;
  try {
    serverURL = parseServerURL(options.server);
  } catch (error) {
    throw new CliError(`cannot join ${options.server}: ${(error as Error).message}`);
  }
  // As in K3s, everything goes through the load balancer from the start: an agent restarting while `--server` is
  // down joins through the other servers it saved.
  const lb = await startLoadBalancer({
    agentDir: join(options.dataDir, "agent"),
    serverURL,
    port: options.lbServerPort,
    log: (line) => log.info(line),
    debug: (line) => log.debug(line),
  }).catch((error) => {
    throw new CliError(`${(error as Error).message}; choose another port with --lb-server-port`);
  });
  const abort = new AbortController();
  const stopping = stopOnSignals(abort);
  const joined = await joinServer({
    server: lb.localURL,
    token,
    dataDir: options.dataDir,
    nodeName: nodeNameOf(options.nodeName),
    nodeIPs: options.nodeIp.length ? options.nodeIp : [firstIPv4()],
    signal: abort.signal,
    log: (line) => log.info(line),
  }).catch(async (error) => {
    await lb.close();
    throw new CliError(`cannot join ${options.server}: ${(error as Error).message}`);
  });
  const registry = new Registry();
  const transport = httpsTransport({
    server: joined.server,
    caPem: joined.serverCA,
    certPem: joined.clientCert,
    keyPem: joined.clientKey,
  });
  const controllerTransport = httpsTransport({
    server: joined.server,
    caPem: joined.serverCA,
    certPem: joined.controllerCert,
    keyPem: joined.controllerKey,
  });
  const kubeletPort = parseKubeletArgs(options.kubeletArg).port;
  const nodeIdentity = { certPem: joined.clientCert, keyPem: joined.clientKey };
  const servers = followAPIServerAddresses({
    servers: lb,
    client: new ApiClient(controllerTransport, registry),
    apiServers: () =>
      getAPIServers({
        server: joined.server,
        trust: joined.serverCA,
        authorization: joined.authorization,
        identity: nodeIdentity,
      }),
    // The servers may reach only this node's kubelet API through the tunnels (K3s also allows the CRI stream port).
    tunnel: {
      caPem: joined.serverCA,
      ...nodeIdentity,
      allow: (host, port) => (host === "127.0.0.1" || host === "localhost") && port === kubeletPort,
      log: (line) => log.info(line),
    },
    signal: abort.signal,
    log: (line) => log.info(line),
  }).catch((error) => log.error("Following the cluster's servers failed", { error: (error as Error).message }));
  const stopClients = async () => {
    await servers;
    controllerTransport.close();
    transport.close();
    await lb.close();
  };
  const agent = await startAgent({
    client: new ApiClient(transport, registry),
    dataDir: options.dataDir,
    nodeName: joined.nodeName,
    nodeIP: options.nodeIp[0],
    nodeLabels: options.nodeLabel,
    nodeTaints: options.nodeTaint,
    pauseImage: options.pauseImage,
    containerRuntimeEndpoint: options.containerRuntimeEndpoint,
    kubeletArgs: options.kubeletArg,
    clusterDNS: joined.config.ClusterDNSs.length ? joined.config.ClusterDNSs : undefined,
    serviceCIDR: joined.config.ServiceIPRange,
    clusterDomain: joined.config.ClusterDomain,
    resolvConf: options.resolvConf,
    kubeletServing: { cert: joined.servingCert, key: joined.servingKey, clientCA: joined.clientCA },
    signal: abort.signal,
    log: (line) => log.info(line),
  }).catch(async (error) => {
    abort.abort();
    await stopClients();
    throw new CliError(`cannot start the node agent: ${(error as Error).message}`);
  });
  log.info(`k3s agent is up and running: node ${agent.nodeName} joined ${serverURL}`);
  await stopping;
  log.info("Shutting down");
  await agent.stopped;
  await stopClients();
}

function checkConfigCommand(): Command {
  return new Command("check-config")
    .description("Run config check")
    .helpOption("-h, --help", "show help")
    .configureHelp({ formatHelp: k3sHelp })
    .action(() => {
      const { text, failures } = renderCheckConfig(checkConfig());
      process.stdout.write(text);
      process.exitCode = failures > 0 ? 1 : 0;
    });
}

/** Build the command tree (exported so tests can drive it without a process). */
export function buildCli(): Command {
  const program = new Command("k3s")
    .description("Kubernetes, but small and simple")
    .option("--debug", "(logging) Turn on debug logs")
    .helpOption("-h, --help", "show help")
    .version(versionText(), "-v, --version", "print the version")
    .helpCommand("help [command]", "Shows a list of commands or help for one command")
    .enablePositionalOptions()
    .configureHelp({ formatHelp: k3sHelp })
    .showHelpAfterError("Run 'k3s --help' for usage.");
  program.addCommand(new FlagCommand("server", "Run management server", SERVER_FLAGS).action(runServer));
  program.addCommand(
    new FlagCommand("agent", "Run node agent", AGENT_FLAGS).action(runAgent),
  );
  program.addCommand(kubectlCommand());
  program.addCommand(unsupportedCommand("crictl", "Run crictl"));
  program.addCommand(unsupportedCommand("ctr", "Run ctr"));
  program.addCommand(checkConfigCommand());
  program.addCommand(tokenCommand());
  program.addCommand(unsupportedCommand("etcd-snapshot", "Manage etcd snapshots"));
  program.addCommand(secretsEncryptCommand());
  program.addCommand(certificateCommand());
  program.addCommand(completionCommand());
  return program;
}

if (import.meta.main) {
  try {
    if (multicallName(process.argv0) === "kubectl") process.exitCode = await runKubectl(process.argv.slice(2));
    else await buildCli().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CliError || error instanceof EndpointError || error instanceof StoreError) {
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
