import { luaContract, luaGroup } from "../../util/lua-contract.ts";

/**
 * The engine's Lua scripts as contracts (see util/lua-contract.ts): each script's KEYS and ARGV by
 * name, in the order its header documents, and its reply decoded into the union the engine
 * handles. lua-scripts.ts calls them; test/unit/lua-contracts.test.ts holds each against its file.
 * A new argument is one name here, in the same place as in the script's header.
 */

/** What lua/route-event.lua did with one run. */
export type CreateRunResult =
  /** created now: enqueue its job (to start at `startAt`) */
  | "created"
  /**
   * existed and has not ended, or was cancelled before it ran: enqueue again (the job id dedupes;
   * a crash may have lost the job, or cut short the run's execution in the router)
   */
  | "queued"
  /** existed and has ended: nothing to do */
  | "ended"
  /** another run holds the function's idempotency key: no run */
  | "idempotent"
  /** stored as skipped: over the rate limit */
  | "rate-limited"
  /** stored as skipped: the singleton's run (`detail`) is active */
  | "singleton-skipped"
  /** stored as cancelled: its throttle slot is after its start deadline; enqueue it to wind it up */
  | "cancelled"
  /** gate only (a debounced event): within the rate limit, nothing stored */
  | "admitted";

export interface RouteRunResult {
  result: CreateRunResult;
  /** When the run's job should start (throttle slot, future event, priority delay). */
  startAt: number;
  /** created: a run the singleton cancelled; singleton-skipped: the active run. */
  detail?: string;
}

const CREATE_RUN_CODES = {
  1: "created",
  0: "queued",
  2: "ended",
  [-1]: "idempotent",
  3: "rate-limited",
  4: "singleton-skipped",
  5: "cancelled",
  6: "admitted",
} as const satisfies Record<number, CreateRunResult>;

/** One run's part of route-event.lua: seven keys (an unused one is the run hash) and 14 arguments, then its fields. */
export const ROUTE_RUN = luaGroup({
  name: "run",
  keys: ["run", "functionRuns", "eventRuns", "idempotency", "rateLimit", "throttle", "singleton"],
  argv: [
    "runId",
    "indexMember",
    "idempotencyTtl",
    "gate",
    "rateLimit",
    "ratePeriodMs",
    "throttleLimit",
    "throttlePeriodMs",
    "throttleBurst",
    "startAt",
    "startDeadline",
    "singletonMode",
    "singletonCancelReason",
    "startNow",
    "fieldCount",
  ],
});

export const routeEvent = luaContract({
  file: "route-event.lua",
  keys: ["waitersIf", "matchPaths", "eventLog", "eventLogOfName", "functionsWithRuns"],
  argv: ["logMember", "retentionSeconds", "runCount", "readWaiters", "now", "runKeyPrefix"],
  each: ROUTE_RUN,
  replies: CREATE_RUN_CODES,
  /** The `if` waiters and match paths of the event's name, then one [code, startAt, detail] per run. */
  decode(reply: unknown): { waiters: Record<string, string>; waiterPaths: string[]; runs: RouteRunResult[] } {
    const [flat, paths, ...runs] = reply as [string[], string[], ...Array<[number, number, string]>];
    return {
      waiters: pairs(flat),
      waiterPaths: paths,
      runs: runs.map(([code, startAt, detail]): RouteRunResult => ({
        result: (CREATE_RUN_CODES as Record<number, CreateRunResult>)[code] ?? "ended",
        startAt,
        ...(detail ? { detail } : {}),
      })),
    };
  },
});

/** "ok" when written; "missing" when there is no such run; its final status when it had ended. */
export type UpdateRunResult = "ok" | "missing" | "completed" | "failed" | "cancelled" | "skipped";

export const updateRun = luaContract({
  file: "update-run-1.lua",
  keys: ["run"],
  argv: ["ttlSeconds"],
  moreArgv: "fields",
  replies: ["ok", "missing"],
  decode: (reply: unknown) => reply as UpdateRunResult,
});

/** A reply of 1 or 0 as true or false. */
const flag = (reply: unknown): boolean => reply === 1;

export const saveStep = luaContract({
  file: "save-step-1.lua",
  keys: ["run"],
  argv: ["field", "step"],
  replies: [1, 0],
  decode: flag,
});

