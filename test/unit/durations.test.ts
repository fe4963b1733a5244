import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseTimeout } from "../../src/engine/execution/parse-time.ts";
import { parseDurationMs, parseTimeMs } from "../../src/util/durations.ts";

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe("parseDurationMs: what Inngest accepts, wherever it accepts it", () => {
  const cases: Array<[string, unknown, number | undefined]> = [
    // the SDK's `ms` forms (step tools): one unit, long names, spaces before the unit
    ["seconds", "30s", 30 * S],
    ["days", "2d", 2 * D],
    ["weeks", "1w", 7 * D],
    ["a long unit name", "1 hour", H],
    ["a plural short name", "30 mins", 30 * M],
    ["a decimal", "2.5d", 2.5 * D],
    ["a decimal with no leading digit", ".5h", 30 * M],
    ["a spaced decimal", "1.5 h", 90 * M],
    ["a year of 365.25 days", "1y", 365.25 * D],
    ["milliseconds", "500ms", 500],
    ["a bare number string is ms", "500", 500],
    ["an upper-case unit", "1H", H],
    ["spaces around", " 30s ", 30 * S],
    // the server's str2duration forms (config periods): compound, d and w, Go's small units
    ["hours and minutes", "1h30m", 90 * M],
    ["a zero part", "0m2s", 2 * S],
    ["days and hours", "1d2h", D + 2 * H],
    ["weeks and days", "1w2d", 9 * D],
    ["a compound decimal", "1.5h", 90 * M],
    ["spaced parts, as durationToMs takes them", "1h 30m", 90 * M],
    ["microseconds, rounded to ms", "1500us", 2],
    ["zero", "0", 0],
    // numbers are milliseconds
    ["a number", 90_061_000, 90_061_000],
    ["zero ms", 0, 0],
    // refused: neither grammar, or negative
    ["months (no unit)", "1mo", undefined],
    ["ISO 8601 durations", "PT1H", undefined],
    ["a negative number", -5, undefined],
    ["a negative string", "-5s", undefined],
    ["NaN", Number.NaN, undefined],
    ["Infinity", Number.POSITIVE_INFINITY, undefined],
    ["an empty string", "", undefined],
    ["words", "a while", undefined],
    ["a misspelt unit", "7 dayz", undefined],
    ["two decimal points", "1.5.5h", undefined],
    ["a Date (a time, not a duration)", new Date(0), undefined],
    ["null", null, undefined],
    // A value from an event may reach a step tool: a long run of digits is refused, not parsed in quadratic time.
    ["over 100 characters", `${"1".repeat(200_000)}x`, undefined],
    ["100 characters", `${"0".repeat(98)}1s`, 1000],
  ];
  for (const [name, input, expected] of cases) {
    test(`${name}: ${JSON.stringify(input)} → ${expected}`, () => assert.equal(parseDurationMs(input), expected));
  }
});

describe("parseTimeMs and step timeouts", () => {
  test("a time is a Date, an ISO string or epoch ms", () => {
    assert.equal(parseTimeMs(new Date(5000)), 5000);
    assert.equal(parseTimeMs("2030-01-01T00:00:00.000Z"), Date.UTC(2030, 0, 1));
    assert.equal(parseTimeMs(5000), 5000);
    assert.equal(parseTimeMs("not a date"), undefined);
    assert.equal(parseTimeMs(new Date(Number.NaN)), undefined);
  });

  test("a timeout is a duration from now, or a deadline given as a Date or an ISO date", () => {
    assert.equal(parseTimeout("1h30m", 1000, "t"), 1000 + 90 * M);
    assert.equal(parseTimeout(5000, 1000, "t"), 6000);
    assert.equal(parseTimeout(new Date(Date.UTC(2030, 0, 1)), 1000, "t"), Date.UTC(2030, 0, 1));
    assert.equal(parseTimeout("2030-01-01", 1000, "t"), Date.UTC(2030, 0, 1));
    assert.throws(() => parseTimeout("soon", 1000, 'step.invoke("x")'), {
      name: "NonRetriableError",
      message: /step\.invoke\("x"\) timeout: "soon"/,
    });
  });
});
