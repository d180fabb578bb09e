import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withConfigFileArgs } from "../../../core/cli/config_file.ts";
import { CliError } from "../../../core/cli/errors.ts";
import { AGENT_FLAGS } from "../../../core/cli/flags/agent.ts";
import { SERVER_FLAGS } from "../../../core/cli/flags/server.ts";

/** A config file (and drop-ins) in a fresh folder; returns the main file's path. */
function configFiles(main: string | undefined, dropIns: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "k3s-config-"));
  const file = join(dir, "config.yaml");
  if (main !== undefined) writeFileSync(file, main);
  if (Object.keys(dropIns).length > 0) mkdirSync(`${file}.d`);
  for (const [name, text] of Object.entries(dropIns)) writeFileSync(join(`${file}.d`, name), text);
  return file;
}

const server = (args: string[], env: Record<string, string> = {}, defaultFile?: string) =>
  withConfigFileArgs(args, { command: "server", flags: SERVER_FLAGS, env, defaultFile });

Deno.test("config file: keys become --key=value arguments in front of the command line, a list one per item", () => {
  const file = configFiles(
    'write-kubeconfig-mode: "0644"\ntls-san:\n  - "foo.local"\nnode-label:\n  - "foo=bar"\n' +
      '  - "something=amazing"\ncluster-init: true\n',
  );
  const { args, files } = server(["--debug"], {}, file);
  assert.deepEqual(args, [
    "--write-kubeconfig-mode=0644",
    "--tls-san=foo.local",
    "--node-label=foo=bar",
    "--node-label=something=amazing",
    "--cluster-init=true",
    "--debug",
  ]);
  assert.deepEqual(files, [file]);
});

Deno.test("config file: drop-ins follow the main file in lexical order; the last value wins and key+ appends", () => {
  // The example of K3s's docs/installation/configuration.md, "Multiple Config Files".
  const file = configFiles("token: boop\nnode-label:\n  - foo=bar\n  - bar=baz\n", {
    "test2.yaml": "write-kubeconfig-mode: 777\nnode-label:\n  - other=what\n  - foo=three\n" +
      "node-taint+:\n  - charlie=delta:NoSchedule\n",
    "test1.yaml": "write-kubeconfig-mode: 600\nnode-taint:\n  - alice=bob:NoExecute\n",
    "notes.txt": "ignored: true\n",
  });
  const { args, files } = server([], {}, file);
  assert.deepEqual(args, [
    "--token=boop",
    "--node-label=other=what",
    "--node-label=foo=three",
    "--write-kubeconfig-mode=777",
    "--node-taint=alice=bob:NoExecute",
    "--node-taint=charlie=delta:NoSchedule",
  ]);
  assert.deepEqual(files, [file, `${file}.d/test1.yaml`, `${file}.d/test2.yaml`]);
});

Deno.test("config file: key+ on a scalar makes a list of both values", () => {
  const file = configFiles("disable: traefik\n", { "10-more.yml": "disable+: servicelb,metrics-server\n" });
  assert.deepEqual(server([], {}, file).args, ["--disable=traefik", "--disable=servicelb,metrics-server"]);
});

Deno.test("config file: a repeatable flag on the command line replaces the file's whole list", () => {
  const file = configFiles("tls-san: [a.example, b.example]\nbind-address: 10.0.0.1\n");
  assert.deepEqual(server(["--tls-san", "c.example", "--bind-address=127.0.0.1"], {}, file).args, [
    "--bind-address=10.0.0.1",
    "--tls-san",
    "c.example",
    "--bind-address=127.0.0.1",
  ]);
});

Deno.test("config file: a missing default file leaves the arguments alone", () => {
  const file = configFiles(undefined);
  assert.deepEqual(server(["--debug"], {}, file), { args: ["--debug"], files: [] });
});

Deno.test("config file: drop-ins are read even when the main file is missing", () => {
  const file = configFiles(undefined, { "a.yaml": "debug: true\n" });
  assert.deepEqual(server([], {}, file).args, ["--debug=true"]);
});

Deno.test("config file: a missing file named by --config or K3S_CONFIG_FILE is an error naming it", () => {
  const missing = join(mkdtempSync(join(tmpdir(), "k3s-config-")), "nope.yaml");
  for (
    const [args, env] of [[["--config", missing]], [[`-c=${missing}`]], [[], { K3S_CONFIG_FILE: missing }]] as const
  ) {
    assert.throws(
      () => server([...args], { ...env }),
      (error: Error) => error instanceof CliError && error.message === `config file ${missing} does not exist`,
    );
  }
});

Deno.test("config file: K3S_CONFIG_FILE wins over --config, as in K3s", () => {
  const fromEnv = configFiles("bind-address: 10.0.0.1\n");
  const fromFlag = configFiles("bind-address: 10.0.0.2\n");
  assert.deepEqual(server(["-c", fromFlag], { K3S_CONFIG_FILE: fromEnv }).args, [
    "--bind-address=10.0.0.1",
    "-c",
    fromFlag,
  ]);
});

Deno.test("config file: an unknown key is an error naming the key and the file", () => {
  const file = configFiles("debug: true\n", { "50-typo.yaml": "tls-sans: [a]\n" });
  assert.throws(
    () => server([], {}, file),
    (error: Error) =>
      error instanceof CliError &&
      error.message ===
        `unknown key "tls-sans" in config file ${file}.d/50-typo.yaml: k3s server has no --tls-sans flag`,
  );
});

Deno.test("config file: a server-only key is unknown to k3s agent", () => {
  const file = configFiles("cluster-init: true\n");
  assert.throws(
    () => withConfigFileArgs([], { command: "agent", flags: AGENT_FLAGS, env: {}, defaultFile: file }),
    /unknown key "cluster-init" in config file .*: k3s agent has no --cluster-init flag/,
  );
});

Deno.test("config file: values read as Go's yaml.v2 reads them (YAML 1.1)", () => {
  const file = configFiles("write-kubeconfig-mode: 0644\ndebug: yes\nv: 2\nhttps-listen-port: 6443\n");
  assert.deepEqual(server([], {}, file).args, [
    "--write-kubeconfig-mode=420",
    "--debug=true",
    "-v",
    "2",
    "--https-listen-port=6443",
  ]);
});

Deno.test("config file: a short alias works as a key and invalid YAML names the file", () => {
  assert.deepEqual(server([], {}, configFiles("d: /srv/k3s\n")).args, ["--data-dir=/srv/k3s"]);
  const broken = configFiles("tls-san: [a\n");
  assert.throws(() => server([], {}, broken), new RegExp(`config file ${broken} is not valid YAML`));
});
