// Patch metadata from the 1.32 OpenAPI definitions: nested types resolve along $refs, the extension data is
// exactly the published set of patch strategies and merge keys, and kinds without a schema are recognised.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { OpenAPI } from "../../../core/openapi/openapi.ts";
import {
  FREE_FORM,
  patchMetaAt,
  patchMetaFor,
  patchMetaFromDefinitions,
  supportsStrategicMerge,
} from "../../../core/patch/meta.ts";

const definitions: Record<string, { properties?: Record<string, Record<string, unknown>> }> =
  JSON.parse(new OpenAPI().v2().json).definitions;

const merge = (mergeKey = "") => ({ strategy: "merge", mergeKey });

Deno.test("patch meta: a Deployment resolves merge keys through its pod template to containers and their lists", () => {
  const deployment = patchMetaFor("apps", "v1", "Deployment");
  const expected: Record<string, { strategy: string; mergeKey: string }> = {
    "metadata.finalizers": merge(),
    "metadata.ownerReferences": merge("uid"),
    "metadata.labels": { strategy: "", mergeKey: "" },
    "spec.strategy": { strategy: "retainKeys", mergeKey: "" },
    "spec.template.metadata.ownerReferences": merge("uid"),
    "spec.template.spec.containers": merge("name"),
    "spec.template.spec.initContainers": merge("name"),
    "spec.template.spec.containers.ports": merge("containerPort"),
    "spec.template.spec.containers.env": merge("name"),
    "spec.template.spec.containers.volumeMounts": merge("mountPath"),
    "spec.template.spec.initContainers.volumeDevices": merge("devicePath"),
    "spec.template.spec.volumes": { strategy: "merge,retainKeys", mergeKey: "name" },
    "spec.template.spec.tolerations": { strategy: "", mergeKey: "" },
    "spec.template.spec.containers.args": { strategy: "", mergeKey: "" },
    "spec.template.spec.imagePullSecrets": merge("name"),
    "spec.template.spec.topologySpreadConstraints": merge("topologyKey"),
    "status.conditions": merge("type"),
  };
  for (const [path, meta] of Object.entries(expected)) assert.deepEqual(patchMetaAt(deployment, path), meta, path);
});

Deno.test("patch meta: other kinds (Service ports, Node podCIDRs, PDB selector, webhooks, CRD validations)", () => {
  assert.deepEqual(patchMetaAt(patchMetaFor("", "v1", "Service"), "spec.ports"), merge("port"));
  assert.deepEqual(patchMetaAt(patchMetaFor("", "v1", "Node"), "spec.podCIDRs"), merge());
  assert.deepEqual(patchMetaAt(patchMetaFor("", "v1", "ServiceAccount"), "secrets"), merge("name"));
  assert.deepEqual(
    patchMetaAt(patchMetaFor("batch", "v1", "CronJob"), "spec.jobTemplate.spec.template.spec.containers"),
    merge("name"),
  );
  assert.deepEqual(patchMetaAt(patchMetaFor("policy", "v1", "PodDisruptionBudget"), "spec.selector"), {
    strategy: "replace",
    mergeKey: "",
  });
  assert.deepEqual(
    patchMetaAt(
      patchMetaFor("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration"),
      "webhooks.matchConditions",
    ),
    merge("name"),
  );
  // `properties` is a map of JSONSchemaProps: any key leads to the nested schema's fields.
  assert.deepEqual(
    patchMetaAt(
      patchMetaFor("apiextensions.k8s.io", "v1", "CustomResourceDefinition"),
      "spec.versions.schema.openAPIV3Schema.properties.spec.properties.replicas.x-kubernetes-validations",
    ),
    merge("rule"),
  );
});

Deno.test("patch meta: free-form values (ConfigMap data, labels, RawExtension) have no metadata at any depth", () => {
  const configMap = patchMetaFor("", "v1", "ConfigMap");
  assert.deepEqual(patchMetaAt(configMap, "data.anything"), { strategy: "", mergeKey: "" });
  assert.deepEqual(patchMetaAt(configMap, "metadata.labels.app"), { strategy: "", mergeKey: "" });
  assert.ok(patchMetaFor("apps", "v1", "ControllerRevision").field("data").value === FREE_FORM);
  assert.ok(configMap.field("noSuchField").value === FREE_FORM);
});

