/**
 * The flags every K3s daemon command starts with: the config file and logging
 * (`pkg/cli/cmds/config.go`, `log.go`, `debug.go`).
 *
 * @module
 */
import type { FlagSpec } from "../flag.ts";

/** Where K3s reads its config file unless `--config` or `K3S_CONFIG_FILE` says otherwise. */
export const DEFAULT_CONFIG_FILE = "/etc/rancher/k3s/config.yaml";

/** `--config` and the logging flags, in K3s's order. */
export const COMMON_FLAGS: readonly FlagSpec[] = [
  {
    name: "config",
    short: "c",
    usage: "(config) Load configuration from FILE",
    env: "K3S_CONFIG_FILE",
    type: "string",
    default: DEFAULT_CONFIG_FILE,
    placeholder: "FILE",
    implemented: true,
  },
  { name: "debug", usage: "(logging) Turn on debug logs", env: "K3S_DEBUG", type: "bool", implemented: true },
  { name: "v", usage: "(logging) Number for the log level verbosity", type: "int", default: 0, implemented: false },
  {
    name: "vmodule",
    usage: "(logging) Comma-separated list of FILE_PATTERN=LOG_LEVEL settings for file-filtered logging",
    type: "string",
    implemented: false,
  },
  { name: "log", short: "l", usage: "(logging) Log to file", type: "string", implemented: false },
  {
    name: "alsologtostderr",
    usage: "(logging) Log to standard error as well as file (if set)",
    type: "bool",
    implemented: false,
  },
];
