import { readFileSync } from "node:fs";
import type { ChainableCommander, Redis } from "ioredis";
import { FINAL_STATUSES } from "./run-state.ts";

/**
 * The engine's Lua scripts, one file each (`name-<numKeys>.lua`, with a header documenting KEYS,
 * ARGV and returns), registered with ioredis' defineCommand so they run with EVALSHA (and are
 * batched by auto-pipelining). Each script's raw reply is turned into a named result here and
 * nowhere else.
 *
 * The set of final statuses is defined once, in run-state.ts: a script that needs it writes the
 * placeholder `FINAL_STATUSES`, replaced at load by a Lua set such as
 * `{ completed = true, failed = true, cancelled = true }`.
 */
const SCRIPTS = {
  engineRouteEvent: "route-event.lua",
  engineUpdateRun: "update-run-1.lua",
  engineResolveStep: "resolve-step-1.lua",
  engineSaveStep: "save-step-1.lua",
  engineAcquireSlot: "acquire-slot-3.lua",
  engineReleaseSlot: "release-slot-3.lua",
  engineStartRun: "start-run-2.lua",
  engineWaitForSignal: "wait-for-signal-2.lua",
  engineSendSignal: "send-signal-2.lua",
  engineReleaseSignal: "release-signal-1.lua",
  engineDebounceEvent: "debounce-event-1.lua",
  engineClaimDebounce: "claim-debounce-2.lua",
  engineBatchEvent: "batch-event-2.lua",
  engineCloseBatch: "close-batch-2.lua",
  engineReleaseSingleton: "release-singleton-1.lua",
} as const;

type ScriptName = keyof typeof SCRIPTS;
type ScriptCall = (...args: Array<string | number>) => Promise<unknown>;

const FINAL_SET = `{ ${[...FINAL_STATUSES].map((status) => `${status} = true`).join(", ")} }`;
const sources = new Map<ScriptName, { lua: string; numberOfKeys?: number }>();

function source(name: ScriptName) {
  let entry = sources.get(name);
  if (!entry) {
    const file = SCRIPTS[name];
    const lua = readFileSync(new URL(`./lua/${file}`, import.meta.url), "utf8").replaceAll("FINAL_STATUSES", FINAL_SET);
    // `name-<n>.lua` takes n keys; a name without a count takes a variable number, passed first.
    const count = /-(\d+)\.lua$/.exec(file)?.[1];
    entry = { lua, numberOfKeys: count === undefined ? undefined : Number(count) };
    sources.set(name, entry);
  }
  return entry;
}

/**
 * Defines every script on a client, once, before it is used: with auto-pipelining, ioredis copies
 * the client's commands into each pipeline it makes, and a script defined after a pipeline was
 * made fails that whole pipeline. The run ledger calls this when it is built.
 */
export function defineEngineScripts(redis: Redis): void {
  if (typeof (redis as unknown as Record<string, unknown>).engineRouteEvent === "function") return;
  for (const each of Object.keys(SCRIPTS) as ScriptName[]) redis.defineCommand(each, source(each));
}

async function call(redis: Redis, name: ScriptName, keys: string[], args: Array<string | number>): Promise<unknown> {
  defineEngineScripts(redis);
  const script = (redis as unknown as Record<string, ScriptCall>)[name] as ScriptCall;
  const counted = source(name).numberOfKeys === undefined ? [keys.length] : [];
  return script.call(redis, ...counted, ...keys, ...args);
}

/** What lua/route-event.lua did with one run. */
export type CreateRunResult =
  /** created now: enqueue its job (to start at `startAt`) */
  | "created"
  /** existed, still queued (or cancelled before it ran): enqueue again (the job id dedupes; a crash may have lost the job) */
  | "queued"
  /** existed and has started: nothing to do */
  | "started"
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

const CREATE_RUN_CODES: Record<number, CreateRunResult> = {
  1: "created",
  0: "queued",
  2: "started",
  [-1]: "idempotent",
  3: "rate-limited",
  4: "singleton-skipped",
  5: "cancelled",
  6: "admitted",
};

export async function routeEventScript(redis: Redis, keys: string[], args: Array<string | number>) {
  return routeEventResult(await call(redis, "engineRouteEvent", keys, args));
}

/** lua/route-event.lua queued in a MULTI (step.invoke stores its step in the same transaction). */
export function queueRouteEvent(transaction: ChainableCommander, keys: string[], args: Array<string | number>): void {
  const script = (transaction as unknown as Record<string, ScriptCall>).engineRouteEvent as ScriptCall;
  void script.call(transaction, keys.length, ...keys, ...args);
}

/** lua/route-event.lua's reply: the `if` waiters and match paths of the event's name, then one [code, startAt, detail] per run. */
export function routeEventResult(reply: unknown): { waiters: Record<string, string>; waiterPaths: string[]; runs: RouteRunResult[] } {
  const [flat, paths, ...runs] = reply as [string[], string[], ...Array<[number, number, string]>];
  return {
    waiters: pairs(flat),
    waiterPaths: paths,
    runs: runs.map(([code, startAt, detail]): RouteRunResult => ({ result: CREATE_RUN_CODES[code] ?? "started", startAt, ...(detail ? { detail } : {}) })),
  };
}

