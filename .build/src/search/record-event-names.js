import { isEventJobId } from "../queue/event-jobs.js";
const FLUSH_MS = 1e3;
const MAX_EVENT_NAMES = 1e4;
function recordEventNames(reader, deps) {
  let pending = /* @__PURE__ */ new Map();
  const flush = async () => {
    if (pending.size === 0) return;
    const batch = pending;
    pending = /* @__PURE__ */ new Map();
    const members = [...batch].flatMap(([name, at]) => [at, name]);
    await deps.redis.pipeline().zadd(deps.key, ...members).zremrangebyscore(deps.key, "-inf", Date.now() - deps.retentionMs).zremrangebyrank(deps.key, 0, -(MAX_EVENT_NAMES + 1)).exec();
  };
  reader.on("added", ({ jobId, name }, id) => {
    if (isEventJobId(jobId)) pending.set(name, Number(id.split("-")[0]));
  });
  const timer = setInterval(() => void flush().catch((error) => deps.logger.warn({ err: error }, "event names could not be recorded")), FLUSH_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await flush().catch(() => {
    });
  };
}
export {
  MAX_EVENT_NAMES,
  recordEventNames
};
