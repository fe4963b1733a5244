export const MIGRATIONS = [
    {
        version: 1,
        name: "create users",
        // The contract table from DESIGN.md. `raw` keeps Clerk's whole payload for fields not mirrored.
        sql: `
      CREATE TABLE IF NOT EXISTS users (
        id text PRIMARY KEY,
        email text,
        first_name text,
        last_name text,
        image_url text,
        created_at timestamptz,
        updated_at timestamptz,
        deleted_at timestamptz,
        raw jsonb
      );
      CREATE INDEX IF NOT EXISTS users_email_idx ON users (lower(email)) WHERE deleted_at IS NULL;
    `,
    },
];
