/**
 * K3s's config file (`pkg/configfilearg`): `/etc/rancher/k3s/config.yaml` (or `--config`/`-c`, or
 * `K3S_CONFIG_FILE`) and the drop-ins in `<config>.d/*.yaml`, turned into `--key=value` arguments
 * inserted right after the subcommand, so one parse sees the file's settings and then the command
 * line's, and the command line wins.
 *
 * The rules, as K3s has them: keys are flag names without dashes; a list gives one argument per
 * item; files are read main file first, then drop-ins in lexical order, and a later file's value
 * replaces an earlier one, except that a `key+:` appends to the value built so far; a repeatable
 * flag given on the command line replaces the file's whole list (`docs/installation/configuration.md`).
 * YAML is read as YAML 1.1, as Go's yaml.v2 reads it (`0644` is octal, `yes` is true).
 *
 * Two deliberate differences from K3s: a key that names no flag of the command is an error naming
 * the key and the file (K3s warns and skips it for `server`), and a missing file named explicitly by
 * `--config` or `K3S_CONFIG_FILE` is an error (newer K3s ignores it silently).
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { parseDocument } from "yaml";
import { CliError } from "./errors.ts";
import type { FlagSpec } from "./flag.ts";
import { DEFAULT_CONFIG_FILE } from "./flags/common.ts";

/** What {@linkcode withConfigFileArgs} needs to know besides the arguments. */
export interface ConfigFileOptions {
  /** The subcommand, for messages (`server`). */
  command: string;
  /** The subcommand's flags: the keys a config file may use. */
  flags: readonly FlagSpec[];
  /** Where `K3S_CONFIG_FILE` is looked up (default: the process environment). */
  env?: Record<string, string | undefined>;
  /** The config file when nothing names one (default `/etc/rancher/k3s/config.yaml`). */
  defaultFile?: string;
}

/** The merged arguments, and the files they came from (for debug logs). */
export interface ConfigFileArgs {
  args: string[];
  files: string[];
}

type Value = unknown;

/** Which file to read, and whether the user named it (then it must exist). K3s: the variable beats the flag. */
function configFileOf(args: readonly string[], env: Record<string, string | undefined>, fallback: string) {
  if (env.K3S_CONFIG_FILE) return { file: env.K3S_CONFIG_FILE, explicit: true };
  for (let i = 0; i < args.length && args[i] !== "--"; i++) {
    for (const flag of ["--config", "-c"]) {
      if (args[i] === flag) return { file: args[i + 1] ?? "", explicit: true };
      if (args[i].startsWith(`${flag}=`)) return { file: args[i].slice(flag.length + 1), explicit: true };
    }
  }
  return { file: fallback, explicit: false };
}

function dropIns(file: string): string[] {
  const dir = `${file}.d`;
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) throw new CliError(`config drop-in folder ${dir} is not a folder`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !entry.isDirectory() && /\.ya?ml$/i.test(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((name) => join(dir, name));
}

function readMapping(file: string): Map<unknown, Value> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`cannot read config file ${file}: ${(error as Error).message}`);
  }
  const document = parseDocument(text, { version: "1.1" });
  if (document.errors.length > 0) {
    throw new CliError(`config file ${file} is not valid YAML: ${document.errors[0].message.split("\n")[0]}`);
  }
  const data = document.toJS({ mapAsMap: true }) as unknown;
  if (data === null || data === undefined) return new Map();
  if (!(data instanceof Map)) throw new CliError(`config file ${file} must be a mapping of flag names to values`);
  return data;
}

/** wrangler's `convert.ToString`, which K3s applies to every value: a list's first item, trimmed. */
function toText(value: Value, key: string, file: string): string {
  if (Array.isArray(value)) return value.length === 0 ? "" : toText(value[0], key, file);
  if (value === null || value === undefined) return "";
  if (value instanceof Map) throw new CliError(`config file ${file}: the value of "${key}" must be a value or a list`);
  if (value instanceof Date) return value.toISOString().replace(".000Z", "Z");
  return String(value).trim();
}

/** K3s's `toSlice`, for `key+:` — a string is one item, a list its items, anything else its text. */
function toList(value: Value, key: string, file: string): Value[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value;
  const text = toText(value, key, file);
  return text === "" ? [] : [text];
}

function flagNamed(flags: readonly FlagSpec[], key: string): FlagSpec | undefined {
  return flags.find((spec) => spec.name === key || spec.short === key);
}

/** The flags the command line itself sets, by name: their file values give way. */
function namesOnCommandLine(args: readonly string[], flags: readonly FlagSpec[]): Set<string> {
  const names = new Set<string>();
  for (const arg of args) {
    if (arg === "--") break;
    const match = /^--([^=]+)/.exec(arg) ?? /^-([^-=])/.exec(arg);
    const spec = match ? flagNamed(flags, match[1]) : undefined;
    if (spec) names.add(spec.name);
  }
  return names;
}

function argument(spec: FlagSpec, text: string): string[] {
  // A one-letter flag goes as two items: commander reads `-v=2` as the value "=2".
  return spec.name.length === 1 ? [`-${spec.name}`, text] : [`--${spec.name}=${text}`];
}

/**
 * The subcommand's arguments with the config file's settings in front of them, as K3s's
 * `configfilearg.MustParse` builds them.
 *
 * @example
 * ```ts
 * // config.yaml: "tls-san: [a, b]\nwrite-kubeconfig-mode: '0644'"
 * withConfigFileArgs(["--debug"], { command: "server", flags: SERVER_FLAGS }).args;
 * // ["--tls-san=a", "--tls-san=b", "--write-kubeconfig-mode=0644", "--debug"]
 * ```
 */
export function withConfigFileArgs(args: readonly string[], options: ConfigFileOptions): ConfigFileArgs {
  const { file, explicit } = configFileOf(args, options.env ?? process.env, options.defaultFile ?? DEFAULT_CONFIG_FILE);
  if (file === "") return { args: [...args], files: [] };
  const mainExists = existsSync(file);
  if (mainExists && statSync(file).isDirectory()) throw new CliError(`config file ${file} is a directory`);
  const files = [...(mainExists ? [file] : []), ...dropIns(file)];
  if (files.length === 0) {
    if (explicit) throw new CliError(`config file ${file} does not exist`);
    return { args: [...args], files: [] };
  }
  const values = new Map<string, { spec: FlagSpec; value: Value; file: string }>();
  for (const path of files) {
    for (const [rawKey, value] of readMapping(path)) {
      const text = String(rawKey).trim();
      const key = text.endsWith("+") ? text.slice(0, -1) : text;
      const spec = flagNamed(options.flags, key);
      if (!spec) {
        throw new CliError(`unknown key "${key}" in config file ${path}: k3s ${options.command} has no --${key} flag`);
      }
      const previous = values.get(spec.name);
      const merged = previous && text.endsWith("+")
        ? [...toList(previous.value, key, previous.file), ...toList(value, key, path)]
        : value;
      values.set(spec.name, { spec, value: merged, file: path });
    }
  }
  const given = namesOnCommandLine(args, options.flags);
  const fromFiles: string[] = [];
  for (const { spec, value, file } of values.values()) {
    if (spec.type === "list" && given.has(spec.name)) continue;
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) fromFiles.push(...argument(spec, toText(item, spec.name, file)));
  }
  return { args: [...fromFiles, ...args], files };
}
