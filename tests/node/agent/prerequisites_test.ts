// The agent's up-front checks: one line naming what is missing.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkAgentPrerequisites } from "../../../node/agent/mod.ts";
import { CNI_PLUGINS } from "../../../node/check_config.ts";

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "agent-prereq-"));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

Deno.test("the agent refuses to start when not root, pointing at --disable-agent", () => {
  assert.throws(
    () => checkAgentPrerequisites({ startsContainerd: false, uid: 1000 }),
    /must run as root.*--disable-agent/,
  );
});

Deno.test("missing CNI plugins are reported with Debian's package name", () => {
  withDir((dir) => {
    assert.throws(
      () => checkAgentPrerequisites({ startsContainerd: false, uid: 0, cniBinDirs: [dir] }),
      /CNI plugins bridge, host-local, loopback, portmap not found in .*containernetworking-plugins/,
    );
  });
});

Deno.test("the first folder holding every CNI plugin is the one containerd is told about", () => {
  withDir((dir) => {
    const partial = join(dir, "partial");
    const full = join(dir, "full");
    for (const d of [partial, full]) mkdirSync(d);
    writeFileSync(join(partial, "bridge"), "");
    for (const plugin of CNI_PLUGINS) writeFileSync(join(full, plugin), "");
    assert.equal(checkAgentPrerequisites({ startsContainerd: false, uid: 0, cniBinDirs: [partial, full] }), full);
  });
});

Deno.test("a missing containerd is reported with Debian's package name, unless a runtime endpoint is given", () => {
  withDir((dir) => {
    for (const plugin of CNI_PLUGINS) writeFileSync(join(dir, plugin), "");
    assert.throws(
      () => checkAgentPrerequisites({ startsContainerd: true, uid: 0, cniBinDirs: [dir], path: dir }),
      /not found on PATH: install Debian's .*package/,
    );
    assert.equal(checkAgentPrerequisites({ startsContainerd: false, uid: 0, cniBinDirs: [dir], path: dir }), dir);
  });
});
