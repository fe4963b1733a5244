/**
 * When each expected row of the `users` table becomes visible, found by polling. Polling reads
 * what a reader of the table sees (committed rows), and costs PostgreSQL nothing on the write
 * path: a NOTIFY trigger would serialise the bridge's commits on the notification queue lock.
 */
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";

/** Polling gaps: with many rows outstanding a full read of the ids, with FEW_ROWS or fewer a lookup by id. */
export const POLL_MS = { many: 10, few: 2 } as const;
export const FEW_ROWS = 64;

export interface UsersWatch {
  /** Starts watching for `id`; call it just before sending the event that writes the row. */
  expect(id: string): void;
  /** `clock()` at the start of the first poll that saw the row: an upper bound, within one gap. */
  seenAt: Map<string, number>;
  /** Set if a poll failed; polling stops then. */
  readonly error: Error | undefined;
  close(): Promise<void>;
}

/** `clock` must be the one the caller times its sends with. */
export async function watchUsers(url: string, clock: () => number): Promise<UsersWatch> {
  const client = new pg.Client({ connectionString: url, application_name: "bench-e2e" });
  await client.connect();
  const pending = new Set<string>();
  const seenAt = new Map<string, number>();
  let running = true;
  let error: Error | undefined;
  const loop = (async () => {
    while (running) {
      const few = pending.size <= FEW_ROWS;
      if (pending.size > 0) {
        // Taken before the query goes out: the snapshot the query reads is at least this recent.
        const polledAt = clock();
        for (const id of await visibleIds(client, few ? [...pending] : null)) {
          if (pending.delete(id)) seenAt.set(id, polledAt);
        }
      }
      await sleep(few ? POLL_MS.few : POLL_MS.many);
    }
  })().catch((failure: unknown) => {
    error = failure instanceof Error ? failure : new Error(String(failure));
  });
  return {
    expect: (id) => void pending.add(id),
    seenAt,
    get error() {
      return error;
    },
    async close() {
      running = false;
      await loop;
      await client.end();
    },
  };
}

/** The ids among `ids` that are in the table, or every id when `ids` is null. */
async function visibleIds(client: pg.Client, ids: string[] | null): Promise<string[]> {
  // string_agg: one row back instead of a thousand, so the bench's own CPU stays out of the way.
  const result = ids
    ? await client.query<{ ids: string | null }>(
        "SELECT string_agg(id, ' ') AS ids FROM users WHERE id = ANY($1::text[])",
        [ids],
      )
    : await client.query<{ ids: string | null }>("SELECT string_agg(id, ' ') AS ids FROM users");
  return result.rows[0]?.ids?.split(" ") ?? [];
}
