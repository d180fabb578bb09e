import assert from "node:assert/strict";
import { Expectations } from "../../../controllers/replicaset/expectations.ts";

function view() {
  const state = { rv: "10", live: new Set<string>() };
  return { state, view: { resourceVersion: () => state.rv, holdsLive: (uid: string) => state.live.has(uid) } };
}

Deno.test("expectations: a creation is awaited until the cache reaches its resourceVersion", () => {
  const { state, view: v } = view();
  const e = new Expectations(v);
  e.created("ns/rs", "u1", "12");
  assert.equal(e.satisfied("ns/rs", "u1"), false);
  state.rv = "12";
  assert.equal(e.satisfied("ns/rs", "u1"), true);
});

Deno.test("expectations: a deletion is awaited until the pod leaves the cache", () => {
  const { state, view: v } = view();
  state.live.add("p1");
  const e = new Expectations(v);
  e.deleted("ns/rs", "u1", "p1");
  assert.equal(e.satisfied("ns/rs", "u1"), false);
  state.live.delete("p1");
  assert.equal(e.satisfied("ns/rs", "u1"), true);
});

Deno.test("expectations: a recreated ReplicaSet or an expired deadline owes nothing", () => {
  const { view: v } = view();
  const e = new Expectations(v, 0);
  e.created("ns/rs", "u1", "99");
  assert.equal(e.satisfied("ns/rs", "u1"), true, "deadline passed");
  const f = new Expectations(v);
  f.created("ns/rs", "u1", "99");
  assert.equal(f.satisfied("ns/rs", "u2"), true, "another uid");
});
