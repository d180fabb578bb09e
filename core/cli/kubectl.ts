/**
 * `k3s kubectl …`: runs the machine's kubectl with every argument passed through, pointed at this
 * server's admin kubeconfig when the user named none, as K3s's embedded kubectl does
 * (`pkg/kubectl/main.go`). The same happens when this program is installed as `kubectl` (K3s's
 * multicall binary).
 *
 * @module
 */
import { spawn } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { constants as os } from "node:os";
import { basename } from "node:path";
import process from "node:process";
import { Command } from "commander";
import { defaultKubeconfigPath } from "../kubeconfig/mod.ts";
import { CliError } from "./errors.ts";
import { lookPath } from "./lookpath.ts";

/** Environment variables, as `process.env` holds them. */
export type Environment = Record<string, string | undefined>;

/** Options of {@linkcode runKubectl}. */
export interface KubectlOptions {
  /** The environment kubectl starts from (default: this process's). */
  env?: Environment;
  /** The admin kubeconfig to default to (default: where `k3s server` writes it). */
  defaultKubeconfig?: string;
  /** Files that are this program, never run as kubectl (default: the running executable and script). */
  self?: readonly string[];
  /** Where a warning goes (default: stderr). */
  warn?: (line: string) => void;
}

function namesKubeconfig(args: readonly string[]): boolean {
  return args.some((arg) => arg === "--kubeconfig" || arg.startsWith("--kubeconfig="));
}

/**
 * The environment kubectl runs with: KUBECONFIG set to `defaultKubeconfig` when neither KUBECONFIG
 * nor `--kubeconfig` names one and that file exists (K3s sets it only then, so kubectl's own
 * default `~/.kube/config` still applies on machines without a server).
 *
 * @example
 * ```ts
 * kubectlEnvironment(["get", "ns"], {}, "/etc/rancher/k3s/k3s.yaml").KUBECONFIG; // "/etc/rancher/k3s/k3s.yaml"
 * ```
 */
export function kubectlEnvironment(
  args: readonly string[],
  env: Environment,
  defaultKubeconfig: string,
  warn: (line: string) => void = (line) => console.error(line),
): Environment {
  if (env.KUBECONFIG || namesKubeconfig(args) || !existsSync(defaultKubeconfig)) return { ...env };
  try {
    accessSync(defaultKubeconfig, constants.R_OK);
  } catch {
    warn(
      `k3s: cannot read ${defaultKubeconfig}; start the server with --write-kubeconfig-mode to let this user read it`,
    );
  }
  return { ...env, KUBECONFIG: defaultKubeconfig };
}

/**
 * Run kubectl from PATH with `args`, inheriting stdio; resolves to its exit code (128 + the signal
 * number when a signal ended it). Throws a CliError when no kubectl is on PATH.
 *
 * @example
 * ```ts
 * process.exitCode = await runKubectl(["get", "nodes"]);
 * ```
 */
export async function runKubectl(args: readonly string[], options: KubectlOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const self = options.self ?? [process.execPath, process.argv[1] ?? ""];
  const kubectl = lookPath("kubectl", { path: env.PATH ?? "", skip: self });
  if (!kubectl) throw new CliError("kubectl not found on PATH; install kubectl to use k3s kubectl");
  const child = spawn(kubectl, [...args], {
    stdio: "inherit",
    env: kubectlEnvironment(args, env, options.defaultKubeconfig ?? defaultKubeconfigPath(), options.warn),
  });
  // Like a shell: signals meant for the command reach kubectl, which decides when to stop.
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of signals) process.on(signal, forward);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once("error", (error) => reject(new CliError(`cannot run ${kubectl}: ${error.message}`)));
      child.once("exit", (code, signal) => resolve(code ?? 128 + (signal ? os.signals[signal] : 0)));
    });
  } finally {
    for (const signal of signals) process.off(signal, forward);
  }
}

/**
 * The program a multicall binary should act as, from the name it was started under
 * (`kubectl` when installed as kubectl), or `undefined` for plain `k3s`.
 *
 * @example
 * ```ts
 * multicallName("/usr/local/bin/kubectl"); // "kubectl"
 * ```
 */
export function multicallName(argv0: string): "kubectl" | undefined {
  return basename(argv0) === "kubectl" ? "kubectl" : undefined;
}

/**
 * The `k3s kubectl` subcommand: no options of its own, so `k3s kubectl --help` is kubectl's help.
 *
 * @example
 * ```ts
 * program.addCommand(kubectlCommand());
 * ```
 */
export function kubectlCommand(): Command {
  return new Command("kubectl")
    .description("Run kubectl")
    .usage("[kubectl arguments...]")
    .helpOption(false)
    .allowUnknownOption()
    .passThroughOptions()
    .argument("[args...]")
    .action(async (_args: string[], _options: unknown, command: Command) => {
      process.exitCode = await runKubectl(command.args);
    });
}