/** Every field carrying patch metadata in the served 1.32 definitions, as `Type.field strategy [mergeKey]`. */
const PUBLISHED = `
admissionregistration.v1.MutatingWebhook.matchConditions merge name
admissionregistration.v1.MutatingWebhookConfiguration.webhooks merge name
admissionregistration.v1.ValidatingAdmissionPolicySpec.matchConditions merge name
admissionregistration.v1.ValidatingAdmissionPolicySpec.variables merge name
admissionregistration.v1.ValidatingWebhook.matchConditions merge name
admissionregistration.v1.ValidatingWebhookConfiguration.webhooks merge name
apps.v1.DaemonSetStatus.conditions merge type
apps.v1.DeploymentSpec.strategy retainKeys
apps.v1.DeploymentStatus.conditions merge type
apps.v1.ReplicaSetStatus.conditions merge type
apps.v1.StatefulSetStatus.conditions merge type
autoscaling.v2.HorizontalPodAutoscalerStatus.conditions merge type
batch.v1.JobStatus.conditions merge type
core.v1.ComponentStatus.conditions merge type
core.v1.Container.env merge name
core.v1.Container.ports merge containerPort
core.v1.Container.volumeDevices merge devicePath
core.v1.Container.volumeMounts merge mountPath
core.v1.ContainerStatus.allocatedResourcesStatus merge name
core.v1.ContainerStatus.volumeMounts merge mountPath
core.v1.EphemeralContainer.env merge name
core.v1.EphemeralContainer.ports merge containerPort
core.v1.EphemeralContainer.volumeDevices merge devicePath
core.v1.EphemeralContainer.volumeMounts merge mountPath
core.v1.NamespaceStatus.conditions merge type
core.v1.NodeSpec.podCIDRs merge
core.v1.NodeStatus.addresses merge type
core.v1.NodeStatus.conditions merge type
core.v1.PersistentVolumeClaimStatus.conditions merge type
core.v1.PodSpec.containers merge name
core.v1.PodSpec.ephemeralContainers merge name
core.v1.PodSpec.hostAliases merge ip
core.v1.PodSpec.imagePullSecrets merge name
core.v1.PodSpec.initContainers merge name
core.v1.PodSpec.resourceClaims merge,retainKeys name
core.v1.PodSpec.schedulingGates merge name
core.v1.PodSpec.topologySpreadConstraints merge topologyKey
core.v1.PodSpec.volumes merge,retainKeys name
core.v1.PodStatus.conditions merge type
core.v1.PodStatus.hostIPs merge ip
core.v1.PodStatus.podIPs merge ip
core.v1.PodStatus.resourceClaimStatuses merge,retainKeys name
core.v1.ReplicationControllerStatus.conditions merge type
core.v1.ServiceAccount.secrets merge name
core.v1.ServiceSpec.ports merge port
core.v1.ServiceStatus.conditions merge type
flowcontrol.v1.FlowSchemaStatus.conditions merge type
flowcontrol.v1.PriorityLevelConfigurationStatus.conditions merge type
policy.v1.PodDisruptionBudgetSpec.selector replace
policy.v1.PodDisruptionBudgetStatus.conditions merge type
storage.v1.CSINodeSpec.drivers merge name
io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps.x-kubernetes-validations merge rule
io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta.finalizers merge
io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta.ownerReferences merge uid
io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIServiceStatus.conditions merge type
`.trim().split("\n").map((line) => (line.startsWith("io.k8s.") ? line : `io.k8s.api.${line}`));

function publishedInDefinitions(): string[] {
  const found: string[] = [];
  for (const [name, definition] of Object.entries(definitions)) {
    for (const [field, schema] of Object.entries(definition.properties ?? {})) {
      const strategy = schema["x-kubernetes-patch-strategy"];
      const mergeKey = schema["x-kubernetes-patch-merge-key"];
      if (strategy === undefined && mergeKey === undefined) continue;
      found.push([`${name}.${field}`, strategy, mergeKey].filter((part) => part !== undefined).join(" "));
    }
  }
  return found.sort();
}

Deno.test("patch meta: the definitions carry exactly the published 1.32 patch strategies and merge keys", () => {
  assert.deepEqual(publishedInDefinitions(), [...PUBLISHED].sort());
  for (const line of PUBLISHED) {
    const [path, strategy, mergeKey = ""] = line.split(" ");
    const type = path.slice(0, path.lastIndexOf("."));
    const field = path.slice(path.lastIndexOf(".") + 1);
    assert.deepEqual(patchMetaFromDefinitions(definitions, type).field(field).meta, { strategy, mergeKey }, line);
  }
});

const TSV = "/work/shared/data/smp-patch-meta-1.32.tsv";

Deno.test({
  name: "patch meta: every row of the extracted 1.32 table whose type is served agrees with the definitions",
  ignore: !existsSync(TSV),
  fn() {
    const rows = readFileSync(TSV, "utf8").trim().split("\n").slice(1).map((line) => line.split("\t"));
    let checked = 0;
    for (const [definition, field, strategy, mergeKey] of rows) {
      if (!(definition in definitions)) continue; // 8 rows of alpha and beta versions, which are not served
      assert.deepEqual(patchMetaFromDefinitions(definitions, definition).field(field).meta, { strategy, mergeKey });
      checked++;
    }
    assert.equal(checked, 55);
  },
});

Deno.test("patch meta: built-in kinds support strategic merge; custom resources and unknown kinds do not", () => {
  assert.equal(supportsStrategicMerge("apps", "Deployment"), true);
  assert.equal(supportsStrategicMerge("", "ConfigMap"), true);
  assert.equal(supportsStrategicMerge("apiextensions.k8s.io", "CustomResourceDefinition"), true);
  assert.equal(supportsStrategicMerge("helm.cattle.io", "HelmChart"), false);
  assert.equal(supportsStrategicMerge("apps", "Pod"), false);
  assert.throws(
    () => patchMetaFor("helm.cattle.io", "v1", "HelmChart"),
    /no built-in schema for helm.cattle.io\/v1, Kind=HelmChart/,
  );
  assert.throws(() => patchMetaFor("apps", "v1beta1", "Deployment"), /no built-in schema/);
});

Deno.test("patch meta: metadata is built once per kind and per field", () => {
  const deployment = patchMetaFor("apps", "v1", "Deployment");
  assert.equal(patchMetaFor("apps", "v1", "Deployment"), deployment);
  assert.equal(deployment.field("spec"), deployment.field("spec"));
  // Pod and Deployment share the PodSpec definition's metadata.
  assert.equal(
    deployment.field("spec").value.field("template").value.field("spec").value,
    patchMetaFor("", "v1", "Pod").field("spec").value,
  );
});
