/**
 * Starting a server in-process: the datastore, the cluster's certificates, the Kubernetes API over
 * HTTPS, the objects every cluster starts with, and the admin kubeconfig.
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import { readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { openStore, parseEndpoint, redact, startCompactor, type Store } from "../../datastore/mod.ts";
import { renderKubeconfig, writeKubeconfig } from "../kubeconfig/mod.ts";
import { apiServerSANs, DynamicListener, ensureServerCertificates, firstIPv4 } from "../pki/mod.ts";
import { ApiClient, type Client, inProcessTransport } from "../client/mod.ts";
import {
  type Controller,
  type Informer,
  leaseClientFor,
  listWatcherFor,
  Manager,
  renderMetrics,
} from "../operator/mod.ts";
import { Rest } from "../api/rest.ts";
import type { KubeObject } from "../api/storage.ts";
import { ApiRouter, type UserInfo } from "../api/router.ts";
import { NodeStreams } from "../api/pod_streams.ts";
import { podUpgradeHandler } from "./pod_upgrades.ts";
import { BuiltinStrategy } from "../api/strategy.ts";
import { apiExtensionsControllers, CustomResources, CustomResourceStrategy } from "../apiextensions/mod.ts";
import { Authorization, authorizingHandler } from "../auth/authorization/mod.ts";
import { reconcileBootstrapPolicy } from "../auth/rbac/policy/reconcile.ts";
import { Registry } from "../registry/registry.ts";
import { OpenAPI } from "../openapi/openapi.ts";
import { bootstrapCluster } from "./bootstrap.ts";
import { loadBootstrapData, saveBootstrapData } from "./bootstrap_data/mod.ts";
import { type EndpointReconcilerTimings, startEndpointReconciler } from "./endpoint_reconciler/mod.ts";
import { discoveryEndpoint } from "./discovery_endpoints.ts";
import { startHttps } from "./https.ts";
import { sqlitePath } from "./paths.ts";
import { systemEndpoint } from "./system_endpoints.ts";
import { ensureServerToken } from "../auth/server_token.ts";
import {
  admitServiceAccount,
  ensureServiceAccountKey,
  serviceAccountLookup,
  tokenRequestHandler,
} from "../auth/serviceaccount/mod.ts";
import {
  serverAuthenticator,
  serverTokenAuthenticator,
  type TokenAuthenticator,
  tokenReviews,
  unionAuthenticator,
} from "../auth/authentication/mod.ts";
import { supervisorCredentialsAuthenticator, supervisorPasswords } from "../auth/supervisor_credentials.ts";
import { controlConfig, supervisorHandler, TUNNEL_PATH } from "./supervisor/mod.ts";
import { encryptingStore, encryptionHandler, SecretsEncryption } from "../encryption/mod.ts";

/** What `k3s server` is told. */
export interface ServerOptions {
  dataDir: string;
  /** `--datastore-endpoint`; empty for the embedded SQLite database. */
  datastoreEndpoint?: string;
  datastoreCAFile?: string;
  datastoreCertFile?: string;
  datastoreKeyFile?: string;
  /** `--https-listen-port` (default 6443; 0 picks a free port). */
  httpsPort?: number;
  /** `--bind-address` (default 0.0.0.0). */
  bindAddress?: string;
  /** `--advertise-address` (default: the first non-loopback IPv4 address). */
  advertiseAddress?: string;
  /** `--tls-san` */
  tlsSans?: string[];
  /** `--service-cidr` (default 10.43.0.0/16). */
  serviceCIDR?: string;
  /** `--service-node-port-range` (default 30000-32767). */
  serviceNodePortRange?: string;
  /** `--cluster-cidr` (default 10.42.0.0/16), told to agents. */
  clusterCIDR?: string;
  /** `--cluster-dns`, told to agents (cli.ts derives K3s's default, the tenth address of the service CIDR). */
  clusterDNS?: string;
  /** `--cluster-domain` (default cluster.local), told to agents. */
  clusterDomain?: string;
  /** The node name of this server's own agent (none with `--disable-agent`). */
  serverNodeName?: string;
  /** `--write-kubeconfig`: where the admin kubeconfig goes. */
  kubeconfigPath: string;
  /** `--write-kubeconfig-mode` (default 0600). */
  kubeconfigMode?: string;
  /** `--token` / `K3S_TOKEN`: the server password, or a full `K10<ca hash>::server:<password>` token. */
  token?: string;
  /** `--agent-token` / `K3S_AGENT_TOKEN`: a password that joins agents only. */
  agentToken?: string;
  /** `--secrets-encryption`: Secrets encrypted at rest with `<data-dir>/server/cred/encryption-config.json`. */
  secretsEncryption?: boolean;
  /** The controllers to run under leader election (cli.ts passes the always-on ones). */
  controllers?: (
    deps: { client: Client; registry: Registry; manager: Manager; serving: DynamicListener },
  ) => Controller[];
  /**
   * Takes the agents' tunnel upgrades (`/v1-k3s/connect`); the node side lives in `node/tunnel`, so `cli.ts` hands
   * it in. Without it the path is 404.
   */
  tunnel?: TunnelEndpoint;
  /** Progress and status lines (default: the console). */
  log?: (line: string) => void;
  signal?: AbortSignal;
  /** The `kubernetes` endpoints' lease refresh (kube-apiserver's fixed 10 s interval and 15 s TTL by default). */
  endpointReconciler?: EndpointReconcilerTimings;
}

