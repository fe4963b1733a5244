import type { Tombstones } from "../events/tombstones.ts";
import type { Pool } from "./postgres/create-pool.ts";

/** Why a send to a user was skipped: they were erased (a tombstone) or deleted in the mirror. */
export type UserGone = "erased" | "deleted";

/** Asks, right before a send, whether any of these users is gone; undefined when none is. */
export type UserGoneCheck = (userIds: readonly string[]) => Promise<UserGone | undefined>;

/**
 * Svix does not keep order: a `user.deleted` may arrive before its `user.created`, whose run
 * then has no cancelOn to stop it. So each built-in send looks again right before it goes: the
 * erased users' tombstones (Redis), then the users mirror's `deleted_at` when user-sync keeps one
 * in this process. Neither present (no mirror, no tombstones): nobody is ever gone.
 */
export function createUserGoneCheck(deps: {
  tombstones?: Pick<Tombstones, "anyErased">;
  database?: Pool;
}): UserGoneCheck {
  return async (userIds) => {
    if (userIds.length === 0) return undefined;
    if (await deps.tombstones?.anyErased(userIds)) return "erased";
    if (!deps.database) return undefined;
    const deleted = await deps.database.query(
      "SELECT 1 FROM users WHERE id = ANY($1::text[]) AND deleted_at IS NOT NULL LIMIT 1",
      [userIds],
    );
    return (deleted.rowCount ?? 0) > 0 ? "deleted" : undefined;
  };
}

/** The step result of a send skipped because its user is gone: visible on the run's timeline. */
export function skippedSend(gone: UserGone): { skipped: string } {
  return {
    skipped:
      gone === "erased"
        ? "the user was erased (tombstone): nothing sent"
        : "the user is deleted (users.deleted_at): nothing sent",
  };
}
