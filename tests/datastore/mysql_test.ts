import { openStore } from "../../datastore/mod.ts";
import { startMariadb, type TestServer } from "../support/servers.ts";
import { storeContract } from "./contract.ts";

let server: TestServer | undefined;
const database = async () => server ??= await startMariadb();

storeContract("mysql", {
  open: async () => openStore((await database()).endpoint, { defaultSqlitePath: "", maxAttempts: 1 }),
  shared: true,
  stopDatabase: async () => await (await database()).kill(),
  startDatabase: async () => await (await database()).start(),
});

Deno.test({ name: "mysql: stop the server", sanitizeOps: false, sanitizeResources: false, fn: () => server?.stop() });
