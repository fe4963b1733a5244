import type { Redis } from "ioredis";
import { eventJobKey } from "../../queue/event-jobs.ts";
import { indexMember, type BridgeKeys } from "../../redis/keys.ts";
import {
  defineEngineScripts,
  queueRouteEvent,
  resolveStepScript,
  routeEventResult,
  saveStepScript,
  routeEventScript,
  startRunScript,
  updateRunScript,
  type RouteRunResult,
  type UpdateRunResult,
} from "./lua-scripts.ts";
import { IDENTITY_SEALER, type Sealer } from "../../crypto/sealer.ts";
import {
  decodeRun,
  decodeStep,
  encodeFields,
  encodeStep,
  STEP_FIELD,
  type RunState,
  type StepState,
} from "./run-state.ts";
import { routeArguments, type NewRun, type RouteWrite } from "./route-arguments.ts";

export type { NewRun, RouteWrite, RunFlow } from "./route-arguments.ts";

/**
 * The engine's write protocol on run state, for the router and the executor: create runs once,
 * load and start them, store steps, settle waits, write run fields unless the run has ended. The
 * dashboard reads through run-queries.ts; operators act through run-commands.ts.
 */
export function createRunLedger(deps: { redis: Redis; keys: BridgeKeys; retentionMs: number; sealer?: Sealer }) {
  const { redis, keys } = deps;
  const sealer = deps.sealer ?? IDENTITY_SEALER;
  const retentionSeconds = Math.ceil(deps.retentionMs / 1000);
  defineEngineScripts(redis);

  /** One lua/route-event.lua call: the waiters of the event's name, its log entry, its runs. */
  function route(write: RouteWrite) {
    const { scriptKeys, args } = routeArguments(keys, retentionSeconds, write, sealer);
    return routeEventScript(redis, scriptKeys, args);
  }

  /**
   * step.invoke: stores the invoking step as waiting (unless a replay finds it stored already)
   * and creates the invoked run once (lua/route-event.lua), in one MULTI, so neither exists
   * without the other: the invoked run cannot end before its parent waits for it.
   */
  async function invoke(parentRunId: string, waiting: StepState, child: NewRun): Promise<RouteRunResult["result"]> {
    const { scriptKeys, args } = routeArguments(keys, retentionSeconds, { runs: [child] }, sealer);
    const transaction = redis
      .multi()
      .hsetnx(keys.run(parentRunId), STEP_FIELD + waiting.id, encodeStep(waiting, sealer));
    queueRouteEvent(transaction, scriptKeys, args);
    const replies = (await transaction.exec()) ?? [];
    const [error, reply] = replies[1] ?? [new Error("the invoke transaction was discarded")];
    if (error) throw error;
    return routeEventResult(reply).runs[0]?.result ?? "ended";
  }

  /**
   * Loads a run with its trigger event, in one round trip, and marks it running unless `start`
   * is false (a run that must first pass a start gate). `eventId` names the event's job; a job
   * made before it was carried (or a run whose event is gone) costs a second read.
   */
  async function loadRun(runId: string, eventId: string | undefined, start: boolean): Promise<RunState | undefined> {
    const eventKey = eventId === undefined ? keys.run(runId) : eventJobKey(keys.tag, eventId);
    const { hash, eventBody } = await startRunScript(
      redis,
      { run: keys.run(runId), eventJob: eventKey },
      { now: Date.now(), markRunning: start ? "1" : "0", eventJobKnown: eventId === undefined ? "0" : "1" },
    );
    if (eventBody !== undefined || hash.event !== undefined || !hash.eventId || eventId !== undefined)
      return decodeRun(runId, hash, eventBody, sealer);
    const body = await redis.hget(eventJobKey(keys.tag, hash.eventId), "data");
    return decodeRun(runId, hash, body ?? undefined, sealer);
  }

  /** The run's state without its trigger event (status checks, settled steps). */
  async function readRun(runId: string): Promise<RunState | undefined> {
    return decodeRun(runId, await redis.hgetall(keys.run(runId)), undefined, sealer);
  }

  /** Writes run fields unless the run has already ended; `keepUntil` extends its expiry. */
  function updateRun(runId: string, fields: Record<string, unknown>, keepUntil?: number): Promise<UpdateRunResult> {
    const ttl =
      keepUntil === undefined ? 0 : Math.ceil((Math.max(keepUntil - Date.now(), 0) + deps.retentionMs) / 1000);
    return updateRunScript(redis, { run: keys.run(runId) }, { ttlSeconds: ttl }, encodeFields(fields, sealer));
  }

  /** Stores a step unless its run is gone (erased, or expired while the step ran). */
  async function saveStep(runId: string, step: StepState): Promise<void> {
    await saveStepScript(
      redis,
      { run: keys.run(runId) },
      { field: STEP_FIELD + step.id, step: encodeStep(step, sealer) },
    );
  }

  async function readStep(runId: string, stepId: string): Promise<StepState | undefined> {
    const json = await redis.hget(keys.run(runId), STEP_FIELD + stepId);
    return json === null ? undefined : decodeStep(json, stepId, sealer);
  }

  /** Replaces a step only while it still has `expected` status; true when this call won. */
  function resolveStep(runId: string, step: StepState, expected: StepState["status"]): Promise<boolean> {
    return resolveStepScript(
      redis,
      { run: keys.run(runId) },
      { field: STEP_FIELD + step.id, expectedStatus: expected, step: encodeStep(step, sealer) },
    );
  }

  /** Drops index entries older than the retention (the run hashes expire on their own). */
  async function trimIndexes(functionIds: Iterable<string>): Promise<void> {
    const oldest = `(${indexMember(Date.now() - deps.retentionMs, "")}`;
    const pipeline = redis.pipeline();
    for (const functionId of functionIds) pipeline.zremrangebylex(keys.runIndexByFunction(functionId), "-", oldest);
    await pipeline.exec();
  }

  return { route, invoke, loadRun, readRun, readStep, updateRun, saveStep, resolveStep, trimIndexes };
}

export type RunLedger = ReturnType<typeof createRunLedger>;
