import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { CancelOn } from "../engine/definition/types.ts";
import { isFinalStatus, type RunState } from "../engine/store/run-state.ts";
import type { RunCommands } from "../engine/store/run-commands.ts";
import type { RunQueries } from "../engine/store/run-queries.ts";
import { locateWaiter, waiterField, type WaiterLocation, type Waiters } from "../engine/store/waiters.ts";
import type { EventLog } from "../events/event-log.ts";
import type { BridgeEvent } from "../events/event-schema.ts";
import type { Pool } from "../functions/postgres/create-pool.ts";
import { eraseUserRow } from "../functions/postgres/users-table.ts";
import { eventJobId } from "../queue/event-jobs.ts";
import { idsIn } from "../redis/id-lists.ts";
import { indexMember, type BridgeKeys } from "../redis/keys.ts";
import type { DeliveryLog } from "../deliveries/delivery-log.ts";
import type { DeliveryPayload } from "../deliveries/delivery-payloads.ts";
import type { Tombstones } from "./tombstones.ts";
import { emailAddressesOf, userIdsOf } from "../events/user-ids.ts";

export interface EraseReport {
  userId: string;
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
  /** The Redis tombstone (a digest of the id) refusing later events naming the user: when it expires (TOMBSTONE_TTL). */
  tombstoneUntil: string;
}

export interface EraserDeps {
  redis: Redis;
  keys: BridgeKeys;
  queues: { events: Queue; runs: Queue };
  eventLog: EventLog;
  runs: { queries: RunQueries; commands: RunCommands };
  waiters: Waiters;
  /** The functions (the registry, or on a receiver what the workers published): where each run's cancelOn waiters are. */
  listFunctions(): Promise<ReadonlyArray<{ id: string; cancelOn?: readonly CancelOn[] }>>;
  /** The users mirror; absent where user-sync does not run. */
  database?: Pool;
  /** The delivery log, whose kept payloads (a 422's, for a re-run) may name the user. */
  deliveries?: Pick<DeliveryLog, "forgetPayloads">;
  tombstones: Pick<Tombstones, "write">;
}

/**
 * Erases everything the bridge holds about a Clerk user: the events whose data or `user` names
 * them (found through the index the router keeps), those events' runs with their step outputs
 * and waiters (a run still going is cancelled first, so it sends nothing more), development
 * outbox emails to their addresses, and the users row, of which only the id and deleted_at stay.
 * First of all it writes the user's tombstone (tombstones.ts), so that no event naming them, a
 * late Svix redelivery of their user.created included, starts a run or is stored again, from
 * the moment the erasure begins. Idempotent (a repeat renews the tombstone).
 */
export function createEraser(deps: EraserDeps) {
  const { redis, keys } = deps;

  async function erase(userId: string, options: { keepEventId?: string } = {}): Promise<EraseReport> {
    const { expiresAt } = await deps.tombstones.write(userId);
    const eventIds = (await idsIn(redis, keys.userEvents(userId), keys.legacyUserEvents(userId))).filter((id) => id !== options.keepEventId);
    const emails = new Set<string>();
    const cancelOns = new Map((await deps.listFunctions()).map((fn) => [fn.id, fn.cancelOn ?? []]));
    let runs = 0;
    const waiters: WaiterLocation[] = [];
    for (const eventId of eventIds) {
      const event = await deps.eventLog.getEvent(eventId);
      for (const email of event ? emailAddressesOf(event) : []) emails.add(email);
      const erased = await eraseRuns(eventId, event, cancelOns);
      runs += erased.runs;
      waiters.push(...erased.waiters);
      await eraseEvent(eventId, event);
    }
    await deps.waiters.remove(waiters);
    const usersRow = deps.database ? await eraseUserRow(deps.database, userId, emails) : "no database";
    const outboxed = await eraseOutbox(emails);
    const deliveries = (await deps.deliveries?.forgetPayloads((payload) => namesUser(payload, userId))) ?? 0;
    if (eventIds.length > 0) await redis.multi().hdel(keys.userEvents(userId), ...eventIds).srem(keys.legacyUserEvents(userId), ...eventIds).exec();
    return { userId, events: eventIds.length, runs, waiters: waiters.filter(Boolean).length, emails: outboxed, deliveries, usersRow, tombstoneUntil: new Date(expiresAt).toISOString() };
  }

  async function eraseRuns(eventId: string, event: BridgeEvent | undefined, cancelOns: ReadonlyMap<string, readonly CancelOn[]>): Promise<{ runs: number; waiters: WaiterLocation[] }> {
    const found = (await deps.runs.queries.listRunsForEvent(eventId)) as RunState[];
    const locations: WaiterLocation[] = [];
    for (const run of found) {
      // A run still going is cancelled first: it must not send anything more about this user.
      if (!isFinalStatus(run.status)) await deps.runs.commands.cancelRun(run.id, "the user was erased").catch(() => undefined);
      locations.push(...waitersOf(run, event, cancelOns.get(run.functionId) ?? []));
      await deps.queues.runs.remove(run.id).catch(() => undefined);
      const member = indexMember(run.createdAt, run.id);
      await redis.multi().del(keys.run(run.id)).zrem(keys.runIndexByFunction(run.functionId), member).exec();
    }
    return { runs: found.length, waiters: locations };
  }

  function waitersOf(run: RunState, event: BridgeEvent | undefined, cancelOn: readonly CancelOn[]): WaiterLocation[] {
    const cancels = event
      ? cancelOn.flatMap((cancel, index) => locateWaiter(keys, { eventName: cancel.event, field: waiterField({ kind: "cancel", runId: run.id }, index), match: cancel.match, if: cancel.if }, event) ?? [])
      : [];
    const waits = run.steps.filter((step) => step.waiterKey).map((step) => ({ key: step.waiterKey as string, field: waiterField({ kind: "wait", runId: run.id, stepId: step.id }) }));
    return [...cancels, ...waits];
  }

  async function eraseEvent(eventId: string, event: BridgeEvent | undefined): Promise<void> {
    await deps.queues.events.remove(eventJobId(eventId)).catch(() => undefined);
    const transaction = redis.multi().del(keys.eventRuns(eventId), keys.legacyEventRuns(eventId));
    if (event) {
      const { allKey, nameKey, member } = deps.eventLog.entryOf(event);
      transaction.zrem(allKey, member).zrem(nameKey, member);
    }
    await transaction.exec();
  }

  /** Outbox entries addressed to the user: removed one by one (LREM of the exact entry). */
  async function eraseOutbox(emails: ReadonlySet<string>): Promise<number> {
    if (emails.size === 0) return 0;
    const entries = await redis.lrange(keys.outbox, 0, -1);
    const doomed = entries.filter((entry) => {
      try {
        return emails.has(String((JSON.parse(entry) as { to?: unknown }).to));
      } catch {
        return false;
      }
    });
    for (const entry of doomed) await redis.lrem(keys.outbox, 0, entry);
    return doomed.length;
  }

  return { erase };
}

export type Eraser = ReturnType<typeof createEraser>;

/** Whether a kept webhook payload (`{ type, data }`, as Clerk sends it) names the user. */
function namesUser(payload: DeliveryPayload, userId: string): boolean {
  try {
    const body = JSON.parse(payload.body) as { type?: unknown; data?: Record<string, unknown> };
    return userIdsOf({ name: `${payload.source}/${String(body.type)}`, data: body.data ?? {} }).includes(userId);
  } catch {
    return false;
  }
}
