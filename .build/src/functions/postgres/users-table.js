import { NonRetriableError } from "../../engine/index.js";
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
async function upsertUser(pool, row) {
  const result = await storable(
    () => pool.query(UPSERT_USER, [row.id, row.email, row.firstName, row.lastName, row.imageUrl, row.createdAt, row.updatedAt, JSON.stringify(row.raw)])
  );
  const written = result.rows[0];
  if (written) return written.inserted ? "inserted" : "updated";
  const current = await pool.query("SELECT deleted_at IS NOT NULL AS deleted FROM users WHERE id = $1", [row.id]);
  return current.rows[0]?.deleted ? "deleted" : "stale";
}
const MARK_USER_DELETED = `
  INSERT INTO users AS u (id, deleted_at) VALUES ($1, $2)
  ON CONFLICT (id) DO UPDATE SET deleted_at = EXCLUDED.deleted_at
  WHERE u.deleted_at IS NULL
  RETURNING id`;
async function markUserDeleted(pool, id, deletedAt) {
  const result = await storable(() => pool.query(MARK_USER_DELETED, [id, deletedAt]));
  return result.rowCount === 1 ? "deleted" : "already-deleted";
}
async function findUser(pool, id) {
  const result = await pool.query("SELECT * FROM users WHERE id = $1", [id]);
  return result.rows[0] ?? null;
}
async function countUsers(pool) {
  const result = await pool.query("SELECT count(*) AS count FROM users WHERE deleted_at IS NULL");
  return Number(result.rows[0]?.count ?? 0);
}
const UNSTORABLE = /* @__PURE__ */ new Set(["22021", "22P05"]);
async function storable(query) {
  try {
    return await query();
  } catch (error) {
    const code = error.code;
    if (typeof code === "string" && UNSTORABLE.has(code)) {
      throw new NonRetriableError(`PostgreSQL cannot store this user (${code}): ${error.message}`, { cause: error });
    }
    throw error;
  }
}
const ERASE_USER = `
  INSERT INTO users AS u (id, deleted_at) VALUES ($1, now())
  ON CONFLICT (id) DO UPDATE SET
    email = NULL, first_name = NULL, last_name = NULL, image_url = NULL, raw = NULL,
    created_at = NULL, updated_at = NULL, deleted_at = COALESCE(u.deleted_at, now())
  RETURNING (xmax = 0) AS inserted`;
async function eraseUserRow(pool, id, emails) {
  const before = await pool.query("SELECT email FROM users WHERE id = $1", [id]);
  const email = before.rows[0]?.email;
  if (email) emails.add(email);
  const result = await pool.query(ERASE_USER, [id]);
  return result.rows[0]?.inserted ? "tombstoned" : "erased";
}
export {
  countUsers,
  eraseUserRow,
  findUser,
  markUserDeleted,
  upsertUser
};
