import { randomUUID } from "node:crypto";
import { DelayedError, type Job, type Queue } from "bullmq";
import type { Redis } from "ioredis";
import { userIdsOf } from "../../events/user-ids.ts";
import type { PersonalDataStore } from "../../events/personal-data.ts";
import type { BridgeKeys } from "../../redis/keys.ts";
import { runJobOptions, type FlowTimerData } from "../../queue/run-jobs.ts";
import { createRuns } from "./create-runs.ts";
import type { EngineContext } from "../store/engine-context.ts";
import { evaluateKey } from "../definition/expressions.ts";
import { claimDebounceScript, debounceEventScript } from "../store/lua-scripts.ts";
import { newRun } from "./plan-flow.ts";
import type { BridgeFunction, FunctionEvent } from "../definition/types.ts";

/**
 * Inngest's `debounce`: one run with the last event (by `ts`) once `period` has passed without a
 * newer one, never later than `timeout` after the first. The debounce lives in Redis (one hash per
 * function and key, lua/debounce-event-1.lua); its timer is a delayed job on the "runs" queue,
 * one per generation, which puts itself off while newer events push the deadline, then claims
 * the debounce (lua/claim-debounce-2.lua) and creates the run. Events that arrive after the claim
 * start a new generation. Every step can be repeated after a crash without losing the event or
 * starting a second run (the run id derives from the event). The event is kept sealed
 * (ENCRYPTION_KEY), like every other stored copy, and erasure finds it (`userDebounces`).
 */
export async function debounceEvent(
  ctx: EngineContext,
  fn: BridgeFunction,
  event: FunctionEvent,
  key: string,
): Promise<void> {
  const debounce = fn.flow.debounce!;
  const now = Date.now();
  const { generation, deadline } = await debounceEventScript(
    ctx.redis,
    { debounce: ctx.keys.debounce(fn.id, key) },
    {
      now,
      periodMs: debounce.periodMs,
      timeoutMs: debounce.timeoutMs ?? 0,
      eventId: event.id,
      eventTs: event.ts,
      event: JSON.stringify(ctx.sealer.sealEvent(event)),
      generation: `debounce-${randomUUID()}`,
      retentionMs: ctx.options.retentionMs,
    },
  );
  // Added after every event (the job id dedupes), so a crash before the first add loses nothing.
  // The key value may be personal data (an email address): the job carries it sealed.
  const timer: FlowTimerData = {
    timer: "debounce",
    functionId: fn.id,
    key: String(ctx.sealer.seal(key)),
    id: generation,
  };
  await ctx.runsQueue.add("debounce", timer, runJobOptions(generation, deadline - now, ctx.options.retentionMs));
}

/** The fire job of one debounce generation. */
export async function fireDebounce(
  ctx: EngineContext,
  job: Job<FlowTimerData>,
  token: string | undefined,
): Promise<void> {
  const { functionId, id } = job.data;
  const key = ctx.sealer.open(job.data.key) as string;
  const fn = ctx.registry.get(functionId);
  if (!fn) {
    ctx.logger.warn({ functionId, debounce: id }, "a debounce of a function not registered on this worker: dropped");
    return;
  }
  const claimKey = ctx.keys.debounceClaim(id);
  const claim = await claimDebounceScript(
    ctx.redis,
    { debounce: ctx.keys.debounce(fn.id, key), claim: claimKey },
    { generation: id, now: Date.now(), retentionSeconds: Math.ceil(ctx.options.retentionMs / 1000) },
  );
  if (claim.kind === "gone") return;
  if (claim.kind === "wait") {
    await job.moveToDelayed(claim.until, token);
    throw new DelayedError();
  }
  const event = ctx.sealer.openEvent(JSON.parse(claim.event) as FunctionEvent);
  // Its user may have been erased since (by an eraser that did not know this function's debounce): no run then.
  const users = userIdsOf(event);
  if (users.length > 0 && (await ctx.tombstones?.anyErased(users)))
    ctx.logger.info({ functionId, eventId: event.id }, "a debounced event names an erased user: no run started");
  else await createRuns(ctx, [newRun(fn, event, Date.now(), { afterDebounce: true })]);
  await ctx.redis.del(claimKey);
}

/**
 * Erasure of debounces in progress that hold one of the user's events (a debounce keeps only its
 * latest event, under the function's key value for it, which is how it is found). The debounce is
 * claimed as its fire job would, so no event can replace it between the look and the removal; a
 * claim that turns out to hold a newer event of someone else's is left for its fire job, which
 * runs it. Erased before the runs, so a debounce cannot start a run of the user's event behind them.
 */
export const userDebounces: PersonalDataStore<{
  redis: Redis;
  keys: BridgeKeys;
  queues: { runs: Queue };
  listFunctions(): Promise<ReadonlyArray<{ id: string; flow?: { debounce?: { key?: string } } }>>;
}> = {
  name: "debounces",
  holds: "the latest event of a debounce in progress (until it fires) and, in its fire job, the key value; sealed",
  families: ["debounce", "debounceClaim"],
  async erase({ redis, keys, queues, listFunctions }, user) {
    const ids = new Set(user.events.map((each) => each.id));
    const debounced = (await listFunctions()).filter((fn) => fn.flow?.debounce);
    for (const { event } of user.events) {
      for (const fn of event ? debounced : []) {
        const source = fn.flow?.debounce?.key;
        const key = keys.debounce(fn.id, source === undefined ? "" : (evaluateKey(source, { event }) ?? ""));
        const [generation, eventId] = await redis.hmget(key, "generation", "eventId");
        if (!generation || !ids.has(eventId ?? "")) continue;
        const claimKey = keys.debounceClaim(generation);
        // A claim left for its fire job lives as long as the debounce would have.
        const ttlSeconds = Math.max(1, Math.ceil((await redis.pttl(key)) / 1000));
        const claim = await claimDebounceScript(
          redis,
          { debounce: key, claim: claimKey },
          { generation, now: Number.MAX_SAFE_INTEGER, retentionSeconds: ttlSeconds },
        );
        if (claim.kind !== "claimed" || !ids.has(String((JSON.parse(claim.event) as { id?: unknown }).id))) continue;
        await redis.del(claimKey);
        // Its fire job would find nothing; it goes too, with the key value it carries (a running one finds the debounce gone).
        await queues.runs.remove(generation).catch(() => undefined);
      }
    }
    return {};
  },
};
