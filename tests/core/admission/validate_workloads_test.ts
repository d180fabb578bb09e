import assert from "node:assert/strict";
import { type Any, container, create, lines, message, ns, podTemplate, stored, update } from "./support.ts";

function deployment(spec: Any): Any {
  return { metadata: { name: "web", namespace: ns }, spec };
}

const selector = { matchLabels: { app: "web" } };

Deno.test("validate: a valid Deployment has no causes", () => {
  assert.deepEqual(create("apps", "Deployment", deployment({ selector, template: podTemplate() })), []);
});

Deno.test("validate: a Deployment without selector gets Required and a template-labels mismatch", () => {
  const causes = create("apps", "Deployment", deployment({ template: podTemplate() }));
  assert.deepEqual(lines(causes), [
    "spec.selector: Required value",
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
  ]);
  assert.equal(
    message("apps", "Deployment", "web", causes),
    'Deployment.apps "web" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`]',
  );
});

Deno.test("validate: a Deployment selector must match the template labels", () => {
  assert.deepEqual(
    lines(
      create("apps", "Deployment", deployment({ selector: { matchLabels: { app: "api" } }, template: podTemplate() })),
    ),
    [
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ],
  );
});

Deno.test("validate: an empty Deployment selector is invalid for deployment", () => {
  assert.deepEqual(lines(create("apps", "Deployment", deployment({ selector: {}, template: podTemplate() }))), [
    "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment",
  ]);
});

Deno.test("validate: a Deployment template needs containers and restartPolicy Always", () => {
  const template = { metadata: { labels: { app: "web" } }, spec: { restartPolicy: "OnFailure" } };
  assert.deepEqual(lines(create("apps", "Deployment", deployment({ selector, template }))), [
    "spec.template.spec.containers: Required value",
    'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
  ]);
});

Deno.test("validate: a bad template label is reported on spec.template.labels, as kube does", () => {
  const template = { metadata: { labels: { app: "web", "bad key": "x" } }, spec: { containers: [container()] } };
  const causes = create("apps", "Deployment", deployment({ selector, template }));
  assert.equal(causes[0].field, "spec.template.labels");
});

Deno.test("validate: negative replicas and rolling-update bounds", () => {
  const causes = create(
    "apps",
    "Deployment",
    deployment({
      replicas: -1,
      selector,
      template: podTemplate(),
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "120%", maxSurge: 0 } },
    }),
  );
  assert.deepEqual(lines(causes), [
    "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%',
  ]);
  const zero = create(
    "apps",
    "Deployment",
    deployment({ selector, template: podTemplate(), strategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } }),
  );
  assert.deepEqual(lines(zero), [
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0',
  ]);
});

Deno.test("validate: Recreate may not carry rollingUpdate; unknown strategy types are Unsupported", () => {
  assert.deepEqual(
    lines(
      create(
        "apps",
        "Deployment",
        deployment({ selector, template: podTemplate(), strategy: { type: "Recreate", rollingUpdate: {} } }),
      ),
    ),
    ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
  );
  assert.deepEqual(
    lines(
      create("apps", "Deployment", deployment({ selector, template: podTemplate(), strategy: { type: "BlueGreen" } })),
    ),
    [
      'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"',
    ],
  );
});

Deno.test("validate: progressDeadlineSeconds must exceed minReadySeconds", () => {
  const causes = create("apps", "Deployment", deployment({ selector, template: podTemplate(), minReadySeconds: 700 }));
  assert.deepEqual(lines(causes), [
    "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds",
  ]);
});

