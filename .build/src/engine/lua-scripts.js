import { readFileSync } from "node:fs";
import { FINAL_STATUSES } from "./run-state.js";
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
  engineReleaseSingleton: "release-singleton-1.lua"
};
const FINAL_SET = `{ ${[...FINAL_STATUSES].map((status) => `${status} = true`).join(", ")} }`;
const sources = /* @__PURE__ */ new Map();
function source(name) {
  let entry = sources.get(name);
  if (!entry) {
    const file = SCRIPTS[name];
    const lua = readFileSync(new URL(`./lua/${file}`, import.meta.url), "utf8").replaceAll("FINAL_STATUSES", FINAL_SET);
    const count = /-(\d+)\.lua$/.exec(file)?.[1];
    entry = { lua, numberOfKeys: count === void 0 ? void 0 : Number(count) };
    sources.set(name, entry);
  }
  return entry;
}
function defineEngineScripts(redis) {
  if (typeof redis.engineRouteEvent === "function") return;
  for (const each of Object.keys(SCRIPTS)) redis.defineCommand(each, source(each));
}
async function call(redis, name, keys, args) {
  defineEngineScripts(redis);
  const script = redis[name];
  const counted = source(name).numberOfKeys === void 0 ? [keys.length] : [];
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
  6: "admitted"
};
async function routeEventScript(redis, keys, args) {
  return routeEventResult(await call(redis, "engineRouteEvent", keys, args));
}
function queueRouteEvent(transaction, keys, args) {
  const script = transaction.engineRouteEvent;
  void script.call(transaction, keys.length, ...keys, ...args);
}
function routeEventResult(reply) {
  const [flat, paths, ...runs] = reply;
  return {
    waiters: pairs(flat),
    waiterPaths: paths,
    runs: runs.map(([code, startAt, detail]) => ({ result: CREATE_RUN_CODES[code] ?? "started", startAt, ...detail ? { detail } : {} }))
  };
}
async function updateRunScript(redis, runKey, args) {
  return await call(redis, "engineUpdateRun", [runKey], args);
}
async function saveStepScript(redis, runKey, args) {
  return await call(redis, "engineSaveStep", [runKey], args) === 1;
}
async function resolveStepScript(redis, runKey, args) {
  return await call(redis, "engineResolveStep", [runKey], args) === 1;
}
async function acquireSlotScript(redis, keys, args) {
  return await call(redis, "engineAcquireSlot", keys, args) === 1;
}
async function releaseSlotScript(redis, keys, holder) {
  return await call(redis, "engineReleaseSlot", keys, [holder]) || void 0;
}
async function startRunScript(redis, keys, args) {
  const [flat, body] = await call(redis, "engineStartRun", keys, args);
  return { hash: pairs(flat), ...typeof body === "string" ? { eventBody: body } : {} };
}
async function waitForSignalScript(redis, keys, args) {
  return await call(redis, "engineWaitForSignal", keys, args);
}
async function sendSignalScript(redis, keys, args) {
  return await call(redis, "engineSendSignal", keys, args) === 1;
}
async function releaseSignalScript(redis, signalKey, holder) {
  return await call(redis, "engineReleaseSignal", [signalKey], [holder]) === 1;
}
async function debounceEventScript(redis, debounceKey, args) {
  const [generation, deadline] = await call(redis, "engineDebounceEvent", [debounceKey], args);
  return { generation, deadline };
}
async function claimDebounceScript(redis, keys, args) {
  const [kind, value] = await call(redis, "engineClaimDebounce", keys, args);
  if (kind === "claimed") return { kind, event: value };
  if (kind === "wait") return { kind, until: Number(value) };
  return { kind: "gone" };
}
async function batchEventScript(redis, keys, args) {
  const [batchId, firstAt, full] = await call(redis, "engineBatchEvent", keys, args);
  return { batchId, firstAt, full: full === 1 };
}
async function closeBatchScript(redis, keys, batchId) {
  return await call(redis, "engineCloseBatch", keys, [batchId]);
}
async function releaseSingletonScript(redis, singletonKey, runId) {
  return await call(redis, "engineReleaseSingleton", [singletonKey], [runId]) === 1;
}
function pairs(flat) {
  const record = {};
  for (let i = 0; i < flat.length; i += 2) record[flat[i]] = flat[i + 1];
  return record;
}
export {
  acquireSlotScript,
  batchEventScript,
  claimDebounceScript,
  closeBatchScript,
  debounceEventScript,
  defineEngineScripts,
  queueRouteEvent,
  releaseSignalScript,
  releaseSingletonScript,
  releaseSlotScript,
  resolveStepScript,
  routeEventResult,
  routeEventScript,
  saveStepScript,
  sendSignalScript,
  startRunScript,
  updateRunScript,
  waitForSignalScript
};
