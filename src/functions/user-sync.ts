import type { BridgeFunction } from "../engine/index.ts";
import { bridgeApp } from "./bridge-app.ts";
import { toUserRow, userId } from "./clerk-user.ts";
import type { Pool } from "./postgres/create-pool.ts";
import { markUserDeleted, upsertUser } from "./postgres/users-table.ts";

import { USER_SYNC_ID } from "./built-in-ids.ts";

/**
 * user-sync keeps the `users` table a mirror of Clerk. The order of writes is settled inside the
 * SQL (see users-table.ts), so this handler needs no locking and may see deliveries in any order.
 * While PostgreSQL is down the step throws a connection error and the engine retries it with
 * backoff; 12 retries (base·2^n, capped at an hour) span about an hour, past a restart or a failover.
 */
export function createUserSync(deps: { pool: Pool }): BridgeFunction {
  return bridgeApp.createFunction(
    {
      id: USER_SYNC_ID,
      name: "Sync Clerk users to PostgreSQL",
      triggers: [{ event: "clerk/user.created" }, { event: "clerk/user.updated" }, { event: "clerk/user.deleted" }],
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
        return { id, outcome };
      }
      const row = toUserRow(data, event.ts);
      if (!row) {
        logger.warn({ eventId: event.id, eventName: event.name }, "user-sync: a user event without data.id, nothing to write");
        return { outcome: "skipped", reason: `${event.name} without data.id` };
      }
      const outcome = await step.run("upsert-user", () => upsertUser(deps.pool, row));
      return { id: row.id, outcome };
    },
  );
}
