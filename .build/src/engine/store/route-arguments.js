import { indexMember } from "../../redis/keys.js";
import { encodeFields } from "../run-state.js";
const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
function routeArguments(keys, retentionSeconds, write, sealer) {
  const now = Date.now();
  const segments = write.runs.map((run) => runSegment(keys, run, now, sealer));
  const anyKey = keys.runIndex;
  const scriptKeys = [
    write.waiters?.ifKey ?? anyKey,
    write.waiters?.pathsKey ?? anyKey,
    write.log?.allKey ?? anyKey,
    write.log?.nameKey ?? anyKey,
    ...segments.flatMap((s) => s.keys)
  ];
  const args = [write.log?.member ?? "", retentionSeconds, write.runs.length, write.waiters ? "1" : "0", now, keys.run(""), ...segments.flatMap((s) => s.args)];
  return { scriptKeys, args };
}
function runSegment(keys, run, now, sealer) {
  const flow = run.flow ?? {};
  const fields = encodeFields({
    status: "queued",
    functionId: run.functionId,
    eventId: run.event.id,
    eventName: run.event.name,
    createdAt: run.createdAt,
    scheduledFor: run.scheduledFor,
    attempt: 0,
    priority: flow.priority || void 0,
    // Stored once: the intake's job keeps the body; a run copies only an event no job keeps.
    event: run.eventStored ? void 0 : run.event,
    parentRunId: run.parent?.runId,
    parentStepId: run.parent?.stepId,
    eventIds: flow.eventIds
  }, sealer);
  const runKey = keys.run(run.id);
  const idempotent = run.idempotencyKey !== void 0;
  const { rateLimit, throttle, singleton } = flow;
  return {
    keys: [
      runKey,
      keys.runIndex,
      keys.runIndexByFunction(run.functionId),
      keys.eventRuns(run.event.id),
      idempotent ? keys.idempotency(run.functionId, run.idempotencyKey) : runKey,
      rateLimit ? keys.rateLimit(run.functionId, rateLimit.key) : runKey,
      throttle ? keys.throttle(run.functionId, throttle.key) : runKey,
      singleton ? keys.singleton(run.functionId, singleton.key) : runKey
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
      ...fields
    ]
  };
}
export {
  routeArguments
};
