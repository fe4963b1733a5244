import { readFileSync } from "node:fs";
import { FINAL_STATUSES } from "./run-state.js";
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
};
const FINAL_SET = `{ ${[...FINAL_STATUSES].map((status) => `${status} = true`).join(", ")} }`;
const sources = new Map();
function source(name) {
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
export function defineEngineScripts(redis) {
    if (typeof redis.engineRouteEvent === "function")
        return;
    for (const each of Object.keys(SCRIPTS))
        redis.defineCommand(each, source(each));
}
async function call(redis, name, keys, args) {
    defineEngineScripts(redis);
    const script = redis[name];
    const counted = source(name).numberOfKeys === undefined ? [keys.length] : [];
    return script.call(redis, ...counted, ...keys, ...args);
}
const CREATE_RUN_CODES = {
    1: "created",
    0: "queued",
    2: "started",
    [-1]: "idempotent",
    3: "rate-limited",
    4: "singleton-skipped",
    5: "cancelled",
    6: "admitted",
};
export async function routeEventScript(redis, keys, args) {
    return routeEventResult(await call(redis, "engineRouteEvent", keys, args));
}
/** lua/route-event.lua queued in a MULTI (step.invoke stores its step in the same transaction). */
export function queueRouteEvent(transaction, keys, args) {
    const script = transaction.engineRouteEvent;
    void script.call(transaction, keys.length, ...keys, ...args);
}
/** lua/route-event.lua's reply: the `if` waiters and match paths of the event's name, then one [code, startAt, detail] per run. */
export function routeEventResult(reply) {
    const [flat, paths, ...runs] = reply;
    return {
        waiters: pairs(flat),
        waiterPaths: paths,
        runs: runs.map(([code, startAt, detail]) => ({ result: CREATE_RUN_CODES[code] ?? "started", startAt, ...(detail ? { detail } : {}) })),
    };
}
export async function updateRunScript(redis, runKey, args) {
    return (await call(redis, "engineUpdateRun", [runKey], args));
}
/** True when stored; false when the run no longer exists (erased or expired). */
export async function saveStepScript(redis, runKey, args) {
    return (await call(redis, "engineSaveStep", [runKey], args)) === 1;
}
/** True when the step was in the expected status and is now replaced. */
export async function resolveStepScript(redis, runKey, args) {
    return (await call(redis, "engineResolveStep", [runKey], args)) === 1;
}
/** True when the holder has a slot (new or renewed); false when it waits in line. */
export async function acquireSlotScript(redis, keys, args) {
    return (await call(redis, "engineAcquireSlot", keys, args)) === 1;
}
/** Gives back a slot and a place in line; answers the run now first in line, if any. */
export async function releaseSlotScript(redis, keys, holder) {
    return (await call(redis, "engineReleaseSlot", keys, [holder])) || undefined;
}
/** The run hash (after marking it running, unless read only) and its trigger event's stored body. */
export async function startRunScript(redis, keys, args) {
    const [flat, body] = (await call(redis, "engineStartRun", keys, args));
    return { hash: pairs(flat), ...(typeof body === "string" ? { eventBody: body } : {}) };
}
/** "ok" when the step now waits for the signal; otherwise the `<run id>|<step id>` already waiting. */
export async function waitForSignalScript(redis, keys, args) {
    return (await call(redis, "engineWaitForSignal", keys, args));
}
/** True when the signal was delivered; false when the holder or its step changed meanwhile. */
export async function sendSignalScript(redis, keys, args) {
    return (await call(redis, "engineSendSignal", keys, args)) === 1;
}
/** True when the holder held the signal and freed it. */
export async function releaseSignalScript(redis, signalKey, holder) {
    return (await call(redis, "engineReleaseSignal", [signalKey], [holder])) === 1;
}
/** The debounce generation the event is in, and when it fires. */
export async function debounceEventScript(redis, debounceKey, args) {
    const [generation, deadline] = (await call(redis, "engineDebounceEvent", [debounceKey], args));
    return { generation, deadline };
}
export async function claimDebounceScript(redis, keys, args) {
    const [kind, value] = (await call(redis, "engineClaimDebounce", keys, args));
    if (kind === "claimed")
        return { kind, event: value };
    if (kind === "wait")
        return { kind, until: Number(value) };
    return { kind: "gone" };
}
/** The batch that took the event, when it opened, and whether it is full (closed). */
export async function batchEventScript(redis, keys, args) {
    const [batchId, firstAt, full] = (await call(redis, "engineBatchEvent", keys, args));
    return { batchId, firstAt, full: full === 1 };
}
/** A closed batch's event ids, in arrival order; empty once its run exists. */
export async function closeBatchScript(redis, keys, batchId) {
    return (await call(redis, "engineCloseBatch", keys, [batchId]));
}
/** True when the run held the singleton key and gave it back. */
export async function releaseSingletonScript(redis, singletonKey, runId) {
    return (await call(redis, "engineReleaseSingleton", [singletonKey], [runId])) === 1;
}
function pairs(flat) {
    const record = {};
    for (let i = 0; i < flat.length; i += 2)
        record[flat[i]] = flat[i + 1];
    return record;
}
