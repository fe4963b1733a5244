import type { Redis } from "ioredis";
import { indexMember, type BridgeKeys } from "../../redis/keys.ts";
import {
  defineEngineScripts,
  queueRouteEvent,
  resolveStepScript,
  routeEventResult,
  routeEventScript,
  startRunScript,
  updateRunScript,
  type RouteRunResult,
  type UpdateRunResult,
} from "../lua-scripts.ts";
import { decodeRun, encodeFields, STEP_FIELD, type RunState, type RunStatus, type StepState } from "../run-state.ts";
import type { FunctionEvent } from "../types.ts";

export interface NewRun {
  id: string;
  functionId: string;
  event: FunctionEvent;
  createdAt: number;
  scheduledFor?: number;
  /** The idempotency key's value, when the function has one. */
  idempotencyKey?: string;
  /** A run started by step.invoke: the invoking run and step. */
  parent?: { runId: string; stepId: string };
  /** Flow control decided with the run's creation (plan-flow.ts); key values, not Redis keys. */
  flow?: RunFlow;
}

export interface RunFlow {
  /** Apply the rate limit (and idempotency) only, create nothing: the event goes on to a debounce. */
  gate?: boolean;
  rateLimit?: { key: string; limit: number; periodMs: number };
  throttle?: { key: string; limit: number; periodMs: number; burst: number };
  singleton?: { key: string; mode: "skip" | "cancel" };
  /** `timeouts.start`: a throttle slot after this cancels the run at once. */
  startDeadline?: number;
  /** The priority factor in seconds, stored with the run. */
  priority?: number;
  /** A batch run's events, in arrival order. */
  eventIds?: string[];
}

/** What the router writes for one event in one script call (lua/route-event.lua). */
export interface RouteWrite {
  /** The waiters hash to read (the event's name), or undefined to read none. */
  waitersKey?: string;
  /** The event log entry to record, or undefined to record none. */
  log?: { allKey: string; nameKey: string; member: string };
  runs: readonly NewRun[];
}

const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/**
 * The engine's write protocol on run state, for the router and the executor: create runs once,
 * start them, store steps, settle waits, write run fields unless the run has ended. The
 * dashboard reads through run-queries.ts; operators act through run-commands.ts.
 */
