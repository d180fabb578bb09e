/**
 * Helm's `chartutil.ToRenderValues`: the top-level data every template of a release sees — `.Values` (user
 * values coalesced over the chart's defaults, checked against values.schema.json), `.Release`, `.Chart` and
 * `.Capabilities`.
 *
 * @module
 */

import { type Capabilities, defaultCapabilities } from "./capabilities.ts";
import type { Chart } from "./chart.ts";
import { coalesceValues, type Warn } from "./coalesce.ts";
import { validateAgainstSchema } from "./schema.ts";
import type { Values } from "./values.ts";

/** `chartutil.ReleaseOptions`: what `.Release` says about the release being rendered. */
export interface ReleaseOptions {
  name: string;
  namespace: string;
  revision: number;
  isUpgrade: boolean;
  isInstall: boolean;
}

/** Options of {@link toRenderValues}. */
export interface RenderValuesOptions {
  capabilities?: Capabilities;
  skipSchemaValidation?: boolean;
  warn?: Warn;
}

/**
 * The render values for `chart` with the user's `values`. Throws Helm's
 * `values don't meet the specifications of the schema(s) in the following chart(s):` error when the schema
 * check fails.
 *
 * @example
 * ```ts
 * const top = toRenderValues(chart, { replicas: 3 }, { name: "web", namespace: "default", revision: 1, isInstall: true, isUpgrade: false });
 * top.Release; // { Name: "web", Namespace: "default", IsUpgrade: false, IsInstall: true, Revision: 1n, Service: "Helm" }
 * ```
 */
export function toRenderValues(
  chart: Chart,
  values: Values | null,
  release: ReleaseOptions,
  options: RenderValuesOptions = {},
): Values {
  const top: Values = {
    Chart: chart.metadata,
    Capabilities: options.capabilities ?? defaultCapabilities(),
    Release: {
      Name: release.name,
      Namespace: release.namespace,
      IsUpgrade: release.isUpgrade,
      IsInstall: release.isInstall,
      Revision: BigInt(release.revision),
      Service: "Helm",
    },
  };
  const coalesced = coalesceValues(chart, values, options.warn);
  if (!options.skipSchemaValidation) {
    const report = validateAgainstSchema(chart, coalesced);
    if (report !== "") {
      throw new Error(`values don't meet the specifications of the schema(s) in the following chart(s):\n${report}`);
    }
  }
  top.Values = coalesced;
  return top;
}
