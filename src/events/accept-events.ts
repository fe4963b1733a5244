import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { ulid } from "ulid";
import { BridgeError } from "../errors.ts";
import type { Sealer } from "../crypto/sealer.ts";
import { packEventData } from "../crypto/packed-data.ts";
import type { BridgeMetrics } from "../metrics/create-metrics.ts";
import { userIdsOf } from "./user-ids.ts";
import { sendErasureCheck } from "../queue/drop-erased.ts";
import { eventJobId } from "../queue/event-jobs.ts";
import { isOutOfMemory, isRedisOutage } from "../redis/redis-outage.ts";
import { MAX_EVENT_NAME_LENGTH, NAME_TOO_LONG, type BridgeEvent } from "./event-schema.ts";
import { scopeEventId } from "./scope-event-id.ts";

export interface AcceptDeps {
  eventsQueue: Queue;
  dedupeWindowMs: number;
  metrics?: BridgeMetrics;
  /** Seals each event's `data` and `user` before they are stored (ENCRYPTION_KEY). */
  sealer?: Sealer;
  /**
   * Tombstones of erased users (src/events/tombstones.ts): an event naming one is answered as
   * accepted and stored nowhere. `redis` must be the connection the events queue adds on.
   */
  erasure?: { redis: Redis; tombstoneKey(userId: string): string };
}

export interface AcceptOptions {
  /**
   * From an Event API key outside TRUSTED_EVENT_KEYS: the ids it names live in a namespace of
   * their own (scope-event-id.ts), so they can never take an id a trusted path will use.
   */
  untrusted?: boolean;
}

export interface Accepted {
  /** Every event's id, in the order sent (those dropped below included, as for a duplicate). */
  ids: string[];
  /** The ids of the events dropped because they name an erased user: nothing of them was stored. */
  erased: string[];
}

export interface EventDraft {
  id?: string;
  name: string;
  data: Record<string, unknown>;
  user?: Record<string, unknown>;
  ts?: number;
  v?: string;
  /** Set by the operator API on a replay: the id of the event it repeats. */
  replayOf?: string;
}

/**
 * Makes events durable: dedupe, store and enqueue happen in one BullMQ add script per event, sent
 * as one pipeline, so an accepted event is never stored without being queued (or the reverse) and
 * a webhook costs one Redis round trip. Resolves only once Redis acknowledged.
 *
 * The event id doubles as the job id and the deduplication id: a redelivered svix-id within
 * DEDUPE_WINDOW adds nothing and answers with the same id.
 */
export async function acceptEvents(
  deps: AcceptDeps,
  drafts: EventDraft[],
  source: string,
  options: AcceptOptions = {},
): Promise<string[]> {
  return (await acceptEventsReporting(deps, drafts, source, options)).ids;
}

/**
 * acceptEvents, also saying which events were dropped for naming an erased user. Their tombstone
 * check rides on the same round trip: sent just before the add on the same connection, it takes
 * the event's deduplication key, so the add behind it stores nothing (queue/drop-erased.ts).
 */
export async function acceptEventsReporting(
  deps: AcceptDeps,
  drafts: EventDraft[],
  source: string,
  options: AcceptOptions = {},
): Promise<Accepted> {
  if (drafts.length === 0) return { ids: [], erased: [] };
  // Every route validates names with the event schema; this also holds for step.sendEvent and
  // system events, which reach the intake without it.
  const tooLong = drafts.findIndex((draft) => draft.name.length > MAX_EVENT_NAME_LENGTH);
  if (tooLong >= 0)
    throw new BridgeError("event_invalid", `${drafts.length > 1 ? `[${tooLong}].` : ""}name: ${NAME_TOO_LONG}`);
  const receivedAt = Date.now();
  const events: BridgeEvent[] = drafts.map((draft) => ({
    ...draft,
    id: draft.id === undefined ? ulid(receivedAt) : scopeEventId(draft.id, options),
    ts: draft.ts ?? receivedAt,
    receivedAt,
    source,
  }));
  const seal = deps.sealer?.enabled ? deps.sealer.sealEvent : undefined;
  const jobs = events.map((event) => {
    const jobId = eventJobId(event.id);
    return {
      name: event.name,
      // Packed when large (crypto/packed-data.ts), then sealed with ENCRYPTION_KEY: stored for RETENTION.
      data: seal ? seal(packEventData(event)) : packEventData(event),
      opts: {
        jobId,
        // Kept for RETENTION after it is routed: the router's worker says so (start-workers.ts),
        // so each job does not carry the same options.
        deduplication: { id: jobId, ttl: deps.dedupeWindowMs },
      },
    };
  });
  const erasure = deps.erasure;
  const checks = erasure
    ? jobs.map((job, i) => ({
        dedupeId: job.opts.jobId,
        tombstoneKeys: userIdsOf(events[i]!).map(erasure.tombstoneKey),
      }))
    : [];
  // A lone event skips addBulk's MULTI/EXEC wrapper: half the client CPU for the common case.
  const [only] = jobs;
  let flags: boolean[] | undefined;
  try {
    // No timer here: the client fails fast when disconnected and times commands out itself.
    const checked = erasure
      ? sendErasureCheck(deps.eventsQueue, erasure.redis, checks, jobs.length === 1 ? "command" : "transaction")
      : undefined;
    const added =
      jobs.length === 1 && only
        ? deps.eventsQueue.add(only.name, only.data, only.opts)
        : deps.eventsQueue.addBulk(jobs);
    [flags] = await Promise.all([checked, added]);
  } catch (error) {
    // 503 tells the sender (Svix) to come back later: only true when Redis itself failed. Anything
    // else (a script error, data that cannot be serialised) would fail again: 500, logged with its cause.
    if (!isRedisOutage(error)) throw new BridgeError("internal", "the event could not be stored", { cause: error });
    if (isOutOfMemory(error))
      throw new BridgeError(
        "redis_out_of_memory",
        "Redis is out of memory and refuses the event; nothing was accepted, retry later",
        { cause: error },
      );
    throw new BridgeError("redis_unavailable", "the event store is unavailable; nothing was accepted, retry later", {
      cause: error,
    });
  }
  const erased = events.filter((_, i) => flags?.[i] === true).map((event) => event.id);
  deps.metrics?.eventsAccepted.inc({ source }, events.length - erased.length);
  if (erased.length > 0) deps.metrics?.eventsErased.inc({ source }, erased.length);
  return { ids: events.map((event) => event.id), erased };
}
