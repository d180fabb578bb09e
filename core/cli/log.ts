/**
 * The `k3s` command's logger: one line per event, the message first and then `key=value` fields
 * naming the objects and reasons involved; debug lines only with `--debug`. Info lines go to
 * stdout unchanged, so the server's progress lines keep their exact text.
 *
 * @module
 */

/** Fields attached to a log line: what it is about and why. */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** A leveled logger. */
export interface Logger {
  /** Whether debug lines are written (`--debug`). */
  readonly debugEnabled: boolean;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Options of {@linkcode createLogger}. */
export interface LoggerOptions {
  /** Write debug lines too. */
  debug?: boolean;
  /** Where info and debug lines go (default: stdout). */
  out?: (line: string) => void;
  /** Where warnings and errors go (default: stderr). */
  err?: (line: string) => void;
}

/**
 * `key=value` pairs, logfmt-style: a value with spaces, quotes or `=` is quoted; unset fields are left out.
 *
 * @example
 * ```ts
 * formatFields({ file: "/etc/rancher/k3s/config.yaml", reason: "not found" });
 * // 'file=/etc/rancher/k3s/config.yaml reason="not found"'
 * ```
 */
export function formatFields(fields: LogFields): string {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const text = String(value);
      return `${key}=${text === "" || /[\s"=\\]/.test(text) ? JSON.stringify(text) : text}`;
    })
    .join(" ");
}

/**
 * A logger writing to stdout/stderr (or the given sinks).
 *
 * @example
 * ```ts
 * const log = createLogger({ debug: options.debug });
 * log.debug("Read config file", { path: "/etc/rancher/k3s/config.yaml" });
 * ```
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const out = options.out ?? ((line: string) => console.log(line));
  const err = options.err ?? ((line: string) => console.error(line));
  const line = (prefix: string, message: string, fields?: LogFields) => {
    const suffix = fields ? formatFields(fields) : "";
    return `${prefix}${message}${suffix ? ` ${suffix}` : ""}`;
  };
  return {
    debugEnabled: options.debug ?? false,
    info: (message, fields) => out(line("", message, fields)),
    debug: (message, fields) => {
      if (options.debug) out(line("DEBUG ", message, fields));
    },
    warn: (message, fields) => err(line("WARN ", message, fields)),
    error: (message, fields) => err(line("ERROR ", message, fields)),
  };
}
