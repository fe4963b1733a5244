import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ClerkRecord } from "../../src/backfill/backfill-resources.ts";
import { pageStart, planPage, START, type Cursor, type PagePlan } from "../../src/backfill/plan-page.ts";

/** A record created at second `n` (ids sort like their creation times). */
const rec = (n: number, createdAt = n * 1000): ClerkRecord => ({
  id: `user_${n}`,
  createdAt,
  updatedAt: createdAt,
  raw: { id: `user_${n}` },
});
const list = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => rec(from + index));
const ids = (plan: PagePlan) => (plan.kind === "accept" ? plan.fresh.map((record) => record.id) : plan);

/** The cursor after accepting users 1..n from a list where nothing moved. */
const after = (n: number): Cursor => ({ offset: n, lastCreatedAt: n * 1000, lastIds: [`user_${n}`] });

describe("where the next page is read", () => {
  test("the first page starts at 0; later ones one record early, to re-read the anchor", () => {
    assert.equal(pageStart(START), 0);
    assert.equal(pageStart(after(10)), 9);
  });
});

describe("planPage: what a page read at `start` means", () => {
  const cases: Array<{
    name: string;
    cursor: Cursor;
    start: number;
    records: ClerkRecord[];
    fresh?: string[];
    rewindTo?: number;
    next?: Cursor;
    last?: boolean;
  }> = [
    {
      name: "the first page: every record is fresh",
      cursor: START,
      start: 0,
      records: list(1, 10),
      fresh: list(1, 10).map((r) => r.id),
      next: after(10),
      last: false,
    },
    {
      name: "nothing moved: the anchor comes first and is not sent again",
      cursor: after(10),
      start: 9,
      records: list(10, 19),
      fresh: list(11, 19).map((r) => r.id),
      next: after(19),
      last: false,
    },
    {
      name: "a short page is the last one",
      cursor: after(19),
      start: 18,
      records: list(19, 23),
      fresh: list(20, 23).map((r) => r.id),
      next: after(23),
      last: true,
    },
    {
      name: "the list ends exactly at the cursor: only the anchor comes back, and that is the end",
      cursor: after(20),
      start: 19,
      records: [rec(20)],
      fresh: [],
      next: after(20),
      last: true,
    },
    {
      name: "a record deleted behind the cursor: the page starts after the anchor, so it rewinds a page",
      cursor: after(20),
      start: 19,
      records: list(21, 30),
      rewindTo: 9,
    },
    {
      name: "the anchor itself was deleted: rewinds the same way",
      cursor: after(20),
      start: 19,
      records: [rec(21), ...list(22, 30)],
      rewindTo: 9,
    },
    {
      name: "so many deleted that the page is empty: rewinds rather than stopping early",
      cursor: after(20),
      start: 19,
      records: [],
      rewindTo: 9,
    },
    {
      name: "after a rewind, records already sent are filtered out by created_at",
      cursor: after(20),
      start: 9,
      records: [...list(11, 19), ...list(21, 21)],
      fresh: ["user_21"],
      next: { offset: 19, lastCreatedAt: 21_000, lastIds: ["user_21"] },
      last: false,
    },
    {
      name: "a rewind reaching the start reads from 0 without checking the anchor",
      cursor: after(5),
      start: 0,
      records: [rec(7), rec(8)],
      fresh: ["user_7", "user_8"],
      next: { offset: 2, lastCreatedAt: 8000, lastIds: ["user_8"] },
      last: true,
    },
    {
      name: "a record inserted behind the cursor (an import with an old created_at) is left to its webhook",
      cursor: after(10),
      start: 9,
      records: [rec(5, 5500), rec(10), ...list(11, 18)],
      fresh: list(11, 18).map((r) => r.id),
      next: { offset: 19, lastCreatedAt: 18_000, lastIds: ["user_18"] },
      last: false,
    },
    {
      name: "ties on created_at: an id not yet sent is fresh, one already sent is not",
      cursor: { offset: 10, lastCreatedAt: 10_000, lastIds: ["user_10"] },
      start: 9,
      records: [rec(10), rec(99, 10_000), rec(11)],
      fresh: ["user_99", "user_11"],
      next: { offset: 12, lastCreatedAt: 11_000, lastIds: ["user_11"] },
      last: true,
    },
    {
      name: "a page ending in a tie remembers every id of that millisecond",
      cursor: after(10),
      start: 9,
      records: [rec(10), rec(11), rec(12, 11_000)],
      fresh: ["user_11", "user_12"],
      next: { offset: 12, lastCreatedAt: 11_000, lastIds: ["user_11", "user_12"] },
      last: true,
    },
  ];

  for (const c of cases) {
    test(c.name, () => {
      const plan = planPage(c.cursor, { start: c.start, limit: 10, records: c.records });
      if (c.rewindTo !== undefined) {
        assert.deepEqual(plan, { kind: "rewind", start: c.rewindTo });
        return;
      }
      assert.equal(plan.kind, "accept");
      assert.deepEqual(ids(plan), c.fresh);
      if (plan.kind !== "accept") return;
      assert.deepEqual(plan.cursor, c.next);
      assert.equal(plan.last, c.last);
    });
  }
});

describe("paging a list that changes under the cursor sends every surviving record", () => {
  /** Runs the planner over an in-memory list the way runBackfill does, deleting behind the cursor between pages. */
  function backfill(records: ClerkRecord[], limit: number, betweenPages: (list: ClerkRecord[], page: number) => void) {
    const current = [...records];
    const sent = new Set<string>();
    let cursor: Cursor = START;
    let start = pageStart(cursor);
    for (let page = 0; page < 1000; page++) {
      const plan = planPage(cursor, { start, limit, records: current.slice(start, start + limit) });
      if (plan.kind === "rewind") {
        start = plan.start;
        continue;
      }
      for (const record of plan.fresh) sent.add(record.id);
      if (plan.last) return sent;
      cursor = plan.cursor;
      betweenPages(current, page);
      start = pageStart(cursor);
    }
    throw new Error("the backfill did not end");
  }

  for (const deletions of [1, 3, 10, 25]) {
    test(`${deletions} records deleted behind the cursor after each page`, () => {
      const all = list(1, 300);
      const deleted = new Set<string>();
      const sent = backfill(all, 20, (current, page) => {
        // The oldest survivors go: everything after them moves forward.
        const victims = current.splice(page % 5, deletions);
        for (const victim of victims) deleted.add(victim.id);
      });
      const missing = all.filter((record) => !deleted.has(record.id) && !sent.has(record.id));
      assert.deepEqual(missing, []);
    });
  }
});
