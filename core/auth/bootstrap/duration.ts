/**
 * Durations as K3s's token commands read and print them: Go's `time.ParseDuration` for `--ttl 24h`,
 * and apimachinery's `ShortHumanDuration` for the TTL column of `k3s token list`.
 *
 * @module
 */

const UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3,
  "μs": 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Milliseconds in a Go duration (`1h30m`, `90s`, `0`); throws Go's messages for anything else.
 *
 * @example
 * ```ts
 * parseGoDuration("24h"); // 86_400_000
 * parseGoDuration("1.5m"); // 90_000
 * ```
 */
export function parseGoDuration(text: string): number {
  const invalid = () => new Error(`time: invalid duration "${text}"`);
  let rest = text;
  let sign = 1;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    sign = rest[0] === "-" ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") throw invalid();
  let total = 0;
  while (rest !== "") {
    const number = /^(\d*)(?:\.(\d*))?/.exec(rest)!;
    if (number[0] === "" || number[0] === ".") throw invalid();
    rest = rest.slice(number[0].length);
    const unit = /^[^\d.]*/.exec(rest)![0];
    if (unit === "") throw new Error(`time: missing unit in duration "${text}"`);
    const scale = UNITS_MS[unit];
    if (scale === undefined) throw new Error(`time: unknown unit "${unit}" in duration "${text}"`);
    total += Number(number[0]) * scale;
    rest = rest.slice(unit.length);
  }
  return sign * total;
}

/**
 * A duration in its largest whole unit, as `kubectl` and `k3s token list` print ages and TTLs.
 *
 * @example
 * ```ts
 * shortHumanDuration(23 * 3_600_000 + 59 * 60_000); // "23h"
 * shortHumanDuration(3 * 86_400_000); // "3d"
 * ```
 */
export function shortHumanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(hours / 24 / 365)}y`;
}
