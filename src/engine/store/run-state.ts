import { IDENTITY_SEALER, isSealed, type Sealer } from "../../crypto/sealer.ts";
import type { FunctionEvent } from "../definition/types.ts";

/**
 * The shape of a run as it is stored in Redis (one hash per run) and as the dashboard reads it.
 * Run fields are hash fields; each step is one `step:<id>` field holding JSON, so parallel steps
 * write their own field and never read-modify-write a shared document.
 */

/** `skipped`: flow control (rateLimit, singleton) decided not to start the run; `skipReason` says why. */
export const RUN_STATUSES = [
  "queued",
  "running",
  "sleeping",
  "waiting",
  "completed",
  "failed",
  "cancelled",
  "skipped",
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** The statuses a run never leaves. The Lua scripts get this set too (see lua-scripts.ts). */
export const FINAL_STATUSES: ReadonlySet<RunStatus> = new Set<RunStatus>([
  "completed",
  "failed",
  "cancelled",
  "skipped",
]);

export function isFinalStatus(status: string): boolean {
  return FINAL_STATUSES.has(status as RunStatus);
}

export type StepOp =
  "run" | "sleep" | "waitForEvent" | "sendEvent" | "invoke" | "waitForSignal" | "sendSignal" | "fetch";

/** retrying: failed, another attempt at retryAt; sleeping/waiting: until wakeAt (the timeout for waits). */
export const STEP_STATUSES = ["completed", "failed", "retrying", "sleeping", "waiting"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** The error's `cause`: serialized the same way when it is an Error, as JSON otherwise. */
  cause?: unknown;
}

export interface StepState {
  /** The id as the handler used it, with Inngest's `:n` suffix on repeats. */
  id: string;
  /**
   * The step's place in the handler's call order (0, 1, ...): the same on every replay, so the
   * timeline's order does not depend on clocks (steps started in the same millisecond).
   */
  seq?: number;
  name: string;
  op: StepOp;
  status: StepStatus;
  /** Executions started (for `run`/`sendEvent`); 0 for sleeps and waits. */
  attempts: number;
  startedAt: number;
  endedAt?: number;
  durationMs?: number;
  output?: unknown;
  error?: SerializedError;
  retryAt?: number;
  wakeAt?: number;
  /** For waitForEvent: where its waiter is registered (removed when the wait ends otherwise). */
  waiterKey?: string;
  /** For waitForEvent: the event name waited for. */
  event?: string;
  /** For step.run: the extra arguments its callback was called with (shown on the run page). */
  input?: unknown[];
  /** For waitForSignal: the signal waited for. */
  signal?: string;
  /** For invoke: the function invoked and the run it started. */
  invoke?: { functionId: string; runId: string };
}

export interface RunState {
  id: string;
  functionId: string;
  eventId: string;
  eventName: string;
  status: RunStatus;
  createdAt: number;
  /** When the run may start (a future event `ts`). */
  scheduledFor?: number;
  startedAt?: number;
  endedAt?: number;
  /** When an operator last retried it (a failed run starts again). */
  retriedAt?: number;
  /** Failed attempts of the handler outside steps (steps count their own). */
  attempt: number;
  output?: unknown;
  error?: SerializedError;
  cancelReason?: string;
  /** A run started by step.invoke: the invoking run and step, settled when this run ends. */
  parentRunId?: string;
  parentStepId?: string;
  /** Why flow control skipped the run (status `skipped`). */
  skipReason?: string;
  /** Priority factor in seconds (`priority.run`): orders the runs waiting for a concurrency slot. */
  priority?: number;
  event: FunctionEvent;
  /** A batch run's events in arrival order (`event` is the first); bodies are read when it executes. */
  eventIds?: string[];
  /** The batch's events, loaded by the executor before the handler runs. */
  events?: FunctionEvent[];
  /** In the order they started. */
  steps: StepState[];
}

export const STEP_FIELD = "step:";

/**
 * Parses the hash of a run; undefined when it does not exist. The trigger event is the run's own
 * copy when it holds one, else the intake's stored body (`eventBody`), else a stub with its id
 * and name (a reader that does not need the event does not read it).
 */
export function decodeRun(
  id: string,
  hash: Record<string, string>,
  eventBody?: string,
  sealer: Sealer = IDENTITY_SEALER,
): RunState | undefined {
  if (!hash.status) return undefined;
  const steps: StepState[] = [];
  for (const [field, value] of Object.entries(hash)) {
    if (field.startsWith(STEP_FIELD)) steps.push(decodeStep(value, field.slice(STEP_FIELD.length), sealer));
  }
  steps.sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity) || a.startedAt - b.startedAt);
  return {
    id,
    functionId: hash.functionId ?? "",
    eventId: hash.eventId ?? "",
    eventName: hash.eventName ?? "",
    status: hash.status as RunStatus,
    createdAt: Number(hash.createdAt),
    scheduledFor: optionalNumber(hash.scheduledFor),
    startedAt: optionalNumber(hash.startedAt),
    endedAt: optionalNumber(hash.endedAt),
    retriedAt: optionalNumber(hash.retriedAt),
    attempt: Number(hash.attempt ?? 0),
    output: hash.output === undefined ? undefined : sealer.open(JSON.parse(hash.output)),
    error: hash.error === undefined ? undefined : (sealer.open(JSON.parse(hash.error)) as SerializedError),
    cancelReason: hash.cancelReason,
    ...(hash.parentRunId === undefined ? {} : { parentRunId: hash.parentRunId, parentStepId: hash.parentStepId }),
    skipReason: hash.skipReason,
    priority: optionalNumber(hash.priority),
    eventIds: hash.eventIds === undefined ? undefined : (JSON.parse(hash.eventIds) as string[]),
    event: sealer.openEvent(
      JSON.parse(
        hash.event ?? eventBody ?? JSON.stringify({ id: hash.eventId, name: hash.eventName, data: {} }),
      ) as FunctionEvent,
    ),
    steps,
  };
}

