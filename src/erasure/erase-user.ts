import type { Redis } from "ioredis";
import type { EventLog } from "../events/event-log.ts";
import type { EraseReport, ErasedCounts, ErasedUser } from "../events/personal-data.ts";
import { idsIn } from "../redis/id-lists.ts";
import type { BridgeKeys } from "../redis/keys.ts";
import { PERSONAL_DATA_STORES, type StoreDeps } from "./personal-data-stores.ts";
import type { Tombstones } from "../events/tombstones.ts";
import { emailAddressesOf, userIdsOf } from "../events/user-ids.ts";

/** What finding the user takes, and what the registered stores need (each declares its own). */
export type EraserDeps = StoreDeps & {
  redis: Redis;
  keys: BridgeKeys;
  eventLog: Pick<EventLog, "getEvent">;
  tombstones: Pick<Tombstones, "write">;
};

/**
 * Erases everything the bridge holds about a Clerk user. First of all it writes the user's
 * tombstone (tombstones.ts), so that no event naming them, a late Svix redelivery of their
 * user.created included, starts a run or is stored again, from the moment the erasure begins.
 * Then it finds the events whose data or `user` names them (through the index the router keeps)
 * and goes through the registered stores in order (personal-data-stores.ts): debounces, runs
 * with their step outputs and waiters (a run still going is cancelled first, so it sends nothing
 * more), the users row (only the id and deleted_at stay), development outbox emails, refused
 * webhook payloads, the events. The report adds up what each store reports. Idempotent (a repeat
 * renews the tombstone).
 */
export function createEraser(deps: EraserDeps) {
  async function erase(userId: string, options: { keepEventId?: string } = {}): Promise<EraseReport> {
    const { expiresAt } = await deps.tombstones.write(userId);
    const user = await findUser(userId, options.keepEventId);
    const counts: ErasedCounts = { events: 0, runs: 0, waiters: 0, emails: 0, deliveries: 0, usersRow: "no database" };
    for (const store of PERSONAL_DATA_STORES) Object.assign(counts, await store.erase(deps, user));
    return { userId, ...counts, tombstoneUntil: new Date(expiresAt).toISOString() };
  }

  async function findUser(userId: string, keepEventId: string | undefined): Promise<ErasedUser> {
    const ids = (await idsIn(deps.redis, deps.keys.userEvents(userId), deps.keys.legacyUserEvents(userId))).filter(
      (id) => id !== keepEventId,
    );
    const events = [];
    for (const id of ids) events.push({ id, event: await deps.eventLog.getEvent(id) });
    const emails = new Set(events.flatMap(({ event }) => (event ? emailAddressesOf(event) : [])));
    return { id: userId, events, emails, isNamedIn: (event) => userIdsOf(event).includes(userId) };
  }

  return { erase };
}

export type Eraser = ReturnType<typeof createEraser>;
