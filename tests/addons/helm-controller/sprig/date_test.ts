// Sprig's date functions: Go reference-time layouts, zones from the system's zoneinfo (UTC when unknown),
// Unix-second ints, Go duration strings, and Sprig's rounding of durations to their largest unit.
import assert from "node:assert/strict";
import { call, callError, table } from "./support.ts";

const june13 = new Date(Date.UTC(2019, 5, 13, 20, 39, 39, 123));

table("date layouts", [
  {
    name: "dateInZone formats in the zone",
    fn: "dateInZone",
    args: ["02 Jan 06 15:04 -0700", june13, "UTC"],
    want: "13 Jun 19 20:39 +0000",
  },
  {
    name: "an int date is Unix seconds",
    fn: "dateInZone",
    args: ["02 Jan 06 15:04 -0700", 1560458379n, "UTC"],
    want: "13 Jun 19 20:39 +0000",
  },
  {
    name: "an unknown zone falls back to UTC",
    fn: "date_in_zone",
    args: ["2006-01-02 15:04 MST", june13, "foobar"],
    want: "2019-06-13 20:39 UTC",
  },
  {
    name: "named zones carry their daylight time",
    fn: "dateInZone",
    args: ["2006-01-02T15:04:05Z07:00 MST", june13, "America/New_York"],
    want: "2019-06-13T16:39:39-04:00 EDT",
  },
  {
    name: "long names, 12-hour clock and fractions",
    fn: "dateInZone",
    args: ["Monday, January _2 2006 3:04:05.000 PM", june13, "UTC"],
    want: "Thursday, June 13 2019 8:39:39.123 PM",
  },
  {
    name: "trimmed fractions and day of year",
    fn: "dateInZone",
    args: ["05.999 002 Z07:00", june13, "UTC"],
    want: "39.123 164 Z",
  },
  { name: "htmlDateInZone", fn: "htmlDateInZone", args: [june13, "UTC"], want: "2019-06-13" },
  { name: "unixEpoch", fn: "unixEpoch", args: [new Date(Date.UTC(2019, 5, 13, 20, 39, 39))], want: "1560458379" },
]);

table("durations", [
  { name: "duration of seconds as a string", fn: "duration", args: ["61"], want: "1m1s" },
  { name: "duration keeps hours", fn: "duration", args: ["93784"], want: "26h3m4s" },
  { name: "duration of an int", fn: "duration", args: [3600n], want: "1h0m0s" },
  { name: "duration of a float64 is 0s, as in Sprig", fn: "duration", args: [95], want: "0s" },
  { name: "durationRound to hours", fn: "durationRound", args: ["2h5s"], want: "2h" },
  { name: "durationRound to days", fn: "durationRound", args: ["24h5s"], want: "1d" },
  { name: "durationRound to months", fn: "durationRound", args: ["2400h5s"], want: "3mo" },
  { name: "durationRound of int nanoseconds", fn: "durationRound", args: [-90_000_000_000n], want: "1m" },
  { name: "durationRound of a bad string", fn: "durationRound", args: ["soon"], want: "0s" },
]);

Deno.test("toDate parses in the local zone, so date prints it back", () => {
  const d = call("toDate", "2006-01-02", "2017-12-31");
  assert.ok(d instanceof Date);
  assert.equal(call("date", "02/01/2006", d), "31/12/2017");
});

Deno.test("toDate of a bad value is the zero time", () => {
  assert.equal((call("toDate", "2006-01-02", "nope") as Date).toISOString(), "0001-01-01T00:00:00.000Z");
});

Deno.test("mustToDate reports Go's parse error", () => {
  assert.equal(
    callError("mustToDate", "2006-01-02", "2017-13-01"),
    'parsing time "2017-13-01": month out of range',
  );
  assert.equal(
    callError("mustToDate", "2006-01-02", "x"),
    'parsing time "x" as "2006-01-02": cannot parse "x" as "2006"',
  );
});

Deno.test("dateModify adds a Go duration", () => {
  const d = call("dateModify", "-1.5h", june13) as Date;
  assert.equal(d.toISOString(), "2019-06-13T19:09:39.123Z");
});

Deno.test("dateModify of a bad duration returns the date unchanged", () => {
  assert.equal(call("dateModify", "soon", june13), june13);
  assert.equal(callError("mustDateModify", "soon", june13), 'time: invalid duration "soon"');
});

Deno.test("ago prints the time since, in seconds", () => {
  assert.equal(call("ago", new Date(Date.now() - 125_000)), "2m5s");
  assert.equal(call("ago", new Date(Date.now() + 5_000)), "-5s");
});

Deno.test("now is the current time", () => {
  assert.ok(call("now") instanceof Date);
});
