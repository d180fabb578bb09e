/**
 * Helm 3's charts and values: loading charts (`.tgz`, directories, file lists), Chart.yaml, values coalescing,
 * dependencies (conditions, tags, aliases, import-values), values.schema.json, `.Capabilities` and the render
 * values a release's templates see — plus the YAML that Helm reads and writes (sigs.k8s.io/yaml semantics).
 *
 * @example
 * ```ts
 * import { loadArchive, processDependencies, toRenderValues } from "./mod.ts";
 * const chart = loadArchive(tgz);
 * processDependencies(chart, userValues, { merge: true });
 * const top = toRenderValues(chart, userValues, { name: "web", namespace: "default", revision: 1, isInstall: true, isUpgrade: false });
 * ```
 *
 * @module
 */
export {
  BuildInfo,
  Capabilities,
  defaultCapabilities,
  type DiscoveredGroupVersion,
  HELM_VERSION,
  KubeVersion,
  parseKubeVersion,
  type VersionSet,
  versionSet,
  versionsFromDiscovery,
} from "./capabilities.ts";
export { Chart, type ChartFile } from "./chart.ts";
export { coalesceTables, coalesceValues, mergeTables, mergeValues, type Warn } from "./coalesce.ts";
export { processDependencies } from "./dependencies.ts";
export { loadDirectory } from "./directory.ts";
export { IgnoreRules } from "./ignore.ts";
export { loadArchive, loadArchiveFiles, loadFiles } from "./load.ts";
export { ChartDependency, ChartLock, ChartMetadata, Maintainer } from "./metadata.ts";
export { type ReleaseOptions, type RenderValuesOptions, toRenderValues } from "./render_values.ts";
export { validateAgainstSchema } from "./schema.ts";
export { deepCopy, pathValue, readValues, table, type Values } from "./values.ts";
export { isCompatibleRange, isValidSemver } from "./version.ts";
export { unmarshalYamlArray, unmarshalYamlMap, yamlToJson } from "./yaml/decode.ts";
export { marshalYaml, marshalYamlPretty } from "./yaml/marshal.ts";
