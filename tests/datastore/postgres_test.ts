import { openStore, parseEndpoint } from "../../datastore/mod.ts";
import { SqlLog } from "../../datastore/sql/log.ts";
import { postgresDialect } from "../../datastore/sql/postgres.ts";
import { startPostgres, type TestServer } from "../support/servers.ts";
import { collect, storeContract } from "./contract.ts";

let server: TestServer | undefined;
const database = async () => server ??= await startPostgres();

storeContract("postgres", {
  open: async () => openStore((await database()).endpoint, { defaultSqlitePath: "", maxAttempts: 1 }),
  shared: true,
  stopDatabase: async () => await (await database()).kill(),
  startDatabase: async () => await (await database()).start(),
});

Deno.test({
  name: "postgres: another server's write reaches a watcher through LISTEN/NOTIFY, not the poll",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const endpoint = parseEndpoint((await database()).endpoint, "");
    if (endpoint.backend !== "postgres") throw new Error("not a postgres endpoint");
    // A poll interval of an hour: only a notification can bring the other server's write in time.
    const watching = await SqlLog.open({ ...postgresDialect(endpoint), pollIntervalMs: 3_600_000 });
    const writing = await SqlLog.open(postgresDialect(endpoint));
    try {
      const watcher = collect(watching, "/notify/", (await watching.currentRevision()) + 1);
      await writing.create("/notify/a", new TextEncoder().encode("a"));
      await watcher.until((events) => events.length === 1);
      await watcher.stop();
    } finally {
      await Promise.all([watching.close(), writing.close()]);
    }
  },
});

Deno.test({
  name: "postgres: stop the server",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () => server?.stop(),
});
