// values.schema.json checks with the errors Helm 3.18 prints (santhosh-tekuri/jsonschema v6 wording).
import assert from "node:assert/strict";
import { loadFiles, toRenderValues, validateAgainstSchema } from "../../../../addons/helm-controller/chart/mod.ts";
import { validateAgainstSingleSchema } from "../../../../addons/helm-controller/chart/schema.ts";
import { chartYaml, memoryFiles, RELEASE } from "./fixture.ts";

const SCHEMA = JSON.stringify({
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  required: ["image"],
  properties: {
    replicas: { type: "integer", minimum: 1, maximum: 10 },
    image: { $ref: "#/definitions/image" },
    mode: { enum: ["fast", "safe"] },
    name: { type: "string", pattern: "^[a-z]+$" },
  },
  definitions: {
    image: {
      type: "object",
      required: ["repository"],
      additionalProperties: false,
      properties: { repository: { type: "string" }, tag: { type: "string" } },
    },
  },
});

function chartWithSchema(values: string) {
  return loadFiles(memoryFiles({
    "Chart.yaml": chartYaml("web"),
    "values.yaml": values,
    "values.schema.json": SCHEMA,
    "charts/sub/Chart.yaml": chartYaml("sub"),
    "charts/sub/values.schema.json": '{"type": "object", "required": ["size"]}',
    "charts/sub/values.yaml": "size: 1\n",
  }));
}

Deno.test("valid values pass", () => {
  assert.equal(
    validateAgainstSchema(chartWithSchema("image: {repository: nginx}\nreplicas: 3\n"), {
      image: { repository: "nginx" },
      replicas: 3,
      sub: { size: 1 },
    }),
    "",
  );
});

Deno.test("a wrong type is reported at its JSON pointer", () => {
  assert.equal(
    validateAgainstSingleSchema({ image: { repository: "x" }, replicas: "3" }, SCHEMA),
    "- at '/replicas': got string, want integer\n",
  );
});

Deno.test("a missing required property is reported at the object", () => {
  assert.equal(validateAgainstSingleSchema({}, SCHEMA), "- at '': missing property 'image'\n");
});

Deno.test("several failures of one value are grouped under it", () => {
  assert.equal(
    validateAgainstSingleSchema({ image: { tag: 1, extra: true } }, SCHEMA),
    "- at '/image': validation failed\n" +
      "  - at '/image': missing property 'repository'\n" +
      "  - at '/image/tag': got number, want string\n" +
      "  - at '/image': additional properties 'extra' not allowed\n",
  );
});

Deno.test("enum, pattern, minimum and maximum use the library's wording", () => {
  const out = validateAgainstSingleSchema(
    { image: { repository: "x" }, mode: "slow", name: "Web", replicas: 2000 },
    SCHEMA,
  );
  assert.equal(
    out,
    "- at '/mode': value must be one of 'fast', 'safe'\n" +
      "- at '/name': 'Web' does not match pattern '^[a-z]+$'\n" +
      "- at '/replicas': maximum: got 2,000, want 10\n",
  );
});

Deno.test("render values fail with Helm's message naming each chart whose schema fails", () => {
  const chart = chartWithSchema("image: {repository: nginx}\n");
  assert.throws(() => toRenderValues(chart, { replicas: 0, sub: { size: null } }, RELEASE), {
    message: "values don't meet the specifications of the schema(s) in the following chart(s):\n" +
      "web:\n- at '/replicas': minimum: got 0, want 1\n" +
      "sub:\n- at '': missing property 'size'\n",
  });
});

Deno.test("skipping schema validation renders anyway", () => {
  const chart = chartWithSchema("image: {repository: nginx}\n");
  const top = toRenderValues(chart, { replicas: 0 }, RELEASE, { skipSchemaValidation: true });
  assert.equal((top.Values as Record<string, unknown>).replicas, 0);
});
