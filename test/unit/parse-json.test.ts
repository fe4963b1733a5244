import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { isBridgeError } from "../../src/errors.ts";
import { MAX_JSON_DEPTH, nestingDepth, parseJson } from "../../src/util/parse-json.ts";

/** The nesting of a parsed value, counted the slow way. */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

describe("parseJson", () => {
  test("the scan counts nesting as the parser sees it, whatever the strings hold", () => {
    const tricky = fc.constantFrom('"[', '"{', '\\"[', "\\\\", "]]]", "}}", "\\u005b", '\\"');
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        fc.string(),
        fc.stringMatching(/^[[\]{}"\\]*$/),
        tricky,
        fc.integer(),
        fc.array(tie("node"), { maxLength: 3 }),
        fc.dictionary(fc.oneof(fc.string(), tricky), tie("node"), { maxKeys: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, fc.constantFrom(0, 2), (parsed, indent) => {
        assert.equal(nestingDepth(JSON.stringify(parsed, null, indent)), depthOf(parsed));
      }),
      { numRuns: 2000 },
    );
  });

  test(`nesting past ${MAX_JSON_DEPTH} levels is body_malformed before JSON.parse runs; ${MAX_JSON_DEPTH} is fine`, () => {
    const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
    assert.equal(depthOf(parseJson(nested(MAX_JSON_DEPTH))), MAX_JSON_DEPTH);
    for (const text of [
      nested(MAX_JSON_DEPTH + 1),
      "[".repeat(1_000_000),
      `{"a":${'{"a":'.repeat(5000)}1${"}".repeat(5001)}`,
    ]) {
      assert.throws(
        () => parseJson(text),
        (error) => isBridgeError(error) && error.code === "body_malformed" && /deeper than 64/.test(error.message),
      );
    }
  });

  test("invalid JSON is body_malformed", () => {
    for (const text of ["{nope", "", "[1,]", '"unterminated', "\u0000"]) {
      assert.throws(
        () => parseJson(text),
        (error) => isBridgeError(error) && error.code === "body_malformed",
      );
    }
  });
});
