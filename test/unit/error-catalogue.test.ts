import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { ERROR_CODES, STARTUP_ERROR_CODES } from "../../src/errors.ts";

const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("the error catalogue", () => {
  test("every request error code is in the README's error table, on the row of its status", () => {
    const rows = new Map(
      README.split("\n")
        .map((line) => /^\| (\d{3}) \| (.*) \|$/.exec(line))
        .filter((match): match is RegExpExecArray => match !== null)
        .map((match) => [Number(match[1]), match[2]!]),
    );
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      assert.ok(
        rows.get(status)?.includes(`\`${code}\``),
        `${code} (${status}) is not in the README's row for ${status}`,
      );
    }
  });

  for (const code of Object.keys(STARTUP_ERROR_CODES)) {
    test(`the README documents the startup error \`${code}\``, () =>
      assert.ok(README.includes(`| \`${code}\` |`), `${code} is missing from the README's startup table`));
  }

  test("request and startup codes never share a name", () => {
    for (const code of Object.keys(STARTUP_ERROR_CODES)) assert.ok(!(code in ERROR_CODES), code);
  });
});
