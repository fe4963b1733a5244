import { NonRetriableError, type BridgeFunction } from "../client/index.ts";
import type { BridgeMetrics } from "../metrics/create-metrics.ts";
import { bridgeApp } from "./bridge-app.ts";
import { outOfRangeTimestamp, toUserRow, userId } from "./clerk-user.ts";
import type { EraseReport } from "../events/personal-data.ts";
import type { Pool } from "./postgres/create-pool.ts";
import { markUserDeleted, upsertUser } from "./postgres/users-table.ts";

import { USER_SYNC_ID } from "../config/built-in-ids.ts";

/**
 * user-sync keeps the `users` table a mirror of Clerk. The order of writes is settled inside the
 * SQL (see users-table.ts), so this handler needs no locking and may see deliveries in any order.
 * While PostgreSQL is down the step throws a connection error and the engine retries it with
 * backoff; 12 retries (base·2^n, capped at an hour) span about an hour, past a restart or a failover.
 * `clerk/user.backfilled` (bridge backfill users) goes down the same path: an older backfilled
 * copy never overwrites a newer webhook, and a deleted user stays deleted.
 */
/** An `updated_at` further ahead than this is not Clerk's clock: it would freeze the row against every genuine update. */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

export interface UserSyncDeps {
  pool: Pool;
  metrics?: BridgeMetrics;
  /** ERASE_ON_DELETE: after marking a user deleted, erase what the bridge holds about them (keeping this event). */
  erase?: (userId: string, options: { keepEventId: string }) => Promise<EraseReport>;
}

export function createUserSync(deps: UserSyncDeps): BridgeFunction {
  return bridgeApp.createFunction(
    {
      id: USER_SYNC_ID,
      name: "Sync Clerk users to PostgreSQL",
      triggers: [
        { event: "clerk/user.created" },
        { event: "clerk/user.updated" },
        { event: "clerk/user.deleted" },
        { event: "clerk/user.backfilled" },
      ],
      retries: 12,
    },
    async ({ event, step, logger }) => {
      const data = event.data;
      if (event.name === "clerk/user.deleted") {
        const id = userId(data);
        if (!id) {
          // Clerk documents `id` as optional on user.deleted; without it there is no row to mark.
          logger.warn({ eventId: event.id }, "user-sync: clerk/user.deleted without data.id, nothing to mark deleted");
          return { outcome: "skipped", reason: "user.deleted without data.id" };
        }
        const outcome = await step.run("mark-user-deleted", () => markUserDeleted(deps.pool, id, new Date(event.ts)));
        const erase = deps.erase;
        if (!erase) return { id, outcome };
        // Its own step: retried alone, and the report (counts, no personal data) is the step's output.
        const erased = await step.run("erase-user", () => erase(id, { keepEventId: event.id }));
        return { id, outcome, erased };
      }
      // Not a time at all: fails at once, where PostgreSQL would refuse it on every retry for an hour.
      const outOfRange = outOfRangeTimestamp(data);
      if (outOfRange) throw new NonRetriableError(`user-sync: ${outOfRange}`);
      const row = toUserRow(data, event.ts);
      if (!row) {
        logger.warn(
          { eventId: event.id, eventName: event.name },
          "user-sync: a user event without data.id, nothing to write",
        );
        return { outcome: "skipped", reason: `${event.name} without data.id` };
      }
      if (row.updatedAt.getTime() > Date.now() + MAX_FUTURE_SKEW_MS) {
        // A forged or broken timestamp far ahead would win against every real update after it.
        deps.metrics?.userSyncIgnored.inc({ reason: "future_updated_at" });
        logger.warn(
          { eventId: event.id, userId: row.id, updatedAt: row.updatedAt.toISOString() },
          "user-sync: updated_at is more than 5 minutes in the future, not written",
        );
        return { id: row.id, outcome: "ignored", reason: "updated_at in the future" };
      }
      const outcome = await step.run("upsert-user", () => upsertUser(deps.pool, row));
      return { id: row.id, outcome };
    },
  );
}
