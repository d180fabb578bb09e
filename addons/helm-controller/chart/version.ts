/**
 * The two semver questions Helm asks of charts (Masterminds/semver v3, shared with Sprig): is a chart's version
 * valid, and does a version satisfy a constraint (`chartutil.IsCompatibleRange`, for dependency versions and
 * `kubeVersion`).
 *
 * @module
 */

import { checkConstraints, parseConstraints, Version } from "../sprig/semver.ts";

/**
 * Whether `version` parses as Masterminds' `NewVersion` accepts it (`1.2.3`, `v1.2`, `1.0.0-rc.1+build`).
 *
 * @example
 * ```ts
 * isValidSemver("0.1.0"); // true
 * isValidSemver("latest"); // false
 * ```
 */
export function isValidSemver(version: string): boolean {
  try {
    Version.parse(version);
    return true;
  } catch {
    return false;
  }
}

/**
 * `chartutil.IsCompatibleRange`: false when either the version or the constraint does not parse.
 *
 * @example
 * ```ts
 * isCompatibleRange(">=1.25.0-0", "v1.32.0+k3s1"); // true
 * isCompatibleRange("", "1.0.0"); // false: an empty constraint is improper
 * ```
 */
export function isCompatibleRange(constraint: string, version: string): boolean {
  try {
    return checkConstraints(parseConstraints(constraint), Version.parse(version));
  } catch {
    return false;
  }
}
