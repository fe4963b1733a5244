import { NonRetriableError } from "../../client/index.ts";
import type { PersonalDataStore } from "../../events/personal-data.ts";
import type { UserRow } from "../clerk-user.ts";
import type { Pool } from "./create-pool.ts";

/**
 * Writes to the `users` mirror. Svix delivers in no guaranteed order and retries for a day, so
 * each statement carries its own ordering guard: the decision and the write are one atomic
 * statement, with no read-then-write race between two workers.
 */

export type UpsertOutcome = "inserted" | "updated" | "stale" | "deleted";
export type DeleteOutcome = "deleted" | "already-deleted";

/*
 * The WHERE of ON CONFLICT DO UPDATE is the guard:
 * - a row already deleted stays as it is: a late user.updated never brings a user back (Clerk
 *   never restores a deleted user id);
 * - otherwise only a strictly newer updated_at wins, so an older delivery arriving last is a no-op.
 * `xmax = 0` in RETURNING tells a fresh insert from an update.
 */
const UPSERT_USER = `
  INSERT INTO users AS u (id, email, first_name, last_name, image_url, created_at, updated_at, raw)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
  ON CONFLICT (id) DO UPDATE SET
    email = EXCLUDED.email,
    first_name = EXCLUDED.first_name,
    last_name = EXCLUDED.last_name,
    image_url = EXCLUDED.image_url,
    created_at = COALESCE(EXCLUDED.created_at, u.created_at),
    updated_at = EXCLUDED.updated_at,
    raw = EXCLUDED.raw
  WHERE u.deleted_at IS NULL
    AND (u.updated_at IS NULL OR EXCLUDED.updated_at > u.updated_at)
  RETURNING (xmax = 0) AS inserted`;

export async function upsertUser(pool: Pool, row: UserRow): Promise<UpsertOutcome> {
  const result = await storable(() =>
    pool.query<{ inserted: boolean }>(UPSERT_USER, [
      row.id,
      row.email,
      row.firstName,
      row.lastName,
      row.imageUrl,
      row.createdAt,
      row.updatedAt,
      JSON.stringify(row.raw),
    ]),
  );
  const written = result.rows[0];
  if (written) return written.inserted ? "inserted" : "updated";
  // Nothing written: the row is either newer or deleted. Say which, for the step's output.
  const current = await pool.query<{ deleted: boolean }>(
    "SELECT deleted_at IS NOT NULL AS deleted FROM users WHERE id = $1",
    [row.id],
  );
  return current.rows[0]?.deleted ? "deleted" : "stale";
}

/*
 * A delete that arrives before the create leaves a tombstone (only id and deleted_at), so the
 * create arriving later is refused by the guard above. A redelivered delete keeps the first time.
 */
const MARK_USER_DELETED = `
  INSERT INTO users AS u (id, deleted_at) VALUES ($1, $2)
  ON CONFLICT (id) DO UPDATE SET deleted_at = EXCLUDED.deleted_at
  WHERE u.deleted_at IS NULL
  RETURNING id`;

export async function markUserDeleted(pool: Pool, id: string, deletedAt: Date): Promise<DeleteOutcome> {
  const result = await storable(() => pool.query(MARK_USER_DELETED, [id, deletedAt]));
  return result.rowCount === 1 ? "deleted" : "already-deleted";
}

export interface StoredUser {
  id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  image_url: string | null;
  created_at: Date | null;
  updated_at: Date | null;
  deleted_at: Date | null;
  raw: Record<string, unknown> | null;
}

export async function findUser(pool: Pool, id: string): Promise<StoredUser | null> {
  const result = await pool.query<StoredUser>("SELECT * FROM users WHERE id = $1", [id]);
  return result.rows[0] ?? null;
}

/** The users mirrored and not deleted (tombstones left by an early delete are deleted too). */
export async function countUsers(pool: Pool): Promise<number> {
  const result = await pool.query<{ count: string }>("SELECT count(*) AS count FROM users WHERE deleted_at IS NULL");
  // count(*) is a bigint, which pg returns as a string so as not to lose precision.
  return Number(result.rows[0]?.count ?? 0);
}

/**
 * Data PostgreSQL can never store (a NUL byte in text or JSON, a byte sequence that is not UTF-8)
 * will fail the same way on every retry: it fails the step at once instead.
 * https://www.postgresql.org/docs/current/errcodes-appendix.html (22021, 22P05)
 */
const UNSTORABLE = new Set(["22021", "22P05"]);

async function storable<T>(query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && UNSTORABLE.has(code)) {
      throw new NonRetriableError(`PostgreSQL cannot store this user (${code}): ${(error as Error).message}`, {
        cause: error,
      });
    }
    throw error;
  }
}

/*
 * Erasure: the row keeps only its id and deleted_at (a tombstone when there was none), so the
 * ordering guard still refuses a late create or update; the profile and Clerk's payload go.
 */
const ERASE_USER = `
  INSERT INTO users AS u (id, deleted_at) VALUES ($1, now())
  ON CONFLICT (id) DO UPDATE SET
    email = NULL, first_name = NULL, last_name = NULL, image_url = NULL, raw = NULL,
    created_at = NULL, updated_at = NULL, deleted_at = COALESCE(u.deleted_at, now())
  RETURNING (xmax = 0) AS inserted`;

/** Erases the row's personal data; adds its email, if any, to `emails` (for the outbox). */
export async function eraseUserRow(pool: Pool, id: string, emails: Set<string>): Promise<"erased" | "tombstoned"> {
  const before = await pool.query<{ email: string | null }>("SELECT email FROM users WHERE id = $1", [id]);
  const email = before.rows[0]?.email;
  if (email) emails.add(email);
  const result = await pool.query<{ inserted: boolean }>(ERASE_USER, [id]);
  return result.rows[0]?.inserted ? "tombstoned" : "erased";
}

/**
 * Erasure of the users row (user-sync's mirror): only the id and deleted_at stay. Its email joins
 * the addresses erased from the outbox next. Without a database here, nothing is erased.
 */
export const userRow: PersonalDataStore<{ database?: Pool }> = {
  name: "users row",
  holds: "the user's profile mirrored by user-sync (PostgreSQL)",
  families: [],
  async erase({ database }, user) {
    return { usersRow: database ? await eraseUserRow(database, user.id, user.emails) : "no database" };
  },
};
