import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { ERROR_CODES, STARTUP_ERROR_CODES } from "../../src/errors.ts";

const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("the error catalogue", () => {
  for (const code of Object.keys(ERROR_CODES)) {
    test(`the README documents the request error \`${code}\``, () => assert.ok(README.includes(`\`${code}\``), `${code} is missing from the README`));
  }
  for (const code of Object.keys(STARTUP_ERROR_CODES)) {
    test(`the README documents the startup error \`${code}\``, () => assert.ok(README.includes(`| \`${code}\` |`), `${code} is missing from the README's startup table`));
  }
  test("request and startup codes never share a name", () => {
    for (const code of Object.keys(STARTUP_ERROR_CODES)) assert.ok(!(code in ERROR_CODES), code);
  });
});
