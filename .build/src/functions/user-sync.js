import { bridgeApp } from "./bridge-app.js";
import { toUserRow, userId } from "./clerk-user.js";
import { markUserDeleted, upsertUser } from "./postgres/users-table.js";
import { USER_SYNC_ID } from "./built-in-ids.js";
const MAX_FUTURE_SKEW_MS = 5 * 60 * 1e3;
function createUserSync(deps) {
  return bridgeApp.createFunction(
    {
      id: USER_SYNC_ID,
      name: "Sync Clerk users to PostgreSQL",
      triggers: [{ event: "clerk/user.created" }, { event: "clerk/user.updated" }, { event: "clerk/user.deleted" }, { event: "clerk/user.backfilled" }],
      retries: 12
    },
    async ({ event, step, logger }) => {
      const data = event.data;
      if (event.name === "clerk/user.deleted") {
        const id = userId(data);
        if (!id) {
          logger.warn({ eventId: event.id }, "user-sync: clerk/user.deleted without data.id, nothing to mark deleted");
          return { outcome: "skipped", reason: "user.deleted without data.id" };
        }
        const outcome2 = await step.run("mark-user-deleted", () => markUserDeleted(deps.pool, id, new Date(event.ts)));
        const erase = deps.erase;
        if (!erase) return { id, outcome: outcome2 };
        const erased = await step.run("erase-user", () => erase(id, { keepEventId: event.id }));
        return { id, outcome: outcome2, erased };
      }
      const row = toUserRow(data, event.ts);
      if (!row) {
        logger.warn({ eventId: event.id, eventName: event.name }, "user-sync: a user event without data.id, nothing to write");
        return { outcome: "skipped", reason: `${event.name} without data.id` };
      }
      if (row.updatedAt.getTime() > Date.now() + MAX_FUTURE_SKEW_MS) {
        deps.metrics?.userSyncIgnored.inc({ reason: "future_updated_at" });
        logger.warn({ eventId: event.id, userId: row.id, updatedAt: row.updatedAt.toISOString() }, "user-sync: updated_at is more than 5 minutes in the future, not written");
        return { id: row.id, outcome: "ignored", reason: "updated_at in the future" };
      }
      const outcome = await step.run("upsert-user", () => upsertUser(deps.pool, row));
      return { id: row.id, outcome };
    }
  );
}
export {
  MAX_FUTURE_SKEW_MS,
  createUserSync
};
