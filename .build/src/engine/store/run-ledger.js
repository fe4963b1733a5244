import { eventJobKey } from "../../queue/event-jobs.js";
import { indexMember } from "../../redis/keys.js";
import {
  defineEngineScripts,
  queueRouteEvent,
  resolveStepScript,
  routeEventResult,
  saveStepScript,
  routeEventScript,
  startRunScript,
  updateRunScript
} from "../lua-scripts.js";
import { IDENTITY_SEALER } from "../../crypto/sealer.js";
import { decodeRun, decodeStep, encodeFields, encodeStep, STEP_FIELD } from "../run-state.js";
import { routeArguments } from "./route-arguments.js";
function createRunLedger(deps) {
  const { redis, keys } = deps;
  const sealer = deps.sealer ?? IDENTITY_SEALER;
  const retentionSeconds = Math.ceil(deps.retentionMs / 1e3);
  defineEngineScripts(redis);
  function route(write) {
    const { scriptKeys, args } = routeArguments(keys, retentionSeconds, write, sealer);
    return routeEventScript(redis, scriptKeys, args);
  }
  async function invoke(parentRunId, waiting, child) {
    const { scriptKeys, args } = routeArguments(keys, retentionSeconds, { runs: [child] }, sealer);
    const transaction = redis.multi().hsetnx(keys.run(parentRunId), STEP_FIELD + waiting.id, encodeStep(waiting, sealer));
    queueRouteEvent(transaction, scriptKeys, args);
    const replies = await transaction.exec() ?? [];
    const [error, reply] = replies[1] ?? [new Error("the invoke transaction was discarded")];
    if (error) throw error;
    return routeEventResult(reply).runs[0]?.result ?? "started";
  }
  async function loadRun(runId, eventId, start) {
    const eventKey = eventId === void 0 ? keys.run(runId) : eventJobKey(keys.tag, eventId);
    const { hash, eventBody } = await startRunScript(redis, [keys.run(runId), eventKey], [Date.now(), start ? "1" : "0", eventId === void 0 ? "0" : "1"]);
    if (eventBody !== void 0 || hash.event !== void 0 || !hash.eventId || eventId !== void 0) return decodeRun(runId, hash, eventBody, sealer);
    const body = await redis.hget(eventJobKey(keys.tag, hash.eventId), "data");
    return decodeRun(runId, hash, body ?? void 0, sealer);
  }
  async function readRun(runId) {
    return decodeRun(runId, await redis.hgetall(keys.run(runId)), void 0, sealer);
  }
  function updateRun(runId, fields, keepUntil) {
    const ttl = keepUntil === void 0 ? 0 : Math.ceil((Math.max(keepUntil - Date.now(), 0) + deps.retentionMs) / 1e3);
    return updateRunScript(redis, keys.run(runId), [ttl, ...encodeFields(fields, sealer)]);
  }
  async function saveStep(runId, step) {
    await saveStepScript(redis, keys.run(runId), [STEP_FIELD + step.id, encodeStep(step, sealer)]);
  }
  async function readStep(runId, stepId) {
    const json = await redis.hget(keys.run(runId), STEP_FIELD + stepId);
    return json === null ? void 0 : decodeStep(json, sealer);
  }
  function resolveStep(runId, step, expected) {
    return resolveStepScript(redis, keys.run(runId), [STEP_FIELD + step.id, expected, encodeStep(step, sealer)]);
  }
  async function trimIndexes(functionIds) {
    const oldest = `(${indexMember(Date.now() - deps.retentionMs, "")}`;
    const pipeline = redis.pipeline().zremrangebylex(keys.runIndex, "-", oldest);
    for (const functionId of functionIds) pipeline.zremrangebylex(keys.runIndexByFunction(functionId), "-", oldest);
    await pipeline.exec();
  }
  return { route, invoke, loadRun, readRun, readStep, updateRun, saveStep, resolveStep, trimIndexes };
}
export {
  createRunLedger
};