export function createRunLedger(deps: { redis: Redis; keys: BridgeKeys; retentionMs: number }) {
  const { redis, keys } = deps;
  const retentionSeconds = Math.ceil(deps.retentionMs / 1000);
  defineEngineScripts(redis);

  /** One lua/route-event.lua call: the waiters of the event's name, its log entry, its runs. */
  async function route(write: RouteWrite): Promise<{ waiters: Record<string, string>; runs: RouteRunResult[] }> {
    const { scriptKeys, args } = routeArguments(write);
    return routeEventScript(redis, scriptKeys, args);
  }

  function routeArguments(write: RouteWrite): { scriptKeys: string[]; args: Array<string | number> } {
    const now = Date.now();
    const segments = write.runs.map((run) => runSegment(run, now));
    const anyKey = keys.runIndex; // unused slots take any key of the same hash slot
    const scriptKeys = [write.waitersKey ?? anyKey, write.log?.allKey ?? anyKey, write.log?.nameKey ?? anyKey, ...segments.flatMap((s) => s.keys)];
    const args = [write.log?.member ?? "", retentionSeconds, write.runs.length, write.waitersKey ? "1" : "0", now, keys.run(""), ...segments.flatMap((s) => s.args)];
    return { scriptKeys, args };
  }

  /**
   * step.invoke: stores the invoking step as waiting (unless a replay finds it stored already)
   * and creates the invoked run once (lua/route-event.lua), in one MULTI, so neither exists
   * without the other: the invoked run cannot end before its parent waits for it.
   */
  async function invoke(parentRunId: string, waiting: StepState, child: NewRun): Promise<RouteRunResult["result"]> {
    const { scriptKeys, args } = routeArguments({ runs: [child] });
    const transaction = redis.multi().hsetnx(keys.run(parentRunId), STEP_FIELD + waiting.id, JSON.stringify(waiting));
    queueRouteEvent(transaction, scriptKeys, args);
    const replies = (await transaction.exec()) ?? [];
    const [error, reply] = replies[1] ?? [new Error("the invoke transaction was discarded")];
    if (error) throw error;
    return routeEventResult(reply).runs[0]?.result ?? "started";
  }

  /** One run's part of lua/route-event.lua: its eight keys and its arguments. */
  function runSegment(run: NewRun, now: number): { keys: string[]; args: Array<string | number> } {
    const flow = run.flow ?? {};
    const fields = encodeFields({
      status: "queued" satisfies RunStatus,
      functionId: run.functionId,
      eventId: run.event.id,
      eventName: run.event.name,
      createdAt: run.createdAt,
      scheduledFor: run.scheduledFor,
      attempt: 0,
      priority: flow.priority || undefined,
      event: run.event,
      parentRunId: run.parent?.runId,
      parentStepId: run.parent?.stepId,
      eventIds: flow.eventIds,
    });
    const runKey = keys.run(run.id);
    const idempotent = run.idempotencyKey !== undefined;
    const { rateLimit, throttle, singleton } = flow;
    return {
      keys: [
        runKey,
        keys.runIndex,
        keys.runIndexByFunction(run.functionId),
        keys.eventRuns(run.event.id),
        idempotent ? keys.idempotency(run.functionId, run.idempotencyKey as string) : runKey,
        rateLimit ? keys.rateLimit(run.functionId, rateLimit.key) : runKey,
        throttle ? keys.throttle(run.functionId, throttle.key) : runKey,
        singleton ? keys.singleton(run.functionId, singleton.key) : runKey,
      ],
      args: [
        run.id,
        indexMember(run.createdAt, run.id),
        idempotent ? IDEMPOTENCY_TTL_SECONDS : 0,
        flow.gate ? "gate" : "",
        rateLimit?.limit ?? 0,
        rateLimit?.periodMs ?? 0,
        throttle?.limit ?? 0,
        throttle?.periodMs ?? 0,
        throttle?.burst ?? 0,
        Math.max(run.scheduledFor ?? now, now),
        flow.startDeadline ?? 0,
        singleton?.mode ?? "",
        singleton ? `singleton: replaced by run ${run.id}` : "",
        fields.length,
        ...fields,
      ],
    };
  }

  /** Marks a run running and reads it, in one round trip; a run that has ended is only read. */
  async function startRun(runId: string): Promise<RunState | undefined> {
    return decodeRun(runId, await startRunScript(redis, keys.run(runId), Date.now()));
  }

  async function readRun(runId: string): Promise<RunState | undefined> {
    return decodeRun(runId, await redis.hgetall(keys.run(runId)));
  }

  /** Writes run fields unless the run has already ended; `keepUntil` extends its expiry. */
  function updateRun(runId: string, fields: Record<string, unknown>, keepUntil?: number): Promise<UpdateRunResult> {
    const ttl = keepUntil === undefined ? 0 : Math.ceil((Math.max(keepUntil - Date.now(), 0) + deps.retentionMs) / 1000);
    return updateRunScript(redis, keys.run(runId), [ttl, ...encodeFields(fields)]);
  }

  async function saveStep(runId: string, step: StepState): Promise<void> {
    await redis.hset(keys.run(runId), STEP_FIELD + step.id, JSON.stringify(step));
  }

  async function readStep(runId: string, stepId: string): Promise<StepState | undefined> {
    const json = await redis.hget(keys.run(runId), STEP_FIELD + stepId);
    return json === null ? undefined : (JSON.parse(json) as StepState);
  }

  /** Replaces a step only while it still has `expected` status; true when this call won. */
  function resolveStep(runId: string, step: StepState, expected: StepState["status"]): Promise<boolean> {
    return resolveStepScript(redis, keys.run(runId), [STEP_FIELD + step.id, expected, JSON.stringify(step)]);
  }

  /** Drops index entries older than the retention (the run hashes expire on their own). */
  async function trimIndexes(functionIds: Iterable<string>): Promise<void> {
    const oldest = `(${indexMember(Date.now() - deps.retentionMs, "")}`;
    const pipeline = redis.pipeline().zremrangebylex(keys.runIndex, "-", oldest);
    for (const functionId of functionIds) pipeline.zremrangebylex(keys.runIndexByFunction(functionId), "-", oldest);
    await pipeline.exec();
  }

  return { route, invoke, startRun, readRun, readStep, updateRun, saveStep, resolveStep, trimIndexes };
}

export type RunLedger = ReturnType<typeof createRunLedger>;
