// Claim ownership under persistentVolumeClaimRetentionPolicy.
import assert from "node:assert/strict";
import { claimIsStale, claimOwnerReferences } from "../../../controllers/statefulset/claims.ts";
import type { StatefulSet } from "../../../controllers/statefulset/mod.ts";

const set = (whenDeleted: string, whenScaled: string, replicas = 2): StatefulSet => ({
  metadata: { name: "db", namespace: "default", uid: "set-uid" },
  spec: { replicas, persistentVolumeClaimRetentionPolicy: { whenDeleted, whenScaled } },
});
const pod = (ordinal: number, uid = `pod-${ordinal}`) => ({ metadata: { name: `db-${ordinal}`, uid } });
const setRef = {
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  name: "db",
  uid: "set-uid",
  controller: true,
  blockOwnerDeletion: true,
};
const podRef = (ordinal: number, uid = `pod-${ordinal}`) => ({
  apiVersion: "v1",
  kind: "Pod",
  name: `db-${ordinal}`,
  uid,
  controller: true,
  blockOwnerDeletion: true,
});

Deno.test("statefulset claims: Retain owns nothing, whenDeleted Delete gives the set, whenScaled Delete the scaled-down pod", () => {
  assert.equal(claimOwnerReferences(set("Retain", "Retain"), pod(0), []), undefined);
  assert.deepEqual(claimOwnerReferences(set("Retain", "Retain"), pod(0), [setRef]), []);
  assert.deepEqual(claimOwnerReferences(set("Delete", "Retain"), pod(0), []), [setRef]);
  assert.equal(claimOwnerReferences(set("Delete", "Retain"), pod(0), [setRef]), undefined);
  assert.equal(claimOwnerReferences(set("Retain", "Delete"), pod(1), []), undefined, "in range: nobody");
  assert.deepEqual(claimOwnerReferences(set("Retain", "Delete", 1), pod(1), []), [podRef(1)]);
  assert.deepEqual(claimOwnerReferences(set("Delete", "Delete", 1), pod(1), [setRef]), [podRef(1)]);
  assert.deepEqual(claimOwnerReferences(set("Delete", "Delete", 2), pod(1), [podRef(1)]), [setRef]);
});

Deno.test("statefulset claims: refs to an earlier namesake or another controller are left alone", () => {
  const earlierSet = { ...setRef, uid: "older-set" };
  assert.equal(claimOwnerReferences(set("Delete", "Retain"), pod(0), [earlierSet]), undefined);
  const foreign = { apiVersion: "v1", kind: "ConfigMap", name: "x", uid: "x", controller: true };
  assert.equal(claimOwnerReferences(set("Delete", "Retain"), pod(0), [foreign]), undefined);
  assert.deepEqual(claimOwnerReferences(set("Delete", "Retain"), pod(0), [foreign, setRef]), [foreign]);
});

Deno.test("statefulset claims: with whenScaled Delete, a claim still owned by an earlier pod of the name blocks its successor", () => {
  const claim = { metadata: { name: "data-db-1", ownerReferences: [podRef(1, "gone")] } };
  assert.equal(claimIsStale(set("Retain", "Delete"), { metadata: { name: "db-1" } }, [claim]), true);
  assert.equal(claimIsStale(set("Retain", "Retain"), { metadata: { name: "db-1" } }, [claim]), false);
  assert.equal(claimIsStale(set("Retain", "Delete"), pod(1, "gone"), [claim]), false);
});
