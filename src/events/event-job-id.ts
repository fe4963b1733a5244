import { createHash } from "node:crypto";

const SAFE_ID = /^[A-Za-z0-9_.~-]{1,200}$/;

/**
 * The BullMQ job id for an event id. BullMQ refuses ids containing ":" and ids that are integers,
 * and long ids bloat every key; such ids are replaced by a stable digest so the same event id
 * always maps to the same job (which is what makes redelivery idempotent).
 */
export function eventJobId(eventId: string): string {
  if (SAFE_ID.test(eventId) && !/^\d+$/.test(eventId)) return eventId;
  return "h-" + createHash("sha256").update(eventId).digest("base64url").slice(0, 32);
}
