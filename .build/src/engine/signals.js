import { promoteRunJob } from "../queue/run-jobs.js";
import { releaseSignalScript, sendSignalScript, waitForSignalScript } from "./lua-scripts.js";
import { NonRetriableError } from "./non-retriable-error.js";
import { decodeStep, encodeStep, isFinalStatus, STEP_FIELD } from "./run-state.js";
import { WAITING } from "./run-step.js";
import { toStorable } from "./to-storable.js";
const SEND_ATTEMPTS = 5;
const holderOf = (runId, stepId) => `${runId}|${stepId}`;
async function beginSignalWait(deps, runId, waiting, options) {
  const ttlMs = Math.max(1, (waiting.wakeAt ?? Date.now()) - Date.now());
  const keys = [deps.keys.signal(options.signal), deps.keys.run(runId)];
  const answer = await waitForSignalScript(deps.redis, keys, [holderOf(runId, waiting.id), options.onConflict, ttlMs, STEP_FIELD + waiting.id, JSON.stringify(waiting)]);
  if (answer === "ok") return WAITING;
  const other = answer.slice(0, answer.indexOf("|"));
  const message = `Signal conflict; signal wait already exists for another run (signal "${options.signal}", run ${other}); use onConflict: "replace" to take it over`;
  return { kind: "abort", error: new NonRetriableError(message) };
}
async function sendSignal(deps, options) {
  if (typeof options?.signal !== "string" || options.signal === "") throw new TypeError("sendSignal: signal must be a non-empty string");
  const key = deps.keys.signal(options.signal);
  const output = { signal: options.signal, data: toStorable(options.data ?? null, `signal "${options.signal}" data`) };
  for (let attempt = 0; attempt < SEND_ATTEMPTS; attempt++) {
    const holder = await deps.redis.get(key);
    if (holder === null) return { runId: void 0 };
    const runId = holder.slice(0, holder.indexOf("|"));
    const field = STEP_FIELD + holder.slice(holder.indexOf("|") + 1);
    const [status = null, json = null] = await deps.redis.hmget(deps.keys.run(runId), "status", field);
    const waiting = json === null ? void 0 : decodeStep(json, deps.sealer);
    if (!waiting || waiting.status !== "waiting" || status === null || isFinalStatus(status)) {
      await releaseSignalScript(deps.redis, key, holder);
      continue;
    }
    const endedAt = Date.now();
    const settled = { ...waiting, status: "completed", endedAt, durationMs: endedAt - waiting.startedAt, output };
    if (await sendSignalScript(deps.redis, [key, deps.keys.run(runId)], [holder, field, json, encodeStep(settled, deps.sealer)])) {
      await promoteRunJob(deps.runsQueue, runId);
      return { runId };
    }
  }
  throw new Error(`sendSignal: the step waiting for signal "${options.signal}" kept changing; try again`);
}
async function releaseSignal(deps, signal, runId, stepId) {
  await releaseSignalScript(deps.redis, deps.keys.signal(signal), holderOf(runId, stepId));
}
async function releaseRunSignals(deps, run) {
  const waits = run.steps.filter((step) => step.op === "waitForSignal" && step.status === "waiting" && step.signal !== void 0);
  await Promise.all(waits.map((step) => releaseSignal(deps, step.signal, run.id, step.id)));
}
export {
  beginSignalWait,
  releaseRunSignals,
  releaseSignal,
  sendSignal
};
