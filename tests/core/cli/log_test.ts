import assert from "node:assert/strict";
import { createLogger, formatFields } from "../../../core/cli/log.ts";

function capture(debug: boolean) {
  const out: string[] = [];
  const err: string[] = [];
  const log = createLogger({ debug, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { log, out, err };
}

Deno.test("log: fields are key=value, quoted only when they need to be", () => {
  assert.equal(
    formatFields({ path: "/etc/rancher/k3s/config.yaml", reason: "not found", empty: "", count: 3, none: undefined }),
    'path=/etc/rancher/k3s/config.yaml reason="not found" empty="" count=3',
  );
});

Deno.test("log: info lines keep their text exactly; warnings and errors go to stderr with their level", () => {
  const { log, out, err } = capture(false);
  log.info("k3s is up and running");
  log.info("Read config file", { path: "/c.yaml" });
  log.warn("Datastore slow", { ms: 900 });
  log.error("Reconcile failed", { object: "kube-system/coredns", reason: "Conflict" });
  assert.deepEqual(out, ["k3s is up and running", "Read config file path=/c.yaml"]);
  assert.deepEqual(err, [
    "WARN Datastore slow ms=900",
    "ERROR Reconcile failed object=kube-system/coredns reason=Conflict",
  ]);
});

Deno.test("log: debug lines are written only with --debug", () => {
  const off = capture(false);
  off.log.debug("Flag set", { flag: "debug" });
  assert.deepEqual(off.out, []);
  assert.equal(off.log.debugEnabled, false);
  const on = capture(true);
  on.log.debug("Flag set", { flag: "debug", source: "cli" });
  assert.deepEqual(on.out, ["DEBUG Flag set flag=debug source=cli"]);
});
