// Completion index lists as Indexed Jobs report them in status.completedIndexes / failedIndexes.
import assert from "node:assert/strict";
import { covers, firstPendingIndexes, OrderedIntervals } from "../../../controllers/job/mod.ts";

Deno.test("job indexes: runs of three or more read a-b, pairs a,b", () => {
  assert.equal(new OrderedIntervals().withIndexes([4, 0, 1, 2, 6, 7]).toString(), "0-2,4,6,7");
  assert.equal(OrderedIntervals.parse("0-2,4", 10).withIndexes([3]).toString(), "0-4");
  assert.equal(OrderedIntervals.parse("", 10).toString(), "");
});

Deno.test("job indexes: parsing drops indexes beyond completions and corrupt parts, and counts what is left", () => {
  const parsed = OrderedIntervals.parse("0-2,x,5-9,12", 8);
  assert.equal(parsed.toString(), "0-2,5-7");
  assert.equal(parsed.total(), 6);
  assert.ok(parsed.has(6) && !parsed.has(3));
});

Deno.test("job indexes: the lowest indexes not taken are pending", () => {
  assert.deepEqual(firstPendingIndexes(OrderedIntervals.parse("0,2", 5), 2, 5), [1, 3]);
  assert.deepEqual(firstPendingIndexes(OrderedIntervals.parse("0-4", 5), 3, 5), []);
  assert.deepEqual(firstPendingIndexes(new OrderedIntervals(), 10, 3), [0, 1, 2]);
});

Deno.test("job indexes: a success policy rule is covered by all its indexes or by enough of them", () => {
  const succeeded = OrderedIntervals.parse("0,1,7", 10);
  assert.ok(covers(OrderedIntervals.parse("0,1", 10), succeeded));
  assert.ok(!covers(OrderedIntervals.parse("0-3", 10), succeeded));
  assert.ok(covers(OrderedIntervals.parse("0-3", 10), succeeded, 2));
});
