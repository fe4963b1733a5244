import { userDeliveries } from "../deliveries/delivery-log.ts";
import { userDebounces } from "../engine/routing/debounce.ts";
import { userRuns } from "../engine/store/run-erasure.ts";
import { userEvents } from "../events/event-log.ts";
import type { KeyFamily, PersonalDataStore } from "../events/personal-data.ts";
import { userOutbox } from "../functions/mail/dev-outbox.ts";
import { userRow } from "../functions/postgres/users-table.ts";

/**
 * The registry: every store that keeps personal data, each registered beside its own code, in the
 * order erasure goes through them. Debounces before runs (a debounce could otherwise start a run
 * of the user's event behind the runs' erasure); runs before their events (they are found
 * through the events' lists of runs); the users row before the outbox (its email is erased from
 * the outbox too); the events last, whose index (keys.userEvents) is how a repeat finds the rest.
 */
const STORES = [userDebounces, userRuns, userRow, userOutbox, userDeliveries, userEvents] as const;

/** What the stores need, together: each declares its own deps, the eraser is handed all of them. */
export type StoreDeps = AllOf<DepsOf<(typeof STORES)[number]>>;

export const PERSONAL_DATA_STORES: ReadonlyArray<PersonalDataStore<StoreDeps>> = STORES;

/**
 * The key families of src/redis/keys.ts that no store registers, and why each holds no personal
 * data (test/unit/erasure-key-families.test.ts fails for a family in neither list). An id here is
 * a run, event, function, batch or job id; a user-chosen value in a key's name is a digest.
 */
export const WITHOUT_PERSONAL_DATA: Partial<Record<KeyFamily, string>> = {
  tag: "the hash tag every key starts with, not a key",
  runFunctions: "function ids only",
  tombstone: "erasure's own: a digest of the user id, no personal data (DESIGN: erasure)",
  signal: "a run id and step id, under the digest of the signal's name",
  idempotency: "the run id an idempotency key value (digested) let through",
  concurrency: "run ids holding a slot",
  concurrencyLine: "run ids waiting for a slot",
  concurrencyLineSeen: "run ids and when each last asked",
  rateLimit: "GCRA times",
  throttle: "GCRA times",
  singleton: "the run id holding the singleton",
  batch: "a batch id and when it opened",
  batchEvents: "event ids only: the bodies stay in the intake's jobs, erased with the events",
  batchedEvent: "a batch id",
  functionDirectory: "function ids and options only",
  destinationDirectory: "destination names and options only",
  session: "a dashboard session's times, under the digest of its id",
  failureLimiter: "failure counters under the digest of a client address",
  healthProbe: "a constant, written by /readyz",
  encryptionCheck: "a canary sealed with ENCRYPTION_KEY",
  encryptionRetiring: "the ids of retired encryption keys",
  rekeyProgress: "a SCAN cursor, a key id and counts",
  audit: "operators' actions by id; an erase line names the user id, and is kept as the record of the erasure",
  eventNames: "event names, chosen by the sending systems",
  pausedFunctions: "function ids",
  pausedRuns: "the run ids held back by a pause",
  bulkItems: "event or run ids a bulk action selected",
};

type DepsOf<S> = S extends PersonalDataStore<infer Deps> ? Deps : never;
/** The intersection of a union's members: a value that is each of them at once. */
type AllOf<U> = (U extends unknown ? (each: U) => void : never) extends (all: infer I) => void ? I : never;
