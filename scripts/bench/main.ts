// `deno task bench NAME`: runs one benchmark under scripts/bench/ (each prints ratios against a peer run beside it).
const benches: Record<string, () => Promise<unknown>> = {
  datastore: () => import("./datastore.ts"),
  api: () => import("./api.ts"),
  scale: () => import("./scale.ts"),
  startup: () => import("./startup.ts"),
  pods: () => import("./pods.ts"),
};

const name = Deno.args[0];
if (!name || !(name in benches)) {
  console.error(`usage: deno task bench <${Object.keys(benches).join("|")}>`);
  Deno.exit(2);
}
await benches[name]();
