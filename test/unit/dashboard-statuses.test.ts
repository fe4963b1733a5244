import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { FINAL_STATUSES, RUN_STATUSES, STEP_STATUSES } from "../../src/engine/store/run-state.ts";

/**
 * The dashboard is plain JavaScript served as it is, so it keeps its own copy of the statuses; these
 * tests import that module in Node and hold it to the server's lists. The module is JavaScript that
 * tsconfig.dashboard.json checks, not this project's config: it is imported by URL and described here.
 */
interface DashboardStatuses {
  RUN_STATUSES: readonly string[];
  FINAL_STATUSES: readonly string[];
  BUSY_STATUSES: readonly string[];
  STEP_STATUSES: readonly string[];
  LEGEND_STATUSES: readonly string[];
  statusLook(status: string | undefined): { label: string; tone: string; mark: string };
  isFinal(status: string): boolean;
  isBusy(status: string): boolean;
}
const PUBLIC = new URL("../../src/dashboard/public/", import.meta.url);
const dashboard = (await import(new URL("js/statuses.js", PUBLIC).href)) as DashboardStatuses;

describe("the dashboard's statuses", () => {
  test("are the server's run, final and step statuses, in the server's order", () => {
    assert.deepEqual(dashboard.RUN_STATUSES, RUN_STATUSES);
    assert.deepEqual(dashboard.STEP_STATUSES, STEP_STATUSES);
    assert.deepEqual(
      dashboard.FINAL_STATUSES,
      RUN_STATUSES.filter((status) => FINAL_STATUSES.has(status)),
    );
    assert.deepEqual(
      [...FINAL_STATUSES].sort(),
      [...dashboard.FINAL_STATUSES].sort(),
      "the server has no final status the dashboard lacks",
    );
  });

  test("a final run is not busy, and every status says which it is", () => {
    assert.deepEqual(dashboard.BUSY_STATUSES, ["queued", "running"]);
    for (const status of RUN_STATUSES) {
      assert.equal(dashboard.isFinal(status), FINAL_STATUSES.has(status), status);
      assert.ok(!(dashboard.isFinal(status) && dashboard.isBusy(status)), `${status} is both final and busy`);
    }
  });

  test("every run and step status has a label, a tone and a timeline mark", () => {
    for (const status of new Set([...RUN_STATUSES, ...STEP_STATUSES])) {
      const look = dashboard.statusLook(status);
      assert.notEqual(look.label, status, `${status} has a label of its own`);
      assert.match(look.mark, /^.$/u, `${status} has a mark`);
    }
    assert.deepEqual(
      dashboard.statusLook("paused"),
      { label: "paused", tone: "off", mark: "" },
      "an unknown status shows as plain text",
    );
  });

  test("app.css colours every tone, and the legend shows each tone once", () => {
    const tones = new Set([...RUN_STATUSES, ...STEP_STATUSES].map((status) => dashboard.statusLook(status).tone));
    const css = readFileSync(new URL("app.css", PUBLIC), "utf8");
    for (const tone of tones)
      assert.match(css, new RegExp(`\\.tone-${tone} \\{\\s*--tone: `), `app.css defines .tone-${tone}`);
    const legendTones = dashboard.LEGEND_STATUSES.map((status) => dashboard.statusLook(status).tone);
    assert.deepEqual([...legendTones].sort(), [...tones].sort());
  });
});
