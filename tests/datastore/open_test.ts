import assert from "node:assert/strict";
import { createServer } from "node:net";
import { openStore, UnavailableError } from "../../datastore/mod.ts";

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

for (
  const [backend, endpoint] of [
    ["postgres", (port: number) => `postgres://kine:kine@127.0.0.1:${port}/kine?sslmode=disable`],
    ["mysql", (port: number) => `mysql://kine:kine@tcp(127.0.0.1:${port})/kine`],
  ] as const
) {
  Deno.test({
    name: `open: an unreachable ${backend} endpoint is retried with back-off, then fails clearly`,
    sanitizeOps: false,
    sanitizeResources: false,
    fn: async () => {
      const retries: number[] = [];
      const error = await openStore(endpoint(await closedPort()), {
        defaultSqlitePath: "",
        maxAttempts: 3,
        onRetry: (_error, _attempt, delay) => retries.push(delay),
      }).catch((e) => e);
      assert.ok(error instanceof UnavailableError, String(error));
      assert.match(error.message, new RegExp(`${backend} is unavailable: .*ECONNREFUSED`));
      assert.deepEqual(retries, [500, 1000]);
    },
  });
}
