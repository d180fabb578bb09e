import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { decodeApplied, encodeApplied, LABEL_HASH, ownerMarks } from "../../../controllers/addon/objectset.ts";

const ADDON = { group: "k3s.cattle.io", version: "v1", kind: "Addon" };

Deno.test("objectset: the hash label is wrangler's sha1 of the set ID and the owner's GVK, name and namespace", () => {
  const marks = ownerMarks({ gvk: ADDON, name: "ccm", namespace: "kube-system" });
  const expected = createHash("sha1").update("k3s.cattle.io/v1, Kind=Addonccmkube-system").digest("hex");
  assert.equal(marks.labels[LABEL_HASH], expected);
  assert.deepEqual(marks.annotations, {
    "objectset.rio.cattle.io/id": "",
    "objectset.rio.cattle.io/owner-gvk": "k3s.cattle.io/v1, Kind=Addon",
    "objectset.rio.cattle.io/owner-name": "ccm",
    "objectset.rio.cattle.io/owner-namespace": "kube-system",
  });
});

Deno.test("objectset: the applied record round-trips, with long strings cut except list elements' keys", () => {
  const long = "x".repeat(100);
  const object = { kind: "ConfigMap", data: { script: long }, spec: { containers: [{ name: long, image: long }] } };
  const value = encodeApplied(object);
  assert.equal(encodeApplied(structuredClone(object)), value);
  assert.deepEqual(decodeApplied(value), {
    kind: "ConfigMap",
    data: { script: long.slice(0, 64) },
    spec: { containers: [{ name: long, image: long.slice(0, 64) }] },
  });
  assert.deepEqual(decodeApplied('{"kind":"Pod"}'), { kind: "Pod" });
  assert.equal(decodeApplied("not base64 gzip"), undefined);
});
