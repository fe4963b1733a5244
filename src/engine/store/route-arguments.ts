import type { Sealer } from "../../crypto/sealer.ts";
import { indexMember, type BridgeKeys } from "../../redis/keys.ts";
import { encodeFields, type RunStatus } from "./run-state.ts";
import type { FunctionEvent } from "../definition/types.ts";

export interface NewRun {
  id: string;
  functionId: string;
  event: FunctionEvent;
  /**
   * True when the event is the intake's (a job on the "events" queue holds its body for
   * RETENTION): the run then stores only its id. A cron tick or an invoke has no such job.
   */
  eventStored?: boolean;
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
  /** The event name's waiter keys to read (`if` waiters, match paths), or undefined to read none. */
  waiters?: { ifKey: string; pathsKey: string };
  /** The event log entry to record, or undefined to record none. */
  log?: { allKey: string; nameKey: string; member: string };
  runs: readonly NewRun[];
}

const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/** lua/route-event.lua's keys and arguments for a write (see the script's header). */
export function routeArguments(keys: BridgeKeys, retentionSeconds: number, write: RouteWrite, sealer: Sealer): { scriptKeys: string[]; args: Array<string | number> } {
  const now = Date.now();
  const segments = write.runs.map((run) => runSegment(keys, run, now, sealer));
  const anyKey = keys.runFunctions; // unused slots take any key of the same hash slot
  const scriptKeys = [
    write.waiters?.ifKey ?? anyKey,
    write.waiters?.pathsKey ?? anyKey,
    write.log?.allKey ?? anyKey,
    write.log?.nameKey ?? anyKey,
    keys.runFunctions,
    ...segments.flatMap((s) => s.keys),
  ];
  const args = [write.log?.member ?? "", retentionSeconds, write.runs.length, write.waiters ? "1" : "0", now, keys.run(""), ...segments.flatMap((s) => s.args)];
  return { scriptKeys, args };
}

/** One run's part of lua/route-event.lua: its seven keys and its arguments. */
function runSegment(keys: BridgeKeys, run: NewRun, now: number, sealer: Sealer): { keys: string[]; args: Array<string | number> } {
  const flow = run.flow ?? {};
  const fields = encodeFields({
    status: "queued" satisfies RunStatus,
    functionId: run.functionId,
    eventId: run.event.id,
    eventName: run.event.name,
    createdAt: run.createdAt,
    scheduledFor: run.scheduledFor,
    priority: flow.priority || undefined,
    // Stored once: the intake's job keeps the body; a run copies only an event no job keeps.
    event: run.eventStored ? undefined : run.event,
    parentRunId: run.parent?.runId,
    parentStepId: run.parent?.stepId,
    eventIds: flow.eventIds,
  }, sealer);
  const runKey = keys.run(run.id);
  const idempotent = run.idempotencyKey !== undefined;
  const { rateLimit, throttle, singleton } = flow;
  return {
    keys: [
      runKey,
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
