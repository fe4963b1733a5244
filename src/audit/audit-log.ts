import type { Redis } from "ioredis";
import type { BridgeKeys } from "../redis/keys.ts";

/** What operators do that changes something, or who they are. */
export const AUDIT_ACTIONS = [
  "sign-in",
  "sign-out",
  "send",
  "replay",
  "edit-and-replay",
  "cancel",
  "retry",
  "erase",
  "rerun-delivery",
  "send-to-dev-bridge",
  "bulk-replay",
  "bulk-retry",
  "bulk-cancel",
  "pause",
  "resume",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The log keeps the newest entries up to this many... */
export const AUDIT_MAX_ENTRIES = 10_000;
/** ...and none older than this. */
export const AUDIT_RETENTION_MS = 90 * 24 * 60 * 60 * 1000;

export interface AuditRecord {
  /** Who: `session:<digest>`, `token:<digest>` or `loopback`; never a secret. */
  actor: string;
  action: AuditAction;
  /** What it was done to: an event id, a run id, a user id. */
  target?: string;
  /** The client's address, as the rate limiters see it. */
  address?: string;
  /** Anything else worth keeping (event names, the new event's id); no secrets, no payloads. */
  details?: Record<string, unknown>;
}

export interface AuditEntry extends AuditRecord {
  /** The stream entry id: the cursor for the next page. */
  id: string;
  /** When (ms). */
  at: number;
}

export interface AuditLog {
  record(entry: AuditRecord): Promise<void>;
  /** Newest first; pass `next` (a stream id, `<ms>-<seq>`) as `before` for older entries. */
  list(query: { limit: number; before?: string }): Promise<{ items: AuditEntry[]; next?: string }>;
}

/**
 * The operators' audit log: a Redis stream capped by length and by age, trimmed as it is written.
 * Entries are written after the action succeeded; the caller decides what a failed write means
 * (the operator API logs it and answers anyway, since the action already happened).
 */
export function createAuditLog(redis: Redis, keys: Pick<BridgeKeys, "audit">): AuditLog {
  return {
    async record(entry) {
      const fields = ["actor", entry.actor, "action", entry.action];
      if (entry.target !== undefined) fields.push("target", entry.target);
      if (entry.address !== undefined) fields.push("address", entry.address);
      if (entry.details !== undefined) fields.push("details", JSON.stringify(entry.details));
      const oldest = `${Math.max(0, Date.now() - AUDIT_RETENTION_MS)}-0`;
      const results = await redis
        .pipeline()
        .xadd(keys.audit, "MAXLEN", "~", AUDIT_MAX_ENTRIES, "*", ...fields)
        .xtrim(keys.audit, "MINID", "~", oldest)
        .exec();
      const failed = results?.find(([error]) => error)?.[0];
      if (failed) throw failed;
    },
    async list({ limit, before }) {
      const upper = before === undefined ? "+" : `(${before}`;
      const rows = await redis.xrevrange(keys.audit, upper, "-", "COUNT", limit);
      const items = rows.map(([id, fields]) => toEntry(id, fields));
      return { items, next: rows.length === limit ? rows.at(-1)?.[0] : undefined };
    },
  };
}

function toEntry(id: string, flat: string[]): AuditEntry {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i] as string, flat[i + 1] as string);
  const details = fields.get("details");
  return {
    id,
    at: Number(id.split("-")[0]),
    actor: fields.get("actor") ?? "unknown",
    action: (fields.get("action") ?? "unknown") as AuditAction,
    ...(fields.has("target") ? { target: fields.get("target") } : {}),
    ...(fields.has("address") ? { address: fields.get("address") } : {}),
    ...(details ? { details: JSON.parse(details) as Record<string, unknown> } : {}),
  };
}
