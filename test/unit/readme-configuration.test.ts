import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { CONFIG_VARIABLES } from "../../src/config/load-config.ts";

const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const section = README.slice(
  README.indexOf("## Configuration"),
  README.indexOf("\n## ", README.indexOf("## Configuration") + 1),
);
const documented = new Set([...section.matchAll(/^\| `([A-Z_<>]+)` \|/gm)].map((match) => match[1]));

test("the README's configuration table has a row for every variable the configuration reads", () => {
  assert.ok(CONFIG_VARIABLES.length > 20, "the schema's variables are listed");
  const missing = CONFIG_VARIABLES.filter((variable) => !documented.has(variable));
  assert.deepEqual(missing, [], `not in the README's configuration table: ${missing.join(", ")}`);
});

test("the table documents nothing the configuration does not read", () => {
  const extra = [...documented].filter(
    (variable) => variable !== "<SOURCE>_WEBHOOK_SECRET" && !CONFIG_VARIABLES.includes(variable as string),
  );
  assert.deepEqual(extra, []);
});
