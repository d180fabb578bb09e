import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../datastore/mod.ts";
import { storeContract } from "./contract.ts";

const dir = mkdtempSync(join(tmpdir(), "k3s-sqlite-"));
const path = join(dir, "server", "db", "state.db");

storeContract("sqlite", {
  open: () => openStore("", { defaultSqlitePath: path }),
  shared: false,
});
