import assert from "node:assert/strict";
import { type Any, container, create, lines, message, ns, stored, update } from "./support.ts";

const uid = "0b3c0d6e-1111-2222-3333-444444444444";

function job(
  podSpec: Any = { restartPolicy: "Never", containers: [container("pi", "perl:5.34")] },
  extra: Any = {},
): Any {
  return { metadata: { name: "pi", namespace: ns, uid }, spec: { template: { spec: podSpec }, ...extra } };
}

Deno.test("validate: a valid Job with a generated selector has no causes", () => {
  assert.deepEqual(create("batch", "Job", job()), []);
});

Deno.test("validate: a Job template without restartPolicy says valid values OnFailure, Never", () => {
  const causes = create("batch", "Job", job({ containers: [container()] }));
  assert.equal(
    message("batch", "Job", "pi", causes),
    'Job.batch "pi" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
  );
});

Deno.test("validate: a Job template with restartPolicy Always is refused the same way", () => {
  assert.deepEqual(lines(create("batch", "Job", job({ restartPolicy: "Always", containers: [container()] }))), [
    'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
  ]);
});

Deno.test("validate: a Job without uid cannot get a selector", () => {
  const j = job();
  delete j.metadata.uid;
  assert.deepEqual(lines(create("batch", "Job", j)), [
    "spec.selector: Required value",
    "spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`",
  ]);
});

Deno.test("validate: a hand-written selector without manualSelector is extended, then refused as not auto-generated", () => {
  const causes = create("batch", "Job", job(undefined, { selector: { matchLabels: { app: "pi" } } }));
  assert.deepEqual(lines(causes), [
    `spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"pi", "batch.kubernetes.io/controller-uid":"${uid}"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: \`selector\` not auto-generated`,
    `spec.template.metadata.labels: Invalid value: map[string]string{"batch.kubernetes.io/controller-uid":"${uid}", "batch.kubernetes.io/job-name":"pi", "controller-uid":"${uid}", "job-name":"pi"}: \`selector\` does not match template \`labels\``,
  ]);
});

Deno.test("validate: with manualSelector the generated labels are not required", () => {
  const j = job(undefined, { manualSelector: true, selector: { matchLabels: { app: "pi" } } });
  j.spec.template.metadata = { labels: { app: "pi" } };
  assert.deepEqual(create("batch", "Job", j), []);
  const stored = job(undefined, { selector: { matchLabels: { "controller-uid": uid } } });
  stored.spec.template.metadata = { labels: { "controller-uid": "other" } };
  assert.deepEqual(lines(create("batch", "Job", stored)).slice(0, 1), [
    `spec.template.metadata.labels[controller-uid]: Invalid value: map[string]string{"batch.kubernetes.io/controller-uid":"${uid}", "batch.kubernetes.io/job-name":"pi", "controller-uid":"other", "job-name":"pi"}: must be '${uid}'`,
  ]);
});

Deno.test("validate: negative Job counts and unknown completion modes", () => {
  const causes = create("batch", "Job", job(undefined, { backoffLimit: -1, completionMode: "Sometimes" }));
  assert.deepEqual(lines(causes), [
    "spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0",
    'spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"',
  ]);
});

Deno.test("validate: a Job's template and selector are immutable", () => {
  const old = stored("batch", "Job", job());
  const next = structuredClone(old);
  next.spec.template.spec.containers[0].image = "perl:5.36";
  const causes = update("batch", "Job", next, old);
  assert.deepEqual(causes.map((c) => c.field), ["spec.template"]);
  assert.match(causes[0].message, /^Invalid value: \{.*\}: field is immutable$/s);
  const resized = structuredClone(old);
  resized.spec.parallelism = 4;
  assert.deepEqual(update("batch", "Job", resized, old), []);
  const reselected = structuredClone(old);
  reselected.spec.completions = 3;
  assert.deepEqual(lines(update("batch", "Job", reselected, old)), [
    "spec.completions: Invalid value: 3: field is immutable",
  ]);
});

Deno.test("validate: a suspended, never-started Job may change its scheduling directives", () => {
  const old = stored("batch", "Job", job(undefined, { suspend: true }));
  const next = structuredClone(old);
  next.spec.template.spec.nodeSelector = { zone: "a" };
  assert.deepEqual(update("batch", "Job", next, old), []);
});

function cronJob(spec: Any, name = "nightly"): Any {
  return {
    metadata: { name, namespace: ns },
    spec: {
      jobTemplate: { spec: { template: { spec: { restartPolicy: "OnFailure", containers: [container()] } } } },
      ...spec,
    },
  };
}

Deno.test("validate: a valid CronJob has no causes", () => {
  assert.deepEqual(create("batch", "CronJob", cronJob({ schedule: "0 3 * * *" })), []);
});

Deno.test("validate: a CronJob schedule is parsed with robfig/cron's messages", () => {
  assert.deepEqual(lines(create("batch", "CronJob", cronJob({ schedule: "0 25 * * *" }))), [
    'spec.schedule: Invalid value: "0 25 * * *": end of range (25) above maximum (23): 25',
  ]);
  assert.deepEqual(lines(create("batch", "CronJob", cronJob({}))), ["spec.schedule: Required value"]);
  assert.deepEqual(lines(create("batch", "CronJob", cronJob({ schedule: "TZ=UTC 0 3 * * *" }))), [
    'spec.schedule: Invalid value: "TZ=UTC 0 3 * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
  ]);
});

Deno.test("validate: CronJob names are limited to 52 characters and time zones must exist", () => {
  const name = "n".repeat(53);
  assert.deepEqual(lines(create("batch", "CronJob", cronJob({ schedule: "@daily" }, name))), [
    `metadata.name: Invalid value: "${name}": must be no more than 52 characters`,
  ]);
  assert.deepEqual(lines(create("batch", "CronJob", cronJob({ schedule: "@daily", timeZone: "Mars/Olympus" }))), [
    'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus',
  ]);
  assert.deepEqual(create("batch", "CronJob", cronJob({ schedule: "@daily", timeZone: "Europe/Paris" })), []);
});

Deno.test("validate: a CronJob's job template may not carry a selector or an Always restart policy", () => {
  const cj = cronJob({ schedule: "@hourly" });
  cj.spec.jobTemplate.spec.selector = { matchLabels: { a: "b" } };
  cj.spec.jobTemplate.spec.template.spec.restartPolicy = "Always";
  cj.spec.concurrencyPolicy = "Sometimes";
  assert.deepEqual(lines(create("batch", "CronJob", cj)), [
    'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
    'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    'spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"a":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated',
  ]);
});