/** Fields always stored as JSON, whatever their type (a string output stays a JSON string). */
const JSON_FIELDS = new Set(["output", "error", "event"]);

/**
 * Flattens run fields into HSET arguments; undefined values are skipped. What carries personal
 * data is sealed (ENCRYPTION_KEY): the run's output, its error (a mail server's 550 quotes the
 * address it refused) and its copy of the trigger event.
 */
export function encodeFields(fields: Record<string, unknown>, sealer: Sealer = IDENTITY_SEALER): string[] {
  const args: string[] = [];
  for (const [field, raw] of Object.entries(fields)) {
    if (raw === undefined) continue;
    const value =
      field === "output" || field === "error"
        ? sealer.seal(raw)
        : field === "event"
          ? sealer.sealEvent(raw as FunctionEvent)
          : raw;
    const json = JSON_FIELDS.has(field) || field.startsWith(STEP_FIELD) || typeof value === "object";
    args.push(field, json ? JSON.stringify(value) : String(value));
  }
  return args;
}

/**
 * A step as stored, compact (a completed run keeps its steps for RETENTION): the id is the hash
 * field's name, the name only when it differs from the id, the duration only when it differs from
 * its times. Its output, input and error (what a step computed from personal data, and what a
 * server answered about it) are sealed.
 */
export function encodeStep(step: StepState, sealer: Sealer = IDENTITY_SEALER): string {
  const { id, name, durationMs, ...stored } = step;
  const compact: Partial<StepState> = stored;
  if (name !== id) compact.name = name;
  if (durationMs !== undefined && (step.endedAt === undefined || durationMs !== step.endedAt - step.startedAt))
    compact.durationMs = durationMs;
  if (sealer.enabled && (step.output !== undefined || step.input !== undefined)) {
    compact.output = sealer.seal(step.output);
    compact.input = sealer.seal(step.input) as unknown[] | undefined;
  }
  if (sealer.enabled && step.error !== undefined) compact.error = sealer.seal(step.error) as SerializedError;
  return JSON.stringify(compact);
}

/** A stored step (compact, or whole as earlier versions and signals store it) with its `id`. */
export function decodeStep(json: string, id: string, sealer: Sealer = IDENTITY_SEALER): StepState {
  const stored = JSON.parse(json) as Partial<StepState> & Pick<StepState, "op" | "status" | "attempts" | "startedAt">;
  const step: StepState = { ...stored, id: stored.id ?? id, name: stored.name ?? stored.id ?? id };
  if (step.durationMs === undefined && step.endedAt !== undefined) step.durationMs = step.endedAt - step.startedAt;
  if (isSealed(step.output)) step.output = sealer.open(step.output);
  if (isSealed(step.input)) step.input = sealer.open(step.input) as unknown[];
  if (isSealed(step.error)) step.error = sealer.open(step.error) as SerializedError;
  return step;
}

/** Causes nest: Inngest keeps five levels, and so do we (a cycle must not recurse forever). */
const MAX_CAUSE_DEPTH = 5;

export function serializeError(error: Error, depth = 0): SerializedError {
  const cause =
    error.cause === undefined || depth >= MAX_CAUSE_DEPTH ? undefined : serializeCause(error.cause, depth + 1);
  return {
    name: error.name,
    message: error.message,
    ...(error.stack ? { stack: error.stack } : {}),
    ...(cause === undefined ? {} : { cause }),
  };
}

function serializeCause(cause: unknown, depth: number): unknown {
  if (cause instanceof Error) return serializeError(cause, depth);
  try {
    const json = JSON.stringify(cause);
    return json === undefined ? undefined : JSON.parse(json);
  } catch {
    return String(cause);
  }
}

function optionalNumber(value: string | undefined): number | undefined {
  return value === undefined || value === "" ? undefined : Number(value);
}