Deno.test("validate: a Deployment's spec.selector is immutable on update", () => {
  const old = stored("apps", "Deployment", deployment({ selector, template: podTemplate() }));
  const next = structuredClone(old);
  next.spec.selector = { matchLabels: { app: "web", tier: "fe" } };
  next.spec.template.metadata.labels.tier = "fe";
  assert.deepEqual(update("apps", "Deployment", next, old), [{
    type: "FieldValueInvalid",
    field: "spec.selector",
    message:
      'Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"fe"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  }]);
  const scaled = structuredClone(old);
  scaled.spec.replicas = 5;
  assert.deepEqual(update("apps", "Deployment", scaled, old), []);
});

Deno.test("validate: ReplicaSets reuse the deployment wording and freeze their selector", () => {
  assert.deepEqual(lines(create("apps", "ReplicaSet", deployment({ selector: {}, template: podTemplate() }))), [
    "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment",
  ]);
  const old = stored("apps", "ReplicaSet", deployment({ selector, template: podTemplate() }));
  const next = structuredClone(old);
  next.spec.selector.matchLabels.app = "api";
  next.spec.template.metadata.labels.app = "api";
  assert.equal(update("apps", "ReplicaSet", next, old)[0].message.endsWith(": field is immutable"), true);
});

Deno.test("validate: a StatefulSet name must be a DNS-1123 label", () => {
  const causes = create("apps", "StatefulSet", {
    metadata: { name: "db.primary", namespace: ns },
    spec: { selector, template: podTemplate() },
  });
  assert.deepEqual(lines(causes), ['metadata.name: Invalid value: "db.primary": must not contain dots']);
});

Deno.test("validate: StatefulSet policy values and empty selector", () => {
  const causes = create("apps", "StatefulSet", {
    metadata: { name: "db", namespace: ns },
    spec: {
      selector: {},
      template: podTemplate(),
      podManagementPolicy: "Fast",
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Keep" },
    },
  });
  assert.deepEqual(lines(causes), [
    `spec.podManagementPolicy: Invalid value: "Fast": must be 'OrderedReady' or 'Parallel'`,
    'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"',
    "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset",
  ]);
});

Deno.test("validate: a StatefulSet update may only touch replicas, template, updateStrategy and a few more", () => {
  const old = stored("apps", "StatefulSet", {
    metadata: { name: "db", namespace: ns },
    spec: { selector, template: podTemplate(), serviceName: "db" },
  });
  const next = structuredClone(old);
  next.spec.replicas = 3;
  next.spec.template.spec.containers[0].image = "nginx:1.28";
  assert.deepEqual(update("apps", "StatefulSet", next, old), []);
  next.spec.serviceName = "other";
  assert.deepEqual(lines(update("apps", "StatefulSet", next, old)), [
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
  ]);
});

Deno.test("validate: DaemonSet rolling updates need exactly one of maxUnavailable and maxSurge", () => {
  const ds = (rollingUpdate: Any) => ({
    metadata: { name: "agent", namespace: ns },
    spec: { selector, template: podTemplate(), updateStrategy: { type: "RollingUpdate", rollingUpdate } },
  });
  assert.deepEqual(lines(create("apps", "DaemonSet", ds({ maxUnavailable: 0, maxSurge: 0 }))), [
    "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0",
  ]);
  assert.deepEqual(lines(create("apps", "DaemonSet", ds({ maxUnavailable: 1, maxSurge: 1 }))), [
    'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero',
  ]);
});

Deno.test("validate: a DaemonSet's selector is immutable on update", () => {
  const old = stored("apps", "DaemonSet", {
    metadata: { name: "agent", namespace: ns },
    spec: { selector, template: podTemplate() },
  });
  const next = structuredClone(old);
  next.spec.selector = { matchLabels: { app: "web", x: "y" } };
  next.spec.template.metadata.labels.x = "y";
  assert.deepEqual(update("apps", "DaemonSet", next, old).map((c) => c.field), ["spec.selector"]);
});

Deno.test("validate: a ReplicationController needs a selector and a template", () => {
  assert.deepEqual(lines(create("", "ReplicationController", { metadata: { name: "rc", namespace: ns }, spec: {} })), [
    "spec.selector: Required value",
    "spec.template: Required value",
  ]);
});

Deno.test("validate: a Scale body needs replicas ≥ 0", () => {
  const causes = create("autoscaling", "Scale", { metadata: { name: "web", namespace: ns }, spec: { replicas: -2 } });
  assert.equal(
    message("autoscaling", "Scale", "web", causes),
    'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -2: must be greater than or equal to 0',
  );
  assert.deepEqual(create("apps", "Scale", { metadata: { name: "web", namespace: ns }, spec: { replicas: 0 } }), []);
});
