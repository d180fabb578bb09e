import assert from "node:assert/strict";
import { cronScheduleError } from "../../../core/admission/cron.ts";

Deno.test("cron: standard schedules and descriptors parse", () => {
  for (
    const s of [
      "*/5 * * * *",
      "0 0 * * 0",
      "30 2 1-15/2 jan-jun mon,fri",
      "@hourly",
      "@every 1h30m",
      "TZ=UTC 0 * * * *",
    ]
  ) {
    assert.equal(cronScheduleError(s), undefined, s);
  }
});

Deno.test("cron: errors read as robfig/cron words them", () => {
  assert.equal(cronScheduleError("61 * * * *"), "end of range (61) above maximum (59): 61");
  assert.equal(cronScheduleError("* * * *"), "expected exactly 5 fields, found 4: [* * * *]");
  assert.equal(cronScheduleError("x * * * *"), 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
  assert.equal(cronScheduleError("* * 0 * *"), "beginning of range (0) below minimum (1): 0");
  assert.equal(cronScheduleError("5-1 * * * *"), "beginning of range (5) beyond end of range (1): 5-1");
  assert.equal(cronScheduleError("*/0 * * * *"), "step of range should be a positive number: */0");
  assert.equal(cronScheduleError("@often"), "unrecognized descriptor: @often");
  assert.equal(cronScheduleError(""), "empty spec string");
});
