import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { promoteRunJob } from "../../queue/run-jobs.ts";
import type { BridgeKeys } from "../../redis/keys.ts";
import { releaseSignalScript, sendSignalScript, waitForSignalScript } from "../store/lua-scripts.ts";
import { NonRetriableError } from "../definition/non-retriable-error.ts";
import type { Sealer } from "../../crypto/sealer.ts";
import {
  decodeStep,
  encodeStep,
  isFinalStatus,
  STEP_FIELD,
  type RunState,
  type StepState,
} from "../store/run-state.ts";
import { WAITING, type BeginResult } from "./run-step.ts";
import { toStorable } from "./to-storable.ts";
import type { SignalResult } from "../definition/types.ts";

export interface SignalDeps {
  redis: Redis;
  keys: BridgeKeys;
  runsQueue: Queue;
  /** Seals the signal's data in the settled step (ENCRYPTION_KEY). */
  sealer?: Sealer;
}

/** A sender re-reads this many times when the waiting step changes under it (replaced, timed out). */
const SEND_ATTEMPTS = 5;

const holderOf = (runId: string, stepId: string) => `${runId}|${stepId}`;

/**
 * step.waitForSignal: the step becomes the one waiting on the signal's name (its key expires at
 * the timeout) and is stored as waiting, in one script (lua/wait-for-signal-2.lua). With
 * onConflict "fail" (Inngest's default), another run already waiting fails this run at once.
 */
export async function beginSignalWait(
  deps: SignalDeps,
  runId: string,
  waiting: StepState,
  options: { signal: string; onConflict: "fail" | "replace" },
): Promise<BeginResult> {
  const ttlMs = Math.max(1, (waiting.wakeAt ?? Date.now()) - Date.now());
  const keys = { signal: deps.keys.signal(options.signal), run: deps.keys.run(runId) };
  const answer = await waitForSignalScript(deps.redis, keys, {
    holder: holderOf(runId, waiting.id),
    onConflict: options.onConflict,
    ttlMs,
    field: STEP_FIELD + waiting.id,
    step: JSON.stringify(waiting),
  });
  if (answer === "ok") return WAITING;
  const other = answer.slice(0, answer.indexOf("|"));
  const message = `Signal conflict; signal wait already exists for another run (signal "${options.signal}", run ${other}); use onConflict: "replace" to take it over`;
  return { kind: "abort", error: new NonRetriableError(message) };
}

/**
 * Sends a signal: the step waiting on it resumes with `{ signal, data }`. Answers the run it
 * resumed, or undefined when nobody waits (the signal is then dropped, as in Inngest). The step is
 * settled and the signal freed in one compare-and-set script (lua/send-signal-2.lua), so a wait
 * that timed out or was taken over in between is never settled by mistake. This is both
 * `step.sendSignal` and the process-level `inngest.sendSignal()`.
 */
export async function sendSignal(deps: SignalDeps, options: { signal: string; data?: unknown }): Promise<SignalResult> {
  if (typeof options?.signal !== "string" || options.signal === "")
    throw new TypeError("sendSignal: signal must be a non-empty string");
  const key = deps.keys.signal(options.signal);
  const output = { signal: options.signal, data: toStorable(options.data ?? null, `signal "${options.signal}" data`) };
  for (let attempt = 0; attempt < SEND_ATTEMPTS; attempt++) {
    const holder = await deps.redis.get(key);
    if (holder === null) return { runId: undefined };
    const runId = holder.slice(0, holder.indexOf("|"));
    const field = STEP_FIELD + holder.slice(holder.indexOf("|") + 1);
    const [status = null, json = null] = await deps.redis.hmget(deps.keys.run(runId), "status", field);
    const waiting = json === null ? undefined : decodeStep(json, field.slice(STEP_FIELD.length), deps.sealer);
    if (!waiting || waiting.status !== "waiting" || status === null || isFinalStatus(status)) {
      // A leftover: that wait is over (a crash kept its run from freeing the signal).
      await releaseSignalScript(deps.redis, { signal: key }, { holder });
      continue;
    }
    const endedAt = Date.now();
    const settled: StepState = {
      ...waiting,
      status: "completed",
      endedAt,
      durationMs: endedAt - waiting.startedAt,
      output,
    };
    if (
      await sendSignalScript(
        deps.redis,
        { signal: key, run: deps.keys.run(runId) },
        { holder, field, waitingAsRead: json as string, settled: encodeStep(settled, deps.sealer) },
      )
    ) {
      await promoteRunJob(deps.runsQueue, runId);
      return { runId };
    }
  }
  throw new Error(`sendSignal: the step waiting for signal "${options.signal}" kept changing; try again`);
}

/** Frees the signal a step waited on, unless another run has taken it over since. */
export async function releaseSignal(deps: SignalDeps, signal: string, runId: string, stepId: string): Promise<void> {
  await releaseSignalScript(deps.redis, { signal: deps.keys.signal(signal) }, { holder: holderOf(runId, stepId) });
}

/** At a run's end (windUpRun): free the signals its steps still wait on. */
export async function releaseRunSignals(deps: SignalDeps, run: RunState): Promise<void> {
  const waits = run.steps.filter(
    (step) => step.op === "waitForSignal" && step.status === "waiting" && step.signal !== undefined,
  );
  await Promise.all(waits.map((step) => releaseSignal(deps, step.signal as string, run.id, step.id)));
}
