import { toError } from "../errors.js";
import { decideRetry } from "./backoff.js";
import { NonRetriableError } from "./non-retriable-error.js";
import { createStepIdAllocator, planStep } from "./replay.js";
import { serializeError } from "./run-state.js";
import { NEVER } from "./session-tracker.js";
import { StepError } from "./step-error.js";
import { toStorable } from "./to-storable.js";
const WAITING = { kind: "waiting" };
function createStepRunner(options, tracker) {
  const runner = { ...options, tracker, allocate: createStepIdAllocator(), nextSeq: 0 };
  return (stepId, request, body = {}) => runStep(runner, stepId, request, body);
}
function runStep(runner, stepId, request, body) {
  const baseId = typeof stepId === "string" ? stepId : stepId?.id;
  if (typeof baseId !== "string" || baseId === "") throw new NonRetriableError(`a step needs a non-empty string id, got ${JSON.stringify(stepId)}`);
  const id = runner.allocate(baseId);
  const seq = runner.nextSeq++;
  const stored = runner.steps.get(id);
  const name = typeof stepId === "string" ? stepId : stepId.name ?? stepId.id;
  const head = { id, name, op: request.op, seq: stored?.seq ?? seq, ...body.fields };
  const plan = planStep(stored, request, runner.now());
  runner.onPlan?.(plan.kind);
  return follow(runner, plan, head, stored, body);
}
function follow(runner, plan, head, stored, body) {
  const { tracker, now } = runner;
  const base = { ...head, status: "waiting", attempts: 0, startedAt: stored?.startedAt ?? now() };
  const save = (step) => tracker.track(tracker.guard(runner.effects.saveStep(step)));
  switch (plan.kind) {
    case "return":
      return Promise.resolve(plan.value);
    case "throw":
      return Promise.reject(new StepError(head.id, plan.error));
    case "suspend":
      return tracker.suspend(plan.until, suspendStatus(head.op));
    case "execute":
      if (tracker.stopped) return NEVER;
      if (runner.deadline !== void 0 && now() >= runner.deadline) return tracker.suspend(now(), "running");
      return tracker.track(execute(runner, head, stored, body.execute ?? noop)).then((result) => "retryAt" in result ? tracker.suspend(result.retryAt, "running") : result.output);
    case "begin-sleep":
      return save({ ...base, status: "sleeping", wakeAt: plan.until }).then(() => tracker.suspend(plan.until, "sleeping"));
    case "end-sleep":
      return save({ ...base, status: "completed", endedAt: now(), output: null }).then(() => void 0);
    case "begin-wait":
    case "ensure-invoke":
      return begin(runner, base, plan.until, body.begin ?? (async () => WAITING));
    case "time-out-wait":
      return timeOut(runner, { ...stored, ...base }, plan.result);
  }
}
async function execute(runner, head, stored, code) {
  const { now, effects, tracker } = runner;
  const attempts = (stored?.attempts ?? 0) + 1;
  const startedAt = stored?.startedAt ?? now();
  const began = now();
  let output;
  try {
    output = toStorable(await code(head.id), `step "${head.id}"`);
  } catch (thrown) {
    const error = toError(thrown);
    const decision = decideRetry({ error, failedAttempts: attempts, retries: runner.retries, now: now(), baseMs: runner.retryBaseMs });
    const failed = { ...head, attempts, startedAt, durationMs: now() - began, error: serializeError(error) };
    if (decision.kind === "retry") {
      await tracker.guard(effects.saveStep({ ...failed, status: "retrying", retryAt: decision.at }));
      return { retryAt: decision.at };
    }
    await tracker.guard(effects.saveStep({ ...failed, status: "failed", endedAt: now() }));
    throw new StepError(head.id, failed.error);
  }
  await tracker.guard(effects.saveStep({ ...head, status: "completed", attempts, startedAt, endedAt: now(), durationMs: now() - began, output }));
  return { output };
}
function begin(runner, base, until, register) {
  const { tracker, now } = runner;
  const registering = async () => {
    const result = await register({ ...base, status: "waiting", wakeAt: until });
    if (result.kind === "waiting") return result;
    const error = result.kind === "failed" ? result.error : serializeError(result.error);
    await runner.effects.saveStep({ ...base, status: "failed", endedAt: now(), error });
    if (result.kind === "abort") void tracker.abort(result.error);
    return result;
  };
  return tracker.track(tracker.guard(registering())).then((result) => {
    if (result.kind === "waiting") return tracker.suspend(until, "waiting");
    return result.kind === "failed" ? Promise.reject(new StepError(base.id, result.error)) : NEVER;
  });
}
function timeOut(runner, base, result) {
  const { tracker, now } = runner;
  const ended = { ...base, endedAt: now() };
  const settled = "error" in result ? { ...ended, status: "failed", error: result.error } : { ...ended, status: "completed", output: null };
  return tracker.track(tracker.guard(runner.effects.timeOutWait(settled))).then((won) => {
    if (!won) return tracker.suspend(now(), "running");
    return "error" in result ? Promise.reject(new StepError(base.id, result.error)) : null;
  });
}
function suspendStatus(op) {
  if (op === "sleep") return "sleeping";
  return op === "waitForEvent" || op === "waitForSignal" || op === "invoke" ? "waiting" : "running";
}
function noop() {
}
export {
  WAITING,
  createStepRunner
};
