import assert from "node:assert/strict";
import { formatGvks, gvkOf, parseGvks } from "../../../controllers/addon/gvk.ts";

Deno.test("gvk: the annotation lists distinct kinds in Go's form and reads back, skipping malformed entries", () => {
  const gvks = [
    gvkOf({ apiVersion: "v1", kind: "ConfigMap" }),
    gvkOf({ apiVersion: "apps/v1", kind: "Deployment" }),
    gvkOf({ apiVersion: "v1", kind: "ConfigMap" }),
  ];
  const annotation = formatGvks(gvks);
  assert.equal(annotation, "/v1, Kind=ConfigMap;apps/v1, Kind=Deployment");
  assert.deepEqual(parseGvks(`${annotation};junk`), gvks.slice(0, 2));
  assert.deepEqual(parseGvks(undefined), []);
});
