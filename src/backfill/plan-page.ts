import type { ClerkRecord } from "./backfill-resources.ts";

/**
 * Where a backfill stands in Clerk's `+created_at` list. Offsets alone are not enough: a user
 * deleted behind the cursor moves every later user one place forward, and the next page, read at
 * the old offset, would silently skip one. So the cursor also remembers the last record it
 * accepted (its `created_at` and the ids sharing it), re-reads that record as an anchor at the
 * start of each page, and checks the anchor is still where it was.
 */
export interface Cursor {
  /** Positions consumed: the next unread record is at this offset, if nothing moved. */
  offset: number;
  /** `created_at` of the newest record accepted; null before the first page. */
  lastCreatedAt: number | null;
  /** The ids accepted with that `created_at` (usually one; several when sign-ups share a millisecond). */
  lastIds: string[];
}

export const START: Cursor = Object.freeze({ offset: 0, lastCreatedAt: null, lastIds: [] });

export type PagePlan =
  /** The anchor is gone (deletions behind the cursor): read again from further back. */
  | { kind: "rewind"; start: number }
  /** Send `fresh`, then record `cursor`; `last` when the list has no more records. */
  | { kind: "accept"; fresh: ClerkRecord[]; cursor: Cursor; last: boolean };

/** The offset to read the next page from: one before the cursor, to re-read the anchor. */
export function pageStart(cursor: Cursor): number {
  return cursor.lastCreatedAt === null ? cursor.offset : Math.max(0, cursor.offset - 1);
}

/**
 * Decides what a page read at `start` means. Pure, so each way the list can move under the cursor
 * is a row in a table test:
 * - nothing moved: the first record is the anchor; the others are fresh;
 * - records deleted behind the cursor: the first record is newer than the anchor (or the page is
 *   empty), so some may have been skipped: rewind a page and filter by `created_at` instead;
 * - records inserted behind the cursor (an import with old `created_at`): they are older than the
 *   anchor and filtered out; they reach the bridge through their own webhooks.
 * Ties on `created_at` count as fresh unless their id was already accepted: sending a record twice
 * is harmless (its event id dedupes), skipping one is not.
 */
export function planPage(
  cursor: Cursor,
  page: { start: number; limit: number; records: readonly ClerkRecord[] },
): PagePlan {
  const { start, limit, records } = page;
  const last = cursor.lastCreatedAt;
  const first = records[0];
  if (last !== null && start > 0 && (first === undefined || first.createdAt > last)) {
    return { kind: "rewind", start: Math.max(0, start - limit) };
  }
  const fresh = last === null ? [...records] : records.filter((record) => isAfter(record, last, cursor.lastIds));
  return { kind: "accept", fresh, cursor: advance(cursor, start, records), last: records.length < limit };
}

function isAfter(record: ClerkRecord, lastCreatedAt: number, lastIds: readonly string[]): boolean {
  return record.createdAt > lastCreatedAt || (record.createdAt === lastCreatedAt && !lastIds.includes(record.id));
}

/** The cursor past this page: its end, and the newest `created_at` seen with the ids that have it. */
function advance(cursor: Cursor, start: number, records: readonly ClerkRecord[]): Cursor {
  let lastCreatedAt = cursor.lastCreatedAt;
  let lastIds = cursor.lastIds;
  for (const record of records) {
    if (lastCreatedAt === null || record.createdAt > lastCreatedAt) {
      lastCreatedAt = record.createdAt;
      lastIds = [record.id];
    } else if (record.createdAt === lastCreatedAt && !lastIds.includes(record.id)) {
      lastIds = [...lastIds, record.id];
    }
  }
  return { offset: start + records.length, lastCreatedAt, lastIds };
}
