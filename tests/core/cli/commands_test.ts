// `k3s server` and `k3s agent` driven in-process through buildCli(): the config file, the command line
// and the environment merged as K3s merges them, and every flag that is not implemented yet refused.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import type { Command } from "commander";
import { buildCli } from "../../../cli.ts";
import { CliError } from "../../../core/cli/errors.ts";
import type { FlagSpec } from "../../../core/cli/flag.ts";
import { AGENT_FLAGS } from "../../../core/cli/flags/agent.ts";
import { SERVER_FLAGS } from "../../../core/cli/flags/server.ts";

const ALL_ENV = [...new Set([...SERVER_FLAGS, ...AGENT_FLAGS].flatMap((f) => f.env ? [f.env] : []))];

function configFile(text = ""): string {
  const file = join(mkdtempSync(join(tmpdir(), "k3s-cli-")), "config.yaml");
  writeFileSync(file, text);
  return file;
}

/**
 * Parse `args` as `k3s <args>` with exactly `env` among K3s's variables (K3S_CONFIG_FILE defaults to
 * an empty file, so the machine's /etc/rancher/k3s/config.yaml never leaks in); the daemon commands'
 * actions only record their options unless `run` is set.
 */
async function k3s(
  args: string[],
  env: Record<string, string> = {},
  run = false,
): Promise<Record<string, unknown>> {
  const saved = Object.fromEntries(ALL_ENV.map((name) => [name, process.env[name]]));
  for (const name of ALL_ENV) delete process.env[name];
  Object.assign(process.env, { K3S_CONFIG_FILE: configFile(), ...env });
  const cli = buildCli();
  let seen: Record<string, unknown> = {};
  for (const command of cli.commands) {
    command.exitOverride();
    if (!run && (command.name() === "server" || command.name() === "agent")) {
      command.action((options: Record<string, unknown>) => void (seen = options));
    }
  }
  try {
    await cli.parseAsync(args, { from: "user" });
    return seen;
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

function valueOf(spec: FlagSpec): string {
  return { bool: "true", int: "1", duration: "5m", string: "x", list: "x" }[spec.type];
}

function valueFor(spec: FlagSpec): string[] {
  const name = spec.name.length === 1 ? `-${spec.name}` : `--${spec.name}`;
  return spec.type === "bool" ? [name] : [name, valueOf(spec)];
}

const unsupported = (flags: readonly FlagSpec[]) => flags.filter((f) => !f.implemented);

async function assertRefused(promise: Promise<unknown>, flag: string): Promise<void> {
  await assert.rejects(promise, (error: Error) => {
    assert.ok(error instanceof CliError, `${flag}: ${error}`);
    assert.equal(error.message, `not supported yet: ${flag}`);
    return true;
  });
}

Deno.test("k3s server: with nothing set, the defaults are K3s's and nothing is refused", async () => {
  const options = await k3s(["server"]);
  assert.equal(options.httpsListenPort, 6443);
  assert.equal(options.bindAddress, "0.0.0.0");
  assert.equal(options.clusterCidr, "10.42.0.0/16");
  assert.equal(options.serviceCidr, "10.43.0.0/16");
  assert.equal(options.serviceNodePortRange, "30000-32767");
  assert.deepEqual(options.disable, []);
  assert.deepEqual(options.tlsSan, []);
  assert.equal(options.debug, false);
  assert.equal(options.disableAgent, false);
});

Deno.test("k3s server: flags on the command line override the config file", async () => {
  const file = configFile(
    "https-listen-port: 7000\ntls-san: [a.example, b.example]\ndisable: [traefik]\nwrite-kubeconfig-mode: '0644'\n",
  );
  const options = await k3s(["server", "--https-listen-port", "7001", "--tls-san", "c.example"], {
    K3S_CONFIG_FILE: file,
  });
  assert.equal(options.httpsListenPort, 7001);
  assert.deepEqual(options.tlsSan, ["c.example"]);
  assert.deepEqual(options.disable, ["traefik"]);
  assert.equal(options.writeKubeconfigMode, "0644");
});

Deno.test("k3s server: --disable repeats and comma lists make one list", async () => {
  const options = await k3s(["server", "--disable", "traefik,servicelb", "--disable=metrics-server"]);
  assert.deepEqual(options.disable, ["traefik", "servicelb", "metrics-server"]);
});

Deno.test("k3s server: an environment variable sets its option", async () => {
  const options = await k3s(["server"], {
    K3S_DATA_DIR: "/srv/k3s",
    K3S_DATASTORE_ENDPOINT: "postgres://k3s@db/kine",
    K3S_KUBECONFIG_MODE: "0640",
    K3S_DEBUG: "true",
  });
  assert.equal(options.dataDir, "/srv/k3s");
  assert.equal(options.datastoreEndpoint, "postgres://k3s@db/kine");
  assert.equal(options.writeKubeconfigMode, "0640");
  assert.equal(options.debug, true);
});

Deno.test("k3s server: the command line and the config file both beat the environment", async () => {
  const file = configFile("datastore-endpoint: mysql://k3s@db/kine\n");
  const options = await k3s(["server", "-d", "/from/flag"], {
    K3S_CONFIG_FILE: file,
    K3S_DATA_DIR: "/from/env",
    K3S_DATASTORE_ENDPOINT: "postgres://k3s@db/kine",
  });
  assert.equal(options.dataDir, "/from/flag");
  assert.equal(options.datastoreEndpoint, "mysql://k3s@db/kine");
});

Deno.test("k3s server: booleans read Go's true/false, and the last setting wins", async () => {
  const file = configFile("debug: true\ndisable-agent: true\n");
  const options = await k3s(["server", "--debug=false"], { K3S_CONFIG_FILE: file });
  assert.equal(options.debug, false);
  assert.equal(options.disableAgent, true);
  assert.equal((await k3s(["server"], { K3S_DEBUG: "false" })).debug, false);
});

Deno.test("k3s server: a boolean takes Go's --flag=value; its variable is parsed; a bad value names the flag", async () => {
  const file = configFile("debug: false\n");
  assert.equal((await k3s(["server"], { K3S_CONFIG_FILE: file, K3S_DEBUG: "1" })).debug, false);
  assert.equal((await k3s(["server", "--debug=T"])).debug, true);
  assert.equal((await k3s(["server", "--debug", "--https-listen-port", "1"])).httpsListenPort, 1);
  await assert.rejects(
    k3s(["server", "--debug=maybe"]),
    new CliError('invalid boolean value "maybe" for --debug: use true or false'),
  );
  await assert.rejects(
    k3s(["server"], { K3S_DEBUG: "nah" }),
    new CliError('invalid boolean value "nah" for K3S_DEBUG: use true or false'),
  );
  await assertRefused(k3s(["server", "--tls-san-security=false"]), "--tls-san-security");
});

Deno.test("k3s server: every flag not implemented yet is refused with its name when given", async () => {
  const flags = unsupported(SERVER_FLAGS);
  assert.ok(SERVER_FLAGS.length > 100, "the table has K3s's whole flag set");
  for (const spec of flags) {
    await assertRefused(k3s(["server", ...valueFor(spec)]), spec.name.length === 1 ? "-v" : `--${spec.name}`);
  }
});

Deno.test("k3s server: a flag not implemented yet is refused from its environment variable", async () => {
  for (const spec of unsupported(SERVER_FLAGS).filter((f) => f.env)) {
    await assertRefused(k3s(["server"], { [spec.env!]: valueOf(spec) }), `--${spec.name}`);
  }
});

Deno.test("k3s server: a flag not implemented yet is refused from the config file", async () => {
  await assertRefused(k3s(["server"], { K3S_CONFIG_FILE: configFile("cluster-init: true\n") }), "--cluster-init");
  await assertRefused(
    k3s(["server"], { K3S_CONFIG_FILE: configFile("node-external-ip+: [192.0.2.9]\n") }),
    "--node-external-ip",
  );
});

Deno.test("k3s agent: every flag not implemented yet is refused with its name when given", async () => {
  for (const spec of unsupported(AGENT_FLAGS)) {
    await assertRefused(k3s(["agent", ...valueFor(spec)]), spec.name.length === 1 ? "-v" : `--${spec.name}`);
  }
});

Deno.test("k3s agent: without --server or a token it says which flag is missing", async () => {
  await assert.rejects(
    k3s(["agent", "--debug"], {}, true),
    new CliError("--server is required: the URL of a k3s server to join, e.g. --server https://10.0.0.1:6443"),
  );
  await assert.rejects(
    k3s(["agent", "--server", "https://127.0.0.1:6443"], {}, true),
    new CliError("--token or --token-file is required: the server's node-token or agent token"),
  );
});

Deno.test("k3s: --help lists every visible flag of a daemon command with its env var and default", () => {
  const cli = buildCli();
  const help = (name: string) => (cli.commands.find((c) => c.name() === name) as Command).helpInformation();
  const server = help("server");
  assert.match(server, /^USAGE:\n {3}k3s server \[OPTIONS\]$/m);
  assert.match(
    server,
    /^ {3}--config FILE, -c FILE +\(config\) Load configuration from FILE \(default: "\/etc\/rancher\/k3s\/config\.yaml"\) \[\$K3S_CONFIG_FILE\]$/m,
  );
  assert.match(server, /^ {3}--https-listen-port value +\(listener\) HTTPS listen port \(default: 6443\)$/m);
  assert.match(server, /^ {3}--write-kubeconfig value, -o value +\(client\) .* \[\$K3S_KUBECONFIG_OUTPUT\]$/m);
  for (const [name, flags] of [["server", SERVER_FLAGS], ["agent", AGENT_FLAGS]] as const) {
    const text = help(name);
    for (const spec of flags.filter((f) => !f.hidden)) {
      const line = text.split("\n").find((l) => l.startsWith(`   ${spec.name.length === 1 ? "-" : "--"}${spec.name}`));
      assert.ok(line, `${name} --help lists --${spec.name}`);
      if (spec.env) assert.ok(line.endsWith(`[$${spec.env}]`), line);
      if (spec.default !== undefined && spec.default !== false) assert.match(line, /\(default: /, line);
    }
  }
  const top = cli.helpInformation();
  assert.match(top, /^ {3}server +Run management server$/m);
  assert.match(top, /^ {3}--debug +\(logging\) Turn on debug logs$/m);
});

Deno.test("k3s: --help of a daemon command works even when the config file is broken", async () => {
  const cli = buildCli();
  let printed = "";
  for (const command of cli.commands) {
    command.exitOverride().configureOutput({ writeOut: (text) => void (printed += text) });
  }
  const saved = process.env.K3S_CONFIG_FILE;
  process.env.K3S_CONFIG_FILE = configFile("not-a-flag: 1\n");
  try {
    await assert.rejects(cli.parseAsync(["server", "--help"], { from: "user" }), { code: "commander.helpDisplayed" });
  } finally {
    if (saved === undefined) delete process.env.K3S_CONFIG_FILE;
    else process.env.K3S_CONFIG_FILE = saved;
  }
  assert.match(printed, /^NAME:\n {3}k3s server - Run management server\n/);
});
