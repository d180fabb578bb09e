/**
 * The `helm.cattle.io/v1` CRDs, `HelmChart` and `HelmChartConfig`, with the schemas and printer columns K3s 1.32's
 * helm-controller (v0.16) registers. The manifests controller ensures them so manifest files may hold HelmCharts before
 * any Helm controller runs; the Helm controller ensures the same definitions.
 *
 * @module
 */
import type { CustomResourceDefinition, JSONSchemaProps } from "../../core/apiextensions/mod.ts";

const string: JSONSchemaProps = { type: "string" };
const boolean: JSONSchemaProps = { type: "boolean" };
const int32: JSONSchemaProps = { type: "integer", format: "int32" };
const int64: JSONSchemaProps = { type: "integer", format: "int64" };

function object(properties: Record<string, JSONSchemaProps>, required?: string[]): JSONSchemaProps {
  return { type: "object", properties, ...(required ? { required } : {}) };
}

function atomicList(items: JSONSchemaProps): JSONSchemaProps {
  return { type: "array", items, "x-kubernetes-list-type": "atomic" };
}

/** `corev1.LocalObjectReference`: a Secret or ConfigMap in the chart's namespace. */
const localObjectReference: JSONSchemaProps = { ...object({ name: string }), "x-kubernetes-map-type": "atomic" };

const seLinuxOptions = object({ level: string, role: string, type: string, user: string });
const profile = object({ localhostProfile: string, type: string }, ["type"]);
const windowsOptions = object({
  gmsaCredentialSpec: string,
  gmsaCredentialSpecName: string,
  hostProcess: boolean,
  runAsUserName: string,
});

/** `corev1.PodSecurityContext` (Kubernetes 1.32). */
const podSecurityContext = object({
  appArmorProfile: profile,
  fsGroup: int64,
  fsGroupChangePolicy: string,
  runAsGroup: int64,
  runAsNonRoot: boolean,
  runAsUser: int64,
  seLinuxChangePolicy: string,
  seLinuxOptions,
  seccompProfile: profile,
  supplementalGroups: atomicList(int64),
  supplementalGroupsPolicy: string,
  sysctls: atomicList(object({ name: string, value: string }, ["name", "value"])),
  windowsOptions,
});

/** `corev1.SecurityContext` (Kubernetes 1.32). */
const securityContext = object({
  allowPrivilegeEscalation: boolean,
  appArmorProfile: profile,
  capabilities: object({ add: atomicList(string), drop: atomicList(string) }),
  privileged: boolean,
  procMount: string,
  readOnlyRootFilesystem: boolean,
  runAsGroup: int64,
  runAsNonRoot: boolean,
  runAsUser: int64,
  seLinuxOptions,
  seccompProfile: profile,
  windowsOptions,
});

const helmChartSpec = object({
  targetNamespace: string,
  createNamespace: boolean,
  chart: string,
  version: string,
  repo: string,
  repoCA: string,
  repoCAConfigMap: localObjectReference,
  set: {
    type: "object",
    additionalProperties: { anyOf: [{ type: "integer" }, { type: "string" }], "x-kubernetes-int-or-string": true },
  },
  valuesContent: string,
  helmVersion: string,
  bootstrap: boolean,
  chartContent: string,
  jobImage: string,
  backOffLimit: int32,
  timeout: string,
  failurePolicy: string,
  authSecret: localObjectReference,
  authPassCredentials: boolean,
  insecureSkipTLSVerify: boolean,
  plainHTTP: boolean,
  dockerRegistrySecret: localObjectReference,
  podSecurityContext,
  securityContext,
});

const helmChartStatus = object({
  jobName: string,
  conditions: {
    type: "array",
    items: object({ type: string, status: string, reason: string, message: string }, ["type", "status"]),
  },
});

function root(properties: Record<string, JSONSchemaProps>): JSONSchemaProps {
  return object({ apiVersion: string, kind: string, metadata: { type: "object" }, ...properties });
}

/** Printer columns in the order helm-controller declares them (`kubectl get helmcharts`). */
const HELM_CHART_COLUMNS = [
  ["Job", ".status.jobName"],
  ["Chart", ".spec.chart"],
  ["TargetNamespace", ".spec.targetNamespace"],
  ["Version", ".spec.version"],
  ["Repo", ".spec.repo"],
  ["HelmVersion", ".spec.helmVersion"],
  ["Bootstrap", ".spec.bootstrap"],
].map(([name, jsonPath]) => ({ name, type: "string", jsonPath }));

function namespacedCrd(
  kind: string,
  version: CustomResourceDefinition["spec"]["versions"][number],
): CustomResourceDefinition {
  const plural = `${kind.toLowerCase()}s`;
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${plural}.helm.cattle.io` },
    spec: {
      group: "helm.cattle.io",
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      scope: "Namespaced",
      versions: [version],
    },
  };
}

/**
 * `helmcharts.helm.cattle.io` and `helmchartconfigs.helm.cattle.io`.
 *
 * @example
 * ```ts
 * for (const crd of HELM_CHART_CRDS) await ensureCustomResourceDefinition(client, crd);
 * ```
 */
export const HELM_CHART_CRDS: readonly CustomResourceDefinition[] = [
  namespacedCrd("HelmChart", {
    name: "v1",
    served: true,
    storage: true,
    subresources: { status: {} },
    additionalPrinterColumns: HELM_CHART_COLUMNS,
    schema: { openAPIV3Schema: root({ spec: helmChartSpec, status: helmChartStatus }) },
  }),
  namespacedCrd("HelmChartConfig", {
    name: "v1",
    served: true,
    storage: true,
    schema: { openAPIV3Schema: root({ spec: object({ valuesContent: string, failurePolicy: string }) }) },
  }),
];