export const resolveStep = luaContract({
  file: "resolve-step-1.lua",
  keys: ["run"],
  argv: ["field", "expectedStatus", "step"],
  replies: [1, 0],
  decode: flag,
});

export const acquireSlot = luaContract({
  file: "acquire-slot-3.lua",
  keys: ["holders", "line", "lineSeen"],
  argv: ["holder", "now", "leaseEnd", "limit", "order", "staleMs"],
  replies: [1, 0],
  decode: flag,
});

export const releaseSlot = luaContract({
  file: "release-slot-3.lua",
  keys: ["holders", "line", "lineSeen"],
  argv: ["holder"],
  replies: [""],
  /** The run now first in line, if any. */
  decode: (reply: unknown) => (reply as string) || undefined,
});

export const startRun = luaContract({
  file: "start-run-2.lua",
  keys: ["run", "eventJob"],
  argv: ["now", "markRunning", "eventJobKnown"],
  replies: [],
  /** The run hash (after marking it running, unless read only) and its trigger event's stored body. */
  decode(reply: unknown): { hash: Record<string, string>; eventBody?: string } {
    const [flat, body] = reply as [string[], string | null];
    return { hash: pairs(flat), ...(typeof body === "string" ? { eventBody: body } : {}) };
  },
});

export const waitForSignal = luaContract({
  file: "wait-for-signal-2.lua",
  keys: ["signal", "run"],
  argv: ["holder", "onConflict", "ttlMs", "field", "step"],
  replies: ["ok"],
  /** "ok" when the step now waits for the signal; otherwise the `<run id>|<step id>` already waiting. */
  decode: (reply: unknown) => reply as string,
});

export const sendSignal = luaContract({
  file: "send-signal-2.lua",
  keys: ["signal", "run"],
  argv: ["holder", "field", "waitingAsRead", "settled"],
  replies: [1, 0],
  decode: flag,
});

export const releaseSignal = luaContract({
  file: "release-signal-1.lua",
  keys: ["signal"],
  argv: ["holder"],
  replies: [1, 0],
  decode: flag,
});

export const debounceEvent = luaContract({
  file: "debounce-event-1.lua",
  keys: ["debounce"],
  argv: ["now", "periodMs", "timeoutMs", "eventId", "eventTs", "event", "generation", "retentionMs"],
  replies: [],
  /** The debounce generation the event is in, and when it fires. */
  decode(reply: unknown): { generation: string; deadline: number } {
    const [generation, deadline] = reply as [string, number];
    return { generation, deadline };
  },
});

/** What a debounce's fire job found. */
export type DebounceClaim = { kind: "claimed"; event: string } | { kind: "wait"; until: number } | { kind: "gone" };

export const claimDebounce = luaContract({
  file: "claim-debounce-2.lua",
  keys: ["debounce", "claim"],
  argv: ["generation", "now", "retentionSeconds"],
  replies: ["claimed", "wait", "gone"],
  decode(reply: unknown): DebounceClaim {
    const [kind, value] = reply as [string, string | number];
    if (kind === "claimed") return { kind, event: value as string };
    if (kind === "wait") return { kind, until: Number(value) };
    return { kind: "gone" };
  },
});

export const batchEvent = luaContract({
  file: "batch-event-2.lua",
  keys: ["openBatch", "takenBy"],
  argv: ["eventId", "maxSize", "batchId", "now", "batchEventsPrefix", "retentionSeconds", "takenBySeconds"],
  replies: [1, 0],
  /** The batch that took the event, when it opened, and whether it is full (closed). */
  decode(reply: unknown): { batchId: string; firstAt: number; full: boolean } {
    const [batchId, firstAt, full] = reply as [string, number, number];
    return { batchId, firstAt, full: full === 1 };
  },
});

/** A closed batch's event ids, in arrival order; empty once its run exists. */
export const closeBatch = luaContract({
  file: "close-batch-2.lua",
  keys: ["openBatch", "events"],
  argv: ["batchId"],
  replies: [],
  decode: (reply: unknown) => reply as string[],
});

export const releaseSingleton = luaContract({
  file: "release-singleton-1.lua",
  keys: ["singleton"],
  argv: ["runId"],
  replies: [1, 0],
  decode: flag,
});

function pairs(flat: string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) record[flat[i] as string] = flat[i + 1] as string;
  return record;
}
