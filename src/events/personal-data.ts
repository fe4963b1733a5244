import type { BridgeKeys } from "../redis/keys.ts";
import type { BridgeEvent } from "./event-schema.ts";

/**
 * What a store that keeps personal data registers, beside its own code, so that erasure
 * (src/erasure/) can iterate the stores instead of remembering them: what it holds, the key
 * families of src/redis/keys.ts it owns, and how to erase one user from it. Every key family is
 * either owned by a registered store or declared free of personal data
 * (src/erasure/personal-data-stores.ts); test/unit/erasure-key-families.test.ts keeps it so.
 *
 * It lives here, beside the event schema, because erasure starts from the events that name the
 * user, and so that every store (events, engine, deliveries, functions) can import it downwards.
 */
export interface PersonalDataStore<Deps> {
  /** Names the store in the erasure's order and in tests. */
  readonly name: string;
  /** What personal data it keeps, in one line. */
  readonly holds: string;
  /** The key families of bridgeKeys(prefix) it owns; none for a store outside Redis. */
  readonly families: readonly KeyFamily[];
  /** Erases the user from this store; answers its share of the report. Idempotent. */
  erase(deps: Deps, user: ErasedUser): Promise<Partial<ErasedCounts>>;
}

/** A property of bridgeKeys(prefix): one family of keys (or a key, or a pattern). */
export type KeyFamily = keyof BridgeKeys;

/** The user being erased, as erasure found them (after their tombstone was written). */
export interface ErasedUser {
  id: string;
  /** The events that name the user (found through keys.userEvents); `event` is absent once its body expired. */
  events: ReadonlyArray<{ id: string; event: BridgeEvent | undefined }>;
  /** Every email address those events hold. A store that learns more adds them (the users row does), for the stores after it. */
  emails: Set<string>;
  /** Whether an event (or a webhook payload as `{ name, data }`) names the user. */
  isNamedIn(event: Pick<BridgeEvent, "name" | "data" | "user">): boolean;
}

/** What the stores report erasing: the fields of the erase report (erase-user.ts) that they fill. */
export interface ErasedCounts {
  /** Events naming the user, removed with their runs. */
  events: number;
  runs: number;
  /** Waits and cancelOn registrations of those runs. */
  waiters: number;
  /** Development outbox emails to the user's addresses. */
  emails: number;
  /** Refused webhook payloads kept for a re-run that name the user. */
  deliveries: number;
  /** "erased": the row now holds only its id and deleted_at; "tombstoned": there was none, one is kept; "no database". */
  usersRow: "erased" | "tombstoned" | "no database";
}

/** What erasing one user did, as the API, the CLI and the audit line report it: counts, no personal data. */
export interface EraseReport extends ErasedCounts {
  userId: string;
  /** The Redis tombstone (a digest of the id) refusing later events naming the user: when it expires (TOMBSTONE_TTL). */
  tombstoneUntil: string;
}
