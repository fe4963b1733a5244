import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { matchesName, parseEventSearch } from "../../src/search/event-search-query.ts";
import { globMatches } from "../../src/util/glob-match.ts";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

/** The reference: the RegExp the search used to build. Only ever run on the small inputs below. */
function reference(pattern: string, text: string): boolean {
  const escaped = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join("[\\s\\S]*")}$`).test(text);
}

const small = (alphabet: string[], maxLength: number) =>
  fc.array(fc.constantFrom(...alphabet), { maxLength }).map((chars) => chars.join(""));

describe("globMatches, the linear matcher behind name patterns", () => {
  test("agrees with a regular expression on every small pattern and name", () => {
    fc.assert(
      fc.property(small(["a", "b", "*", "/", ".", "\n"], 8), small(["a", "b", "/", ".", "\n"], 10), (pattern, text) => {
        assert.equal(globMatches(pattern, text), reference(pattern, text));
      }),
      { numRuns: RUNS * 10 },
    );
  });

  test("hostile patterns over the longest names end, and say what a star means", () => {
    const name = fc.oneof(
      fc.string({ maxLength: 256 }),
      fc.nat({ max: 256 }).map((n) => "a".repeat(n)),
      fc.tuple(fc.nat({ max: 127 }), fc.nat({ max: 127 })).map(([a, b]) => `${"a".repeat(a)}\n${"a".repeat(b)}`),
    );
    const pattern = fc.oneof(
      fc.string({ maxLength: 256 }),
      fc.nat({ max: 256 }).map((n) => "*".repeat(n)),
      fc.nat({ max: 120 }).map((n) => `${"*a".repeat(n)}*b`),
      fc.array(fc.constantFrom("*", "a", "b", "\n"), { maxLength: 256 }).map((chars) => chars.join("")),
    );
    fc.assert(
      fc.property(pattern, name, (p, n) => {
        const found = globMatches(p, n);
        // Stars only: everything matches. A pattern ending in `b` never matches a name of `a`s.
        if (/^\**$/.test(p) && p.length > 0) assert.equal(found, true);
        if (p.endsWith("b") && !n.includes("b")) assert.equal(found, false);
      }),
      { numRuns: RUNS },
    );
  });

  test("event search reads a pattern case-insensitively, from the name or after its source", () => {
    const search = parseEventSearch("USER.*");
    assert.equal(search.kind, "pattern");
    assert.equal(matchesName("clerk/user.created", search as { pattern: string }), true);
    assert.equal(matchesName("clerk/session.created", search as { pattern: string }), false);
    assert.equal(matchesName("Clerk/User.Created", { pattern: "clerk/*.created" }), true);
  });
});