/** Where agents' tunnel connections go. */
export interface TunnelEndpoint {
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, user: UserInfo): Promise<void>;
  close(): Promise<void>;
}

/** A running server. */
export interface Server {
  store: Store;
  rest: Rest;
  registry: Registry;
  /** The REST pipeline the HTTPS server serves; in-process clients call it directly. */
  router: ApiRouter;
  /** The port the API listens on. */
  port: number;
  /** Node agents register here to serve their pods' logs, exec, attach and port-forward. */
  nodes: NodeStreams;
  /** What the API server proves itself with to kubelets (`client-kube-apiserver`) and the CA they serve with. */
  kubeletClient: { ca: string; cert: string; key: string };
  kubeconfigPath: string;
  stop(): Promise<void>;
}

/**
 * Start a server: it answers the Kubernetes API once this resolves.
 *
 * @example
 * ```ts
 * const server = await startServer({ dataDir: "/tmp/k3s", httpsPort: 0, kubeconfigPath: "/tmp/k3s/k3s.yaml" });
 * await server.stop();
 * ```
 */
export async function startServer(options: ServerOptions): Promise<Server> {
  const log = options.log ?? ((line: string) => console.log(line));
  const endpoint = options.datastoreEndpoint ?? "";
  const read = (path?: string) => path ? readFileSync(path, "utf8") : undefined;
  parseEndpoint(endpoint, sqlitePath(options.dataDir)); // a malformed endpoint fails before anything starts
  const serviceCIDR = options.serviceCIDR ?? "10.43.0.0/16";
  const where = endpoint ? redact(endpoint) : `sqlite ${sqlitePath(options.dataDir)}`;
  log(`Starting datastore: ${where}`);
  const store = await openStore(endpoint, {
    defaultSqlitePath: sqlitePath(options.dataDir),
    tls: {
      ca: read(options.datastoreCAFile),
      cert: read(options.datastoreCertFile),
      key: read(options.datastoreKeyFile),
    },
    signal: options.signal,
    onRetry: (error, attempt, delay) =>
      log(`Datastore not reachable yet (attempt ${attempt}): ${error.message}; retrying in ${delay / 1000}s`),
  });
  log(`Datastore ready: ${store.backend} at revision ${await store.currentRevision()}`);
  const stopCompactor = startCompactor(store, {
    onCompact: (from, to, ms) => log(`Compacted datastore revisions ${from}..${to} in ${ms.toFixed(0)}ms`),
  });
  try {
    // Before any certificate is made: a server joining the cluster takes its CAs and keys from the datastore.
    const bootstrapData = {
      store,
      dataDir: options.dataDir,
      token: options.token,
      signal: options.signal,
      log: (line: string) => log(`Bootstrap data: ${line}`),
    };
    const loaded = await loadBootstrapData(bootstrapData);
    const pki = await ensureServerCertificates({
      dataDir: options.dataDir,
      tlsSans: options.tlsSans,
      serviceCIDR,
      log: (line) => log(`Certificates: ${line}`),
    });
    const sans = apiServerSANs({ tlsSans: options.tlsSans, serviceCIDR });
    // The front door serves K3s's dynamic listener certificate, which follows the names clients use.
    const serving = await DynamicListener.load({
      dataDir: options.dataDir,
      ca: pki.serverCA,
      sans: [...sans.dns, ...sans.ips],
      log: (line) => log(`Certificates: ${line}`),
    });
    const tokens = await ensureServerToken({
      dataDir: options.dataDir,
      token: options.token,
      agentToken: options.agentToken,
    });
    log(`Node token is available at ${options.dataDir}/server/token`);
    const serviceAccountKeys = await ensureServiceAccountKey(options.dataDir);
    const registry = new Registry();
    const openapi = new OpenAPI();
    const crds = new CustomResources();
    const strategy = new CustomResourceStrategy(
      new BuiltinStrategy(store, { serviceCIDR, nodePortRange: options.serviceNodePortRange }),
      crds,
    );
    // Authorization reads roles, bindings and pods from the manager's shared caches.
    const authorization = new Authorization((kind): Informer => manager.informer(kind));
    const encryption = await SecretsEncryption.load({
      dataDir: options.dataDir,
      enabled: options.secretsEncryption ?? false,
      store,
      log: (line) => log(`Secrets encryption: ${line}`),
      onWrite: () => saveBootstrapData({ ...bootstrapData, override: true }),
    });
    const apiStore = options.secretsEncryption ? encryptingStore(store, encryption) : store;
    // Once this server has made the cluster's files; later changes are saved as they are made (onWrite above).
    if (loaded.save) await saveBootstrapData(bootstrapData);
    const encryptionEndpoints = encryptionHandler(encryption);
    const serviceAccountInfo = registry.resolve("", "v1", "serviceaccounts")!;
    const serviceAccounts = serviceAccountLookup(
      (namespace, name) => manager.cache(serviceAccountInfo).get(`${namespace}/${name}`) as KubeObject | undefined,
      (namespace, name) => rest.get(serviceAccountInfo, namespace, name).catch(() => undefined),
    );
    const rest: Rest = new Rest(
      apiStore,
      authorization.admitting(strategy, [
        (r, object) => r.group === "" && r.kind === "Pod" ? admitServiceAccount(object, serviceAccounts) : undefined,
      ]),
    );
    const nodes = new NodeStreams();
    const router = new ApiRouter(
      registry,
      rest,
      [
        authorization.reviews,
        tokenReviews((audiences): TokenAuthenticator =>
          serverTokenAuthenticator({ client, serviceAccountKeys }, audiences)
        ),
        tokenRequestHandler((): Client => client, { keys: serviceAccountKeys }),
      ],
      authorization,
      nodes,
    );
    const client = new ApiClient(inProcessTransport(router), registry);
    const manager = new Manager({
      source: (kind) => listWatcherFor(client, kind),
      informerOptions: { onError: (error) => log(`Informer error: ${error}`) },
      leaderElection: {
        client: leaseClientFor(client),
        namespace: "kube-system",
        name: "k3s",
        identity: `${hostname()}_${crypto.randomUUID()}`,
        onError: (error) => log(`Leader election: ${error}`),
      },
    });
    const podUpgrades = podUpgradeHandler({ rest, registry, authorization, nodes });
    let coreReady = false;
    const supervisor = supervisorHandler({
      dataDir: options.dataDir,
      client,
      log,
      ready: () => coreReady,
      config: () =>
        controlConfig({
          httpsPort: https.port,
          clusterDNS: options.clusterDNS ? [options.clusterDNS] : [],
          clusterCIDR: options.clusterCIDR,
          serviceCIDR,
          clusterDomain: options.clusterDomain,
          serviceNodePortRange: options.serviceNodePortRange,
          serverNodeName: options.serverNodeName,
        }),
    });
    const https = await startHttps({
      log,
      port: options.httpsPort ?? 6443,
      bindAddress: options.bindAddress ?? "0.0.0.0",
      names: serving,
      staticDir: join(options.dataDir, "server", "static"),
      certificates: {
        cert: serving.keyPair.cert,
        key: serving.keyPair.key,
        clientCA: pki.clientCA.certPem,
        serverCA: pki.serverCA.certPem,
      },
      authenticate: unionAuthenticator(
        serverAuthenticator({ client, serviceAccountKeys }),
        supervisorCredentialsAuthenticator(supervisorPasswords(tokens)),
      ),
      upgrade: (request, socket, head, user) =>
        options.tunnel && new URL(request.url ?? "/", "https://localhost").pathname === TUNNEL_PATH
          ? options.tunnel.upgrade(request, socket, head, user)
          : podUpgrades(request, socket, head, user),
      handler: authorizingHandler(authorization, async (request, user, signal) => {
        const url = new URL(request.url);
        if (url.pathname === "/metrics") {
          return new Response(renderMetrics(manager.running), {
            headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
          });
        }
        return await encryptionEndpoints(request, user) ?? await supervisor(request, user) ??
          await systemEndpoint(url, store) ??
          discoveryEndpoint(registry, openapi, url, request.headers.get("accept"), url.host) ??
          (url.pathname.startsWith("/api/") || url.pathname.startsWith("/apis/")
            ? await router.handle(request, user, signal)
            : undefined);
      }),
    });
    serving.onChange((pair) => https.updateCertificates(pair));
    log(`Kubernetes API listening on https://${options.bindAddress ?? "0.0.0.0"}:${https.port}`);
    await bootstrapCluster(rest, registry, { serviceCIDR, port: https.port });
    const policy = await reconcileBootstrapPolicy(client);
    if (policy.created.length || policy.updated.length) {
      log(
        `RBAC bootstrap policy: created ${policy.created.length}, updated ${policy.updated.length} roles and bindings`,
      );
    }
    const apiExtensions = apiExtensionsControllers({ client, registry, manager, openapi, crds });
    for (const c of apiExtensions.controllers) manager.add(c);
    const controllers = options.controllers?.({ client, registry, manager, serving }) ?? [];
    for (const c of controllers) manager.add(c);
    const stopControllers = new AbortController();
    const controllersDone = manager.start(stopControllers.signal);
    log(
      `Controllers: ${apiExtensions.controllers.length + controllers.length} registered, run by the leader of ` +
        "kube-system/k3s",
    );
    // Like kube-apiserver's CRD informer post-start hook: ready only once stored CRDs are served.
    await apiExtensions.ready();
    coreReady = true;
    const host = options.bindAddress && options.bindAddress !== "0.0.0.0" ? options.bindAddress : "127.0.0.1";
    await writeKubeconfig(
      options.kubeconfigPath,
      renderKubeconfig({
        server: `https://${host}:${https.port}`,
        caPem: pki.serverCA.certPem,
        certPem: pki.admin.certPem,
        keyPem: pki.admin.keyPem,
      }),
      options.kubeconfigMode ?? "0600",
    );
    // As kube-apiserver's endpoint reconciler waits for /readyz: clients are sent here only once it serves.
    const endpoints = await startEndpointReconciler({
      ...options.endpointReconciler,
      client,
      store,
      ip: options.advertiseAddress ?? firstIPv4(),
      port: https.port,
      log,
    });
    log(
      `k3s is up and running: the Kubernetes API is at https://${host}:${https.port}, kubeconfig written to ${options.kubeconfigPath}`,
    );
    return {
      store,
      rest,
      registry,
      router,
      nodes,
      kubeletClient: {
        ca: pki.serverCA.certPem,
        cert: pki.kubeAPIServerClient.certPem,
        key: pki.kubeAPIServerClient.keyPem,
      },
      port: https.port,
      kubeconfigPath: options.kubeconfigPath,
      async stop() {
        await endpoints.stop();
        stopControllers.abort();
        await controllersDone.catch(() => {});
        await options.tunnel?.close();
        await https.close();
        stopCompactor();
        await store.close();
      },
    };
  } catch (error) {
    stopCompactor();
    await store.close();
    throw error;
  }
}
