import type { Sealer } from "../../crypto/sealer.ts";
import { indexMember, type BridgeKeys } from "../../redis/keys.ts";
import { pushInOrder, type ArgsOf, type KeysOf } from "../../util/lua-contract.ts";
import { encodeFields, type RunStatus } from "./run-state.ts";
import type { FlowControl, FunctionEvent } from "../definition/types.ts";
import { ROUTE_RUN, routeEvent } from "./script-contracts.ts";

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
  /**
   * Nothing but its flow control's decision holds the run back (no concurrency, throttle, start
   * timeout, delay or pause): created, it is stored running and the router executes it at once.
   */
  startNow?: boolean;
}

/** An option as a run carries it: the fields its compile function made, its key evaluated for the run's event. */
type Keyed<Option> = Omit<NonNullable<Option>, "key"> & { key: string };

export interface RunFlow {
  /** Apply the rate limit (and idempotency) only, create nothing: the event goes on to a debounce. */
  gate?: boolean;
  rateLimit?: Keyed<FlowControl["rateLimit"]>;
  throttle?: Keyed<FlowControl["throttle"]>;
  singleton?: Keyed<FlowControl["singleton"]>;
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

/**
 * lua/route-event.lua's keys and arguments for a write, by the names its contract declares
 * (script-contracts.ts): the fixed ones, then each run's group and fields.
 */
export function routeArguments(
  keys: BridgeKeys,
  retentionSeconds: number,
  write: RouteWrite,
  sealer: Sealer,
): { scriptKeys: string[]; args: Array<string | number> } {
  const now = Date.now();
  const anyKey = keys.runFunctions; // unused slots take any key of the same hash slot
  const scriptKeys = pushInOrder<keyof KeysOf<typeof routeEvent>, string>([], routeEvent.keys, {
    waitersIf: write.waiters?.ifKey ?? anyKey,
    matchPaths: write.waiters?.pathsKey ?? anyKey,
    eventLog: write.log?.allKey ?? anyKey,
    eventLogOfName: write.log?.nameKey ?? anyKey,
    functionsWithRuns: keys.runFunctions,
  });
  const args = pushInOrder<keyof ArgsOf<typeof routeEvent>, string | number>([], routeEvent.argv, {
    logMember: write.log?.member ?? "",
    retentionSeconds,
    runCount: write.runs.length,
    readWaiters: write.waiters ? "1" : "0",
    now,
    runKeyPrefix: keys.run(""),
  });
  for (const run of write.runs) pushRun(scriptKeys, args, keys, run, now, sealer);
  return { scriptKeys, args };
}

/** One run's part of lua/route-event.lua: its seven keys, its arguments and its fields. */
function pushRun(
  scriptKeys: string[],
  args: Array<string | number>,
  keys: BridgeKeys,
  run: NewRun,
  now: number,
  sealer: Sealer,
): void {
  const flow = run.flow ?? {};
  const fields = encodeFields(
    {
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
    },
    sealer,
  );
  const runKey = keys.run(run.id);
  const idempotent = run.idempotencyKey !== undefined;
  const { rateLimit, throttle, singleton } = flow;
  pushInOrder<keyof KeysOf<typeof ROUTE_RUN>, string>(scriptKeys, ROUTE_RUN.keys, {
    run: runKey,
    functionRuns: keys.runIndexByFunction(run.functionId),
    eventRuns: keys.eventRuns(run.event.id),
    idempotency: idempotent ? keys.idempotency(run.functionId, run.idempotencyKey as string) : runKey,
    rateLimit: rateLimit ? keys.rateLimit(run.functionId, rateLimit.key) : runKey,
    throttle: throttle ? keys.throttle(run.functionId, throttle.key) : runKey,
    singleton: singleton ? keys.singleton(run.functionId, singleton.key) : runKey,
  });
  pushInOrder<keyof ArgsOf<typeof ROUTE_RUN>, string | number>(args, ROUTE_RUN.argv, {
    runId: run.id,
    indexMember: indexMember(run.createdAt, run.id),
    idempotencyTtl: idempotent ? IDEMPOTENCY_TTL_SECONDS : 0,
    gate: flow.gate ? "gate" : "",
    rateLimit: rateLimit?.limit ?? 0,
    ratePeriodMs: rateLimit?.periodMs ?? 0,
    throttleLimit: throttle?.limit ?? 0,
    throttlePeriodMs: throttle?.periodMs ?? 0,
    throttleBurst: throttle?.burst ?? 0,
    startAt: Math.max(run.scheduledFor ?? now, now),
    startDeadline: flow.startDeadline ?? 0,
    singletonMode: singleton?.mode ?? "",
    singletonCancelReason: singleton ? `singleton: replaced by run ${run.id}` : "",
    startNow: run.startNow ? "1" : "",
    fieldCount: fields.length,
  });
  for (const field of fields) args.push(field);
}
