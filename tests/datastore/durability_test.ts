// Group fsync: a revision counts as durable only once a sync that started after its commit has ended.
import assert from "node:assert/strict";
import { Durability } from "../../datastore/sql/durability.ts";

/** A sync whose ends the test decides, counting how many started. */
function heldSync() {
  const ends: { resolve(): void; reject(error: Error): void }[] = [];
  return {
    started: () => ends.length,
    sync: () => new Promise<void>((resolve, reject) => ends.push({ resolve, reject })),
    end: (i: number) => ends[i].resolve(),
    fail: (i: number, error: Error) => ends[i].reject(error),
  };
}

const settled = (p: Promise<unknown>) => p.then(() => "resolved", (e) => `rejected: ${e.message}`);
const turn = () => new Promise((r) => setTimeout(r, 0));

Deno.test("durability: a commit made while a sync runs waits for the next one, which the commits since share", async () => {
  const disk = heldSync();
  const durable: number[] = [];
  const durability = new Durability(disk.sync, 10, (revision) => durable.push(revision));
  await durability.until(10);
  durability.committed(11);
  const eleven = settled(durability.until(11));
  durability.committed(12);
  durability.committed(13);
  const thirteen = settled(durability.until(13));
  assert.equal(disk.started(), 1);
  disk.end(0);
  assert.equal(await eleven, "resolved");
  await turn();
  assert.equal(disk.started(), 2, "one more sync covers 12 and 13");
  assert.equal(durability.revision, 11);
  disk.end(1);
  assert.equal(await thirteen, "resolved");
  assert.deepEqual(durable, [11, 13]);
  await durability.drained();
});

Deno.test("durability: a failed sync fails the revisions it covered; the next commit gets a sync of its own", async () => {
  const disk = heldSync();
  const durability = new Durability(disk.sync, 0, () => {});
  durability.committed(1);
  const one = settled(durability.until(1));
  disk.fail(0, new Error("EIO"));
  assert.equal(await one, "rejected: EIO");
  durability.committed(2);
  const two = settled(durability.until(2));
  await turn();
  disk.end(1);
  assert.equal(await two, "resolved");
});
