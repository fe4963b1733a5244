import { SCHEDULED_TIMER } from "./registry.js";
const SCHEDULER_PREFIX = "cron-";
async function syncCronSchedulers(eventsQueue, functions) {
  const wanted = /* @__PURE__ */ new Map();
  for (const fn of functions) {
    for (const [index, trigger] of fn.triggers.entries()) {
      if ("cron" in trigger) wanted.set(`${SCHEDULER_PREFIX}${fn.id}-${index}`, { functionId: fn.id, trigger });
    }
  }
  for (const scheduler of await eventsQueue.getJobSchedulers()) {
    if (scheduler.key.startsWith(SCHEDULER_PREFIX) && !wanted.has(scheduler.key)) await eventsQueue.removeJobScheduler(scheduler.key);
  }
  for (const [id, { functionId, trigger }] of wanted) {
    await eventsQueue.upsertJobScheduler(
      id,
      { pattern: trigger.pattern, ...trigger.tz === void 0 ? { tz: "UTC" } : { tz: trigger.tz } },
      { name: SCHEDULED_TIMER, data: { cronFunctionId: functionId, cron: trigger.cron, ...trigger.jitterMs === void 0 ? {} : { jitterMs: trigger.jitterMs } }, opts: { removeOnComplete: true, removeOnFail: 100 } }
    );
  }
}
export {
  syncCronSchedulers
};
