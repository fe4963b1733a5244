import { digest } from "../redis/keys.ts";

/** What an untrusted key's ids become: this prefix, then a digest of the id it sent. */
export const UNTRUSTED_ID_PREFIX = "u~";

/**
 * The id an event is stored under, from the id its sender named. An event id is its
 * deduplication key and half of its runs' identity, so whoever names an id first owns it for
 * DEDUPE_WINDOW: an Event API key outside TRUSTED_EVENT_KEYS could otherwise claim a svix-id
 * before Svix delivers it, or a backfill id (computable from a user id and `updated_at`), and
 * the genuine event would be answered 200 and dropped.
 *
 * So an untrusted key's ids live in a namespace of their own: `u~<digest of the id>`. They still
 * dedupe among untrusted keys (the same id maps to the same digest), and taking an id a trusted
 * path will use (any string, as Svix or a template names it) would take a preimage of the digest.
 * Trusted paths (verified webhooks, trusted keys, backfill, the operators, the functions) keep
 * their ids as named: a Clerk event's id stays its svix-id. Pure.
 */
export function scopeEventId(id: string, options: { untrusted?: boolean }): string {
  return options.untrusted ? `${UNTRUSTED_ID_PREFIX}${digest(`untrusted\n${id}`)}` : id;
}
