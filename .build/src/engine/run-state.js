import { IDENTITY_SEALER, isSealed } from "../crypto/sealer.js";
const RUN_STATUSES = ["queued", "running", "sleeping", "waiting", "completed", "failed", "cancelled", "skipped"];
const FINAL_STATUSES = /* @__PURE__ */ new Set(["completed", "failed", "cancelled", "skipped"]);
function isFinalStatus(status) {
  return FINAL_STATUSES.has(status);
}
const STEP_STATUSES = ["completed", "failed", "retrying", "sleeping", "waiting"];
const STEP_FIELD = "step:";
function decodeRun(id, hash, eventBody, sealer = IDENTITY_SEALER) {
  if (!hash.status) return void 0;
  const steps = [];
  for (const [field, value] of Object.entries(hash)) {
    if (field.startsWith(STEP_FIELD)) steps.push(decodeStep(value, sealer));
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
    output: hash.output === void 0 ? void 0 : sealer.open(JSON.parse(hash.output)),
    error: hash.error === void 0 ? void 0 : JSON.parse(hash.error),
    cancelReason: hash.cancelReason,
    ...hash.parentRunId === void 0 ? {} : { parentRunId: hash.parentRunId, parentStepId: hash.parentStepId },
    skipReason: hash.skipReason,
    priority: optionalNumber(hash.priority),
    eventIds: hash.eventIds === void 0 ? void 0 : JSON.parse(hash.eventIds),
    event: sealer.openEvent(JSON.parse(hash.event ?? eventBody ?? JSON.stringify({ id: hash.eventId, name: hash.eventName, data: {} }))),
    steps
  };
}
const JSON_FIELDS = /* @__PURE__ */ new Set(["output", "error", "event"]);
function encodeFields(fields, sealer = IDENTITY_SEALER) {
  const args = [];
  for (const [field, raw] of Object.entries(fields)) {
    if (raw === void 0) continue;
    const value = field === "output" ? sealer.seal(raw) : field === "event" ? sealer.sealEvent(raw) : raw;
    const json = JSON_FIELDS.has(field) || field.startsWith(STEP_FIELD) || typeof value === "object";
    args.push(field, json ? JSON.stringify(value) : String(value));
  }
  return args;
}
function encodeStep(step, sealer = IDENTITY_SEALER) {
  if (!sealer.enabled || step.output === void 0 && step.input === void 0) return JSON.stringify(step);
  return JSON.stringify({ ...step, output: sealer.seal(step.output), input: sealer.seal(step.input) });
}
function decodeStep(json, sealer = IDENTITY_SEALER) {
  const step = JSON.parse(json);
  if (!isSealed(step.output) && !isSealed(step.input)) return step;
  return { ...step, output: sealer.open(step.output), input: sealer.open(step.input) };
}
const MAX_CAUSE_DEPTH = 5;
function serializeError(error, depth = 0) {
  const cause = error.cause === void 0 || depth >= MAX_CAUSE_DEPTH ? void 0 : serializeCause(error.cause, depth + 1);
  return { name: error.name, message: error.message, ...error.stack ? { stack: error.stack } : {}, ...cause === void 0 ? {} : { cause } };
}
function serializeCause(cause, depth) {
  if (cause instanceof Error) return serializeError(cause, depth);
  try {
    const json = JSON.stringify(cause);
    return json === void 0 ? void 0 : JSON.parse(json);
  } catch {
    return String(cause);
  }
}
function optionalNumber(value) {
  return value === void 0 || value === "" ? void 0 : Number(value);
}
export {
  FINAL_STATUSES,
  RUN_STATUSES,
  STEP_FIELD,
  STEP_STATUSES,
  decodeRun,
  decodeStep,
  encodeFields,
  encodeStep,
  isFinalStatus,
  serializeError
};
