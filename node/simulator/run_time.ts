/**
 * How long a simulated container "runs": the `sleep N` its command line asks for. Simulated nodes start
 * no processes, so a `sleep` is the one thing a pod's command says that they can honour.
 *
 * @module
 */

const UNITS: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86400 };
const SLEEP = /(?:^|[\s;&|(`])sleep\s+(infinity|\d+(?:\.\d+)?)([smhd]?)(?=$|[\s;&|)`])/;

/**
 * Seconds the container's command line sleeps (the first `sleep` found in `command` and `args`),
 * `Infinity` for `sleep infinity`, `undefined` when it does not sleep.
 *
 * @example
 * ```ts
 * sleepSeconds({ command: ["sleep", "1"] }); // 1
 * sleepSeconds({ command: ["sh", "-c", "sleep 2; echo done"] }); // 2
 * sleepSeconds({ args: ["sleep", "1m"] }); // 60
 * sleepSeconds({ command: ["nginx"] }); // undefined
 * ```
 */
export function sleepSeconds(container: { command?: string[]; args?: string[] }): number | undefined {
  const line = [...(container.command ?? []), ...(container.args ?? [])].join(" ");
  const match = SLEEP.exec(line);
  if (!match) return undefined;
  if (match[1] === "infinity") return Infinity;
  return Number(match[1]) * UNITS[match[2]];
}
