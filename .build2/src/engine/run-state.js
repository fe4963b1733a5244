import { IDENTITY_SEALER, isSealed } from "../crypto/sealer.js";
/**
 * The shape of a run as it is stored in Redis (one hash per run) and as the dashboard reads it.
 * Run fields are hash fields; each step is one `step:<id>` field holding JSON, so parallel steps
 * write their own field and never read-modify-write a shared document.
 */
/** `skipped`: flow control (rateLimit, singleton) decided not to start the run; `skipReason` says why. */
export const RUN_STATUSES = ["queued", "running", "sleeping", "waiting", "completed", "failed", "cancelled", "skipped"];
/** The statuses a run never leaves. The Lua scripts get this set too (see lua-scripts.ts). */
export const FINAL_STATUSES = new Set(["completed", "failed", "cancelled", "skipped"]);
export function isFinalStatus(status) {
    return FINAL_STATUSES.has(status);
}
/** retrying: failed, another attempt at retryAt; sleeping/waiting: until wakeAt (the timeout for waits). */
export const STEP_STATUSES = ["completed", "failed", "retrying", "sleeping", "waiting"];
export const STEP_FIELD = "step:";
/**
 * Parses the hash of a run; undefined when it does not exist. The trigger event is the run's own
 * copy when it holds one, else the intake's stored body (`eventBody`), else a stub with its id
 * and name (a reader that does not need the event does not read it).
 */
export function decodeRun(id, hash, eventBody, sealer = IDENTITY_SEALER) {
    if (!hash.status)
        return undefined;
    const steps = [];
    for (const [field, value] of Object.entries(hash)) {
        if (field.startsWith(STEP_FIELD))
            steps.push(decodeStep(value, sealer));
    }
    steps.sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity) || a.startedAt - b.startedAt);
    return {
        id,
        functionId: hash.functionId ?? "",
        eventId: hash.eventId ?? "",
        eventName: hash.eventName ?? "",
        status: hash.status,
        createdAt: Number(hash.createdAt),
        scheduledFor: optionalNumber(hash.scheduledFor),
        startedAt: optionalNumber(hash.startedAt),
        endedAt: optionalNumber(hash.endedAt),
        retriedAt: optionalNumber(hash.retriedAt),
        attempt: Number(hash.attempt ?? 0),
        output: hash.output === undefined ? undefined : sealer.open(JSON.parse(hash.output)),
        error: hash.error === undefined ? undefined : JSON.parse(hash.error),
        cancelReason: hash.cancelReason,
        ...(hash.parentRunId === undefined ? {} : { parentRunId: hash.parentRunId, parentStepId: hash.parentStepId }),
        skipReason: hash.skipReason,
        priority: optionalNumber(hash.priority),
        eventIds: hash.eventIds === undefined ? undefined : JSON.parse(hash.eventIds),
        event: sealer.openEvent(JSON.parse(hash.event ?? eventBody ?? JSON.stringify({ id: hash.eventId, name: hash.eventName, data: {} }))),
        steps,
    };
}
/** Fields always stored as JSON, whatever their type (a string output stays a JSON string). */
const JSON_FIELDS = new Set(["output", "error", "event"]);
/**
 * Flattens run fields into HSET arguments; undefined values are skipped. What carries personal
 * data is sealed (ENCRYPTION_KEY): the run's output and its copy of the trigger event.
 */
export function encodeFields(fields, sealer = IDENTITY_SEALER) {
    const args = [];
    for (const [field, raw] of Object.entries(fields)) {
        if (raw === undefined)
            continue;
        const value = field === "output" ? sealer.seal(raw) : field === "event" ? sealer.sealEvent(raw) : raw;
        const json = JSON_FIELDS.has(field) || field.startsWith(STEP_FIELD) || typeof value === "object";
        args.push(field, json ? JSON.stringify(value) : String(value));
    }
    return args;
}
/** A step as stored: its output and input (what a step computed from personal data) sealed. */
export function encodeStep(step, sealer = IDENTITY_SEALER) {
    if (!sealer.enabled || (step.output === undefined && step.input === undefined))
        return JSON.stringify(step);
    return JSON.stringify({ ...step, output: sealer.seal(step.output), input: sealer.seal(step.input) });
}
export function decodeStep(json, sealer = IDENTITY_SEALER) {
    const step = JSON.parse(json);
    if (!isSealed(step.output) && !isSealed(step.input))
        return step;
    return { ...step, output: sealer.open(step.output), input: sealer.open(step.input) };
}
/** Causes nest: Inngest keeps five levels, and so do we (a cycle must not recurse forever). */
const MAX_CAUSE_DEPTH = 5;
export function serializeError(error, depth = 0) {
    const cause = error.cause === undefined || depth >= MAX_CAUSE_DEPTH ? undefined : serializeCause(error.cause, depth + 1);
    return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}), ...(cause === undefined ? {} : { cause }) };
}
function serializeCause(cause, depth) {
    if (cause instanceof Error)
        return serializeError(cause, depth);
    try {
        const json = JSON.stringify(cause);
        return json === undefined ? undefined : JSON.parse(json);
    }
    catch {
        return String(cause);
    }
}
function optionalNumber(value) {
    return value === undefined || value === "" ? undefined : Number(value);
}
