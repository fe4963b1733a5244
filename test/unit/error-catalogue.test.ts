import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { ERROR_CODES } from "../../src/errors.ts";

test("every error code is in the README's error table, on the row of its status", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const rows = new Map(
    readme
      .split("\n")
      .map((line) => /^\| (\d{3}) \| (.*) \|$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [Number(match[1]), match[2]!]),
  );
  for (const [code, { status }] of Object.entries(ERROR_CODES)) {
    assert.ok(rows.get(status)?.includes(`\`${code}\``), `${code} (${status}) is not in the README's row for ${status}`);
  }
});