/** "ok" when written; "missing" when there is no such run; its final status when it had ended. */
export type UpdateRunResult = "ok" | "missing" | "completed" | "failed" | "cancelled" | "skipped";

export async function updateRunScript(redis: Redis, runKey: string, args: Array<string | number>): Promise<UpdateRunResult> {
  return (await call(redis, "engineUpdateRun", [runKey], args)) as UpdateRunResult;
}

/** True when stored; false when the run no longer exists (erased or expired). */
export async function saveStepScript(redis: Redis, runKey: string, args: [string, string]): Promise<boolean> {
  return (await call(redis, "engineSaveStep", [runKey], args)) === 1;
}

/** True when the step was in the expected status and is now replaced. */
export async function resolveStepScript(redis: Redis, runKey: string, args: Array<string | number>): Promise<boolean> {
  return (await call(redis, "engineResolveStep", [runKey], args)) === 1;
}

/** True when the holder has a slot (new or renewed); false when it waits in line. */
export async function acquireSlotScript(redis: Redis, keys: [string, string, string], args: Array<string | number>): Promise<boolean> {
  return (await call(redis, "engineAcquireSlot", keys, args)) === 1;
}

/** Gives back a slot and a place in line; answers the run now first in line, if any. */
export async function releaseSlotScript(redis: Redis, keys: [string, string, string], holder: string): Promise<string | undefined> {
  return ((await call(redis, "engineReleaseSlot", keys, [holder])) as string) || undefined;
}

/** The run hash (after marking it running, unless read only) and its trigger event's stored body. */
export async function startRunScript(redis: Redis, keys: [string, string], args: Array<string | number>): Promise<{ hash: Record<string, string>; eventBody?: string }> {
  const [flat, body] = (await call(redis, "engineStartRun", keys, args)) as [string[], string | null];
  return { hash: pairs(flat), ...(typeof body === "string" ? { eventBody: body } : {}) };
}

/** "ok" when the step now waits for the signal; otherwise the `<run id>|<step id>` already waiting. */
export async function waitForSignalScript(redis: Redis, keys: [string, string], args: Array<string | number>): Promise<string> {
  return (await call(redis, "engineWaitForSignal", keys, args)) as string;
}

/** True when the signal was delivered; false when the holder or its step changed meanwhile. */
export async function sendSignalScript(redis: Redis, keys: [string, string], args: Array<string | number>): Promise<boolean> {
  return (await call(redis, "engineSendSignal", keys, args)) === 1;
}

/** True when the holder held the signal and freed it. */
export async function releaseSignalScript(redis: Redis, signalKey: string, holder: string): Promise<boolean> {
  return (await call(redis, "engineReleaseSignal", [signalKey], [holder])) === 1;
}

/** The debounce generation the event is in, and when it fires. */
export async function debounceEventScript(redis: Redis, debounceKey: string, args: Array<string | number>): Promise<{ generation: string; deadline: number }> {
  const [generation, deadline] = (await call(redis, "engineDebounceEvent", [debounceKey], args)) as [string, number];
  return { generation, deadline };
}

/** What a debounce's fire job found. */
export type DebounceClaim = { kind: "claimed"; event: string } | { kind: "wait"; until: number } | { kind: "gone" };

export async function claimDebounceScript(redis: Redis, keys: [string, string], args: Array<string | number>): Promise<DebounceClaim> {
  const [kind, value] = (await call(redis, "engineClaimDebounce", keys, args)) as [string, string | number];
  if (kind === "claimed") return { kind, event: value as string };
  if (kind === "wait") return { kind, until: Number(value) };
  return { kind: "gone" };
}

/** The batch that took the event, when it opened, and whether it is full (closed). */
export async function batchEventScript(redis: Redis, keys: [string, string], args: Array<string | number>): Promise<{ batchId: string; firstAt: number; full: boolean }> {
  const [batchId, firstAt, full] = (await call(redis, "engineBatchEvent", keys, args)) as [string, number, number];
  return { batchId, firstAt, full: full === 1 };
}

/** A closed batch's event ids, in arrival order; empty once its run exists. */
export async function closeBatchScript(redis: Redis, keys: [string, string], batchId: string): Promise<string[]> {
  return (await call(redis, "engineCloseBatch", keys, [batchId])) as string[];
}

/** True when the run held the singleton key and gave it back. */
export async function releaseSingletonScript(redis: Redis, singletonKey: string, runId: string): Promise<boolean> {
  return (await call(redis, "engineReleaseSingleton", [singletonKey], [runId])) === 1;
}

function pairs(flat: string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) record[flat[i] as string] = flat[i + 1] as string;
  return record;
}
