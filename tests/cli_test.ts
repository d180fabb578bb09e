import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const cli = new URL("../cli.ts", import.meta.url).pathname;

async function k3s(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", cli, ...args],
  }).output();
  return { code, stdout: new TextDecoder().decode(stdout), stderr: new TextDecoder().decode(stderr) };
}

Deno.test("cli: k3s --version names the release in K3s's style and the Kubernetes version", async () => {
  const { code, stdout } = await k3s("--version");
  assert.equal(code, 0);
  assert.match(stdout, /^k3s version v1\.32\.\d+\+\w+ \((dev|[0-9a-f]{8})\)\n(deno|node) version v\S+\n$/);
});

Deno.test("cli: a malformed --datastore-endpoint is refused with one line naming the forms", async () => {
  const { code, stdout, stderr } = await k3s(
    "server",
    "--data-dir",
    mkdtempSync(join(tmpdir(), "k3s-cli-")),
    "--datastore-endpoint",
    "nats://x",
  );
  assert.equal(code, 1);
  assert.equal(stdout, "");
  assert.equal(stderr.trim().split("\n").length, 1);
  assert.match(stderr, /^k3s: invalid --datastore-endpoint "nats:\/\/x": .*expected one of sqlite:\/\//);
});

Deno.test({
  name: "cli: k3s server opens the SQLite datastore under --data-dir, says where the kubeconfig is, stops on SIGTERM",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "k3s-cli-"));
    for (const run of [1, 2]) {
      const child = new Deno.Command(Deno.execPath(), {
        args: [
          ...["run", "-A", "--quiet", cli, "server", "--data-dir", dataDir, "--https-listen-port", "0"],
          ...["--bind-address", "127.0.0.1", "--write-kubeconfig", join(dataDir, "k3s.yaml"), "--disable-agent"],
        ],
        stdout: "piped",
        stderr: "inherit",
      }).spawn();
      // Keep reading to the end: a closed pipe would kill the server with SIGPIPE when it logs its shutdown.
      let output = "";
      const reading = child.stdout.pipeThrough(new TextDecoderStream()).pipeTo(
        new WritableStream({ write: (chunk) => void (output += chunk) }),
      );
      const deadline = Date.now() + 30_000;
      while (!output.includes("k3s is up and running")) {
        assert.ok(Date.now() < deadline, `server did not start:\n${output}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const lines = output.split("\n");
      assert.ok(
        lines.includes(`Starting datastore: sqlite ${join(dataDir, "server", "db", "state.db")}`),
        lines.join("\n"),
      );
      assert.ok(lines.some((l) => /^Datastore ready: sqlite at revision \d+$/.test(l)), lines.join("\n"));
      const ready = `kubeconfig written to ${join(dataDir, "k3s.yaml")}`;
      assert.ok(
        lines.some((l) =>
          /^k3s is up and running: the Kubernetes API is at https:\/\/127\.0\.0\.1:\d+, /.test(l) && l.endsWith(ready)
        ),
        lines.join("\n"),
      );
      child.kill("SIGTERM");
      const status = await child.status;
      await reading;
      assert.equal(status.code, 0, `run ${run} exits cleanly`);
      assert.match(output, /Shutting down\n$/);
    }
    assert.ok((await Deno.stat(join(dataDir, "server", "db", "state.db"))).isFile);
  },
});
