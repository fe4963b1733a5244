import type { Queue } from "bullmq";
import { ulid } from "ulid";
import { BridgeError } from "../errors.ts";
import type { Sealer } from "../crypto/sealer.ts";
import type { BridgeMetrics } from "../metrics/create-metrics.ts";
import { eventJobId } from "../queue/event-jobs.ts";
import { isOutOfMemory, isRedisOutage } from "../redis/redis-outage.ts";
import { MAX_EVENT_NAME_LENGTH, NAME_TOO_LONG, type BridgeEvent } from "./event-schema.ts";

export interface AcceptDeps {
  eventsQueue: Queue;
  dedupeWindowMs: number;
  metrics?: BridgeMetrics;
  /** Seals each event's `data` and `user` before they are stored (ENCRYPTION_KEY). */
  sealer?: Sealer;
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
export async function acceptEvents(deps: AcceptDeps, drafts: EventDraft[], source: string): Promise<string[]> {
  if (drafts.length === 0) return [];
  // Every route validates names with the event schema; this also holds for step.sendEvent and
  // system events, which reach the intake without it.
  const tooLong = drafts.findIndex((draft) => draft.name.length > MAX_EVENT_NAME_LENGTH);
  if (tooLong >= 0) throw new BridgeError("event_invalid", `${drafts.length > 1 ? `[${tooLong}].` : ""}name: ${NAME_TOO_LONG}`);
  const receivedAt = Date.now();
  const events: BridgeEvent[] = drafts.map((draft) => ({
    ...draft,
    id: draft.id ?? ulid(receivedAt),
    ts: draft.ts ?? receivedAt,
    receivedAt,
    source,
  }));
  const seal = deps.sealer?.enabled ? deps.sealer.sealEvent : undefined;
  const jobs = events.map((event) => {
    const jobId = eventJobId(event.id);
    return {
      name: event.name,
      data: seal ? seal(event) : event,
      opts: {
        jobId,
        // Kept for RETENTION after it is routed: the router's worker says so (start-workers.ts),
        // so each job does not carry the same options.
        deduplication: { id: jobId, ttl: deps.dedupeWindowMs },
      },
    };
  });
  // A lone event skips addBulk's MULTI/EXEC wrapper: half the client CPU for the common case.
  const [only] = jobs;
  try {
    // No timer here: the client fails fast when disconnected and times commands out itself.
    await (jobs.length === 1 && only ? deps.eventsQueue.add(only.name, only.data, only.opts) : deps.eventsQueue.addBulk(jobs));
  } catch (error) {
    // 503 tells the sender (Svix) to come back later: only true when Redis itself failed. Anything
    // else (a script error, data that cannot be serialised) would fail again: 500, logged with its cause.
    if (!isRedisOutage(error)) throw new BridgeError("internal", "the event could not be stored", { cause: error });
    if (isOutOfMemory(error)) throw new BridgeError("redis_out_of_memory", "Redis is out of memory and refuses the event; nothing was accepted, retry later", { cause: error });
    throw new BridgeError("redis_unavailable", "the event store is unavailable; nothing was accepted, retry later", {
      cause: error,
    });
  }
  deps.metrics?.eventsAccepted.inc({ source }, events.length);
  return events.map((event) => event.id);
}
