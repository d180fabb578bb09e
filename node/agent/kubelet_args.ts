/**
 * `--kubelet-arg key=value`: the kubelet flags this agent honours. An unknown key stops the start with a message, so
 * a setting is never silently ignored.
 *
 * @module
 */

/** The kubelet settings that `--kubelet-arg` can change. */
export interface KubeletArgs {
  rootDir: string;
  podLogsDir: string;
  port: number;
  maxPods: number;
}

/** Upstream's defaults. */
export const KUBELET_DEFAULTS: KubeletArgs = {
  rootDir: "/var/lib/kubelet",
  podLogsDir: "/var/log/pods",
  port: 10250,
  maxPods: 110,
};

/**
 * Parse `--kubelet-arg` values (`root-dir=/x`, `--max-pods=50` — with or without the dashes, as K3s accepts them).
 *
 * @example
 * ```ts
 * parseKubeletArgs(["root-dir=/tmp/kubelet", "max-pods=50"]).maxPods; // 50
 * ```
 */
export function parseKubeletArgs(values: string[]): KubeletArgs {
  const args = { ...KUBELET_DEFAULTS };
  for (const raw of values) {
    const text = raw.replace(/^--?/, "");
    const eq = text.indexOf("=");
    const key = eq < 0 ? text : text.slice(0, eq);
    const value = eq < 0 ? "" : text.slice(eq + 1);
    const number = () => {
      if (!/^\d+$/.test(value)) {
        throw new Error(`invalid value "${value}" for --kubelet-arg ${key}: a number is expected`);
      }
      return Number(value);
    };
    switch (key) {
      case "root-dir":
        args.rootDir = value;
        break;
      case "pod-logs-dir":
        args.podLogsDir = value;
        break;
      case "port":
        args.port = number();
        break;
      case "max-pods":
        args.maxPods = number();
        break;
      default:
        throw new Error(
          `not supported yet: --kubelet-arg ${key} (supported: root-dir, pod-logs-dir, port, max-pods)`,
        );
    }
  }
  return args;
}

/**
 * Parse a `--node-taint` value, `key[=value]:Effect`.
 *
 * @example
 * ```ts
 * parseTaint("dedicated=gpu:NoSchedule"); // { key: "dedicated", value: "gpu", effect: "NoSchedule" }
 * ```
 */
export function parseTaint(text: string): { key: string; value?: string; effect: string } {
  const colon = text.lastIndexOf(":");
  const effect = colon < 0 ? "" : text.slice(colon + 1);
  if (!["NoSchedule", "PreferNoSchedule", "NoExecute"].includes(effect)) {
    throw new Error(`invalid --node-taint "${text}": the effect must be NoSchedule, PreferNoSchedule or NoExecute`);
  }
  const [key, value] = text.slice(0, colon).split("=", 2);
  return value === undefined ? { key, effect } : { key, value, effect };
}

/**
 * Parse a `--node-label` value, `key=value`.
 *
 * @example
 * ```ts
 * parseLabel("zone=a"); // ["zone", "a"]
 * ```
 */
export function parseLabel(text: string): [string, string] {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new Error(`invalid --node-label "${text}": expected key=value`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}
