/**
 * How flag values are read, in Go's words where K3s relies on Go's parsing (`strconv.ParseBool`,
 * `flag.Int`): each function turns the text of one value into the option's value or throws
 * commander's InvalidArgumentError with what was expected (`parseBool` answers `undefined`, so its
 * callers can name the flag or variable).
 *
 * @module
 */
import { InvalidArgumentError } from "commander";
import { isIPv4 } from "node:net";

/**
 * Go's `strconv.ParseBool`, which K3s's boolean flags use for `--flag=value`, the config file and
 * the environment; an empty value is false, as urfave/cli reads an empty variable. `undefined`
 * when the text is none of Go's spellings.
 *
 * @example
 * ```ts
 * parseBool("T"); // true
 * parseBool("0"); // false
 * ```
 */
export function parseBool(value: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) return true;
  if (["", "0", "f", "F", "FALSE", "false", "False"].includes(value)) return false;
  return undefined;
}

/**
 * A decimal integer, as Go's `flag.Int` reads it.
 *
 * @example
 * ```ts
 * parseInteger("5"); // 5
 * ```
 */
export function parseInteger(value: string): number {
  const n = Number(value);
  if (!/^[+-]?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError("must be an integer");
  }
  return n;
}

/**
 * A TCP port number, 0 to 65535 (0 lets the system pick one).
 *
 * @example
 * ```ts
 * parsePort("6443"); // 6443
 * ```
 */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535) throw new InvalidArgumentError("must be a port number (0-65535)");
  return n;
}

/**
 * A count of things: a non-negative integer.
 *
 * @example
 * ```ts
 * parseCount("3"); // 3
 * ```
 */
export function parseCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError("must be a non-negative integer");
  }
  return n;
}

/**
 * An IPv4 network in CIDR notation; this server is IPv4-only, so a K3s dual-stack list is refused here.
 *
 * @example
 * ```ts
 * parseIPv4CIDR("10.42.0.0/16"); // "10.42.0.0/16"
 * ```
 */
export function parseIPv4CIDR(value: string): string {
  const [ip, prefix, ...rest] = value.split("/");
  if (rest.length > 0 || !isIPv4(ip) || !/^\d{1,2}$/.test(prefix ?? "") || Number(prefix) > 32) {
    throw new InvalidArgumentError("must be an IPv4 CIDR such as 10.42.0.0/16");
  }
  return value;
}

/**
 * A Go duration such as `5m0s`, `90s` or `1h30m`.
 *
 * @example
 * ```ts
 * parseDuration("5m0s"); // "5m0s"
 * ```
 */
export function parseDuration(value: string): string {
  if (!/^[+-]?(\d+(\.\d*)?(ns|us|µs|ms|s|m|h))+$/.test(value) && value !== "0") {
    throw new InvalidArgumentError("must be a duration such as 5m0s");
  }
  return value;
}
