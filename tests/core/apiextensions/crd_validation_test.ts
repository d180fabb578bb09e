// Validation of CustomResourceDefinition objects, through admission's defaults and validation like any write.
import assert from "node:assert/strict";
import type { StatusCause } from "../../../core/api/status.ts";
import { applyDefaults } from "../../../core/admission/defaults.ts";
import { validateCreate, validateUpdate } from "../../../core/admission/validate.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const lines = (causes: StatusCause[]) => causes.map((c) => `${c.field}: ${c.message}`);

function widgets(): Any {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.com" },
    spec: {
      group: "example.com",
      scope: "Namespaced",
      names: { plural: "widgets", kind: "Widget", shortNames: ["wd"] },
      versions: [{
        name: "v1",
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: {
                type: "object",
                properties: {
                  size: { type: "integer", maximum: 10 },
                  color: { type: "string", enum: ["blue", "red"] },
                },
              },
            },
          },
        },
      }],
    },
    status: { storedVersions: ["v1"] },
  };
}

function create(crd: Any): string[] {
  applyDefaults("apiextensions.k8s.io", "CustomResourceDefinition", crd);
  return lines(validateCreate("apiextensions.k8s.io", "CustomResourceDefinition", crd));
}

Deno.test("crd validation: a well-formed CRD passes and gets kube's defaults", () => {
  const crd = widgets();
  assert.deepEqual(create(crd), []);
  assert.equal(crd.spec.names.singular, "widget");
  assert.equal(crd.spec.names.listKind, "WidgetList");
  assert.deepEqual(crd.spec.conversion, { strategy: "None" });
});

Deno.test("crd validation: the name must be plural.group, and the group a domain", () => {
  const crd = widgets();
  crd.metadata.name = "gadgets.example.com";
  assert.deepEqual(create(crd), [
    `metadata.name: Invalid value: "gadgets.example.com": must be spec.names.plural+"."+spec.group`,
  ]);
  const local = widgets();
  local.spec.group = "example";
  local.metadata.name = "widgets.example";
  assert.deepEqual(create(local), ['spec.group: Invalid value: "example": should be a domain with at least one dot']);
});

Deno.test("crd validation: exactly one version must be the storage version", () => {
  const crd = widgets();
  crd.spec.versions.push({ ...structuredClone(crd.spec.versions[0]), name: "v2" });
  const causes = create(crd);
  assert.ok(
    causes.some((c) =>
      /^spec\.versions: Invalid value: .*: must have exactly one version marked as storage version$/.test(c)
    ),
    causes.join("\n"),
  );
});

Deno.test("crd validation: every version needs a schema", () => {
  const crd = widgets();
  delete crd.spec.versions[0].schema;
  assert.deepEqual(create(crd), ["spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required"]);
});

Deno.test("crd validation: a schema must be structural (types everywhere)", () => {
  const crd = widgets();
  crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.size = { maximum: 10 };
  assert.deepEqual(create(crd), [
    "spec.validation.openAPIV3Schema.properties[spec].properties[size].type: Required value: must not be empty for specified object fields",
  ]);
});

Deno.test("crd validation: a default must satisfy its own schema", () => {
  const crd = widgets();
  crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.color.default = "green";
  assert.deepEqual(create(crd), [
    'spec.validation.openAPIV3Schema.properties[spec].properties[color].default: Unsupported value: "green": supported values: "blue", "red"',
  ]);
});

Deno.test("crd validation: a CEL rule that does not compile refuses the CRD, naming the rule", () => {
  const crd = widgets();
  crd.spec.versions[0].schema.openAPIV3Schema.properties.spec["x-kubernetes-validations"] = [{ rule: "self.nope > 1" }];
  assert.deepEqual(create(crd), [
    `spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: ` +
    `apiextensions.ValidationRule{Rule:"self.nope > 1", Message:"", MessageExpression:"", ` +
    `Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: ` +
    `compilation failed: ERROR: <input>:1:5: undefined field 'nope'\n | self.nope > 1\n | ....^`,
  ]);
});

Deno.test("crd validation: a rule must be boolean", () => {
  const crd = widgets();
  crd.spec.versions[0].schema.openAPIV3Schema.properties.spec["x-kubernetes-validations"] = [{ rule: "self.size + 1" }];
  const causes = create(crd);
  assert.equal(causes.length, 1);
  assert.match(
    causes[0],
    /x-kubernetes-validations\[0\]\.rule: Invalid value: .*: cel expression must evaluate to a bool$/,
  );
});

Deno.test("crd validation: oldSelf cannot be used where old and new values cannot be matched", () => {
  const crd = widgets();
  crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.tags = {
    type: "array",
    items: { type: "string", "x-kubernetes-validations": [{ rule: "self == oldSelf" }] },
  };
  assert.deepEqual(create(crd), [
    `spec.validation.openAPIV3Schema.properties[spec].properties[tags].items.x-kubernetes-validations[0].rule: Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within spec.validation.openAPIV3Schema.properties[spec].properties[tags]`,
  ]);
});

Deno.test("crd validation: printer columns need a known type and a JSON path", () => {
  const crd = widgets();
  crd.spec.versions[0].additionalPrinterColumns = [{ name: "Size", type: "int", jsonPath: "spec.size" }];
  assert.deepEqual(create(crd), [
    'spec.additionalPrinterColumns[0].type: Invalid value: "int": must be one of boolean,date,integer,number,string',
    'spec.additionalPrinterColumns[0].JSONPath: Invalid value: "spec.size": must be a simple json path starting with .',
  ]);
});

Deno.test("crd validation: group and plural cannot change; kind and scope neither once established", () => {
  const old = widgets();
  applyDefaults("apiextensions.k8s.io", "CustomResourceDefinition", old);
  old.metadata = { ...old.metadata, uid: "u", resourceVersion: "5" };
  old.status.conditions = [{ type: "Established", status: "True" }];
  const next = structuredClone(old);
  next.spec.scope = "Cluster";
  next.spec.group = "example.org";
  const causes = lines(validateUpdate("apiextensions.k8s.io", "CustomResourceDefinition", next, old));
  assert.ok(causes.includes('spec.scope: Invalid value: "Cluster": field is immutable'), causes.join("\n"));
  assert.ok(causes.includes('spec.group: Invalid value: "example.org": field is immutable'), causes.join("\n"));
});

Deno.test("crd validation: protected groups need the API approval annotation", () => {
  const crd = widgets();
  crd.spec.group = "widgets.k8s.io";
  crd.metadata.name = "widgets.widgets.k8s.io";
  assert.deepEqual(create(crd), [
    `metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111`,
  ]);
});
