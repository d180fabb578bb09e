import assert from "node:assert/strict";
import {
  forbidden,
  formatValue,
  goIntOrString,
  goLabelSelector,
  goQuote,
  goStringMap,
  invalid,
  notSupported,
  required,
  tooLong,
} from "../../../core/admission/field.ts";

Deno.test("field: causes carry kube's cause types and message bodies", () => {
  assert.deepEqual(required("spec.containers"), {
    type: "FieldValueRequired",
    field: "spec.containers",
    message: "Required value",
  });
  assert.equal(required("x", "must specify a handler type").message, "Required value: must specify a handler type");
  assert.deepEqual(invalid("spec.replicas", -1, "must be greater than or equal to 0"), {
    type: "FieldValueInvalid",
    field: "spec.replicas",
    message: "Invalid value: -1: must be greater than or equal to 0",
  });
  assert.equal(
    notSupported("spec.restartPolicy", "X", ["Always", "OnFailure", "Never"]).message,
    'Unsupported value: "X": supported values: "Always", "OnFailure", "Never"',
  );
  assert.equal(forbidden("immutable", "field is immutable when `immutable` is set").type, "FieldValueForbidden");
});

Deno.test("field: Too long never prints the value, as of 1.32", () => {
  assert.deepEqual(tooLong("metadata.annotations", 262144), {
    type: "FieldValueTooLong",
    field: "metadata.annotations",
    message: "Too long: may not be more than 262144 bytes",
  });
});

Deno.test("field: values print the way Go's %q and %#v print them", () => {
  assert.equal(formatValue(null), "null");
  assert.equal(formatValue(true), "true");
  assert.equal(goQuote('a"b\\c\n\u0001é'), '"a\\"b\\\\c\\n\\x01é"');
  assert.equal(goStringMap({ b: "2", a: "1" }).text, 'map[string]string{"a":"1", "b":"2"}');
  assert.equal(goStringMap(undefined).text, "map[string]string(nil)");
  assert.equal(goIntOrString("120%").text, 'intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}');
  assert.equal(
    goLabelSelector({ matchExpressions: [{ key: "k", operator: "In", values: ["v"] }] }).text,
    'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"k", Operator:"In", Values:[]string{"v"}}}}',
  );
});
