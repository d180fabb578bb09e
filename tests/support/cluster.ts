/**
 * A real server started in-process with the given controllers, and a Client into it, for controller
 * tests; plus `until`, which polls a condition with a deadline.
 *
 * ```ts
 * await withCluster((deps) => [replicaSetController(deps)], async (client) => { … });
 * ```
 *
 * @module
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiClient, type Client, inProcessTransport } from "../../core/client/mod.ts";
import { type ServerOptions, startServer } from "../../core/server/start.ts";
import { rootCAPublisher } from "../../controllers/root_ca_publisher/mod.ts";
import { serviceAccountController } from "../../controllers/serviceaccount/mod.ts";

/**
 * Run `fn` with a Client into a fresh in-process server running `controllers`, and, as every server runs them, the
 * ServiceAccount controller and the root CA publisher (pods need their namespace's `default` ServiceAccount and
 * `kube-root-ca.crt`); the server and its data dir are removed afterwards.
 *
 * ```ts
 * await withCluster((deps) => garbageCollector(deps), async (client) => { await client.create(cm); });
 * ```
 */
export async function withCluster(
  controllers: NonNullable<ServerOptions["controllers"]>,
  fn: (client: Client) => Promise<void>,
): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "k3s-cluster-"));
  const server = await startServer({
    dataDir,
    httpsPort: 0,
    bindAddress: "127.0.0.1",
    kubeconfigPath: join(dataDir, "k3s.yaml"),
    log: () => {},
    controllers: withPodPrerequisites(dataDir, controllers),
  });
  try {
    await fn(new ApiClient(inProcessTransport(server.router), server.registry));
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * `controllers` plus what every server runs so pods can be created: the ServiceAccount controller (a pod's account
 * must exist) and the root CA publisher (its `kube-api-access-*` volume projects `kube-root-ca.crt`).
 *
 * ```ts
 * await startServer({ …, controllers: withPodPrerequisites(dataDir, (deps) => [replicaSetController(deps)]) });
 * ```
 */
export function withPodPrerequisites(
  dataDir: string,
  controllers: NonNullable<ServerOptions["controllers"]> = () => [],
): NonNullable<ServerOptions["controllers"]> {
  return (deps) => [
    serviceAccountController(deps),
    rootCAPublisher(deps, { rootCAFile: join(dataDir, "server", "tls", "server-ca.crt") }),
    ...controllers(deps),
  ];
}

/**
 * Poll `check` until it resolves true (errors count as false), failing after 15 s with `what`.
 *
 * ```ts
 * await until(async () => (await pods()).length === 3, "three pods");
 * ```
 */
export async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check().catch(() => false))) {
    assert.ok(Date.now() < deadline, `not reached in time: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
