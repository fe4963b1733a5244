import type { Queue } from "bullmq";
import { SCHEDULED_TIMER } from "../definition/registry.ts";
import type { BridgeFunction, CompiledCronTrigger } from "../definition/types.ts";

const SCHEDULER_PREFIX = "cron-";

/**
 * One BullMQ job scheduler per cron trigger, on the "events" queue: each tick is routed like an
 * event (`inngest/scheduled.timer`) to its one function. Schedulers of functions no longer
 * registered are removed, so a deleted cron stops.
 */
export async function syncCronSchedulers(eventsQueue: Queue, functions: readonly BridgeFunction[]): Promise<void> {
  const wanted = new Map<string, { functionId: string; trigger: CompiledCronTrigger }>();
  for (const fn of functions) {
    for (const [index, trigger] of fn.triggers.entries()) {
      if ("cron" in trigger) wanted.set(`${SCHEDULER_PREFIX}${fn.id}-${index}`, { functionId: fn.id, trigger });
    }
  }
  for (const scheduler of await eventsQueue.getJobSchedulers()) {
    if (scheduler.key.startsWith(SCHEDULER_PREFIX) && !wanted.has(scheduler.key))
      await eventsQueue.removeJobScheduler(scheduler.key);
  }
  for (const [id, { functionId, trigger }] of wanted) {
    // The pattern and time zone were parsed when the function was defined (compile-cron.ts).
    await eventsQueue.upsertJobScheduler(
      id,
      { pattern: trigger.pattern, ...(trigger.tz === undefined ? { tz: "UTC" } : { tz: trigger.tz }) },
      {
        name: SCHEDULED_TIMER,
        data: {
          cronFunctionId: functionId,
          cron: trigger.cron,
          ...(trigger.jitterMs === undefined ? {} : { jitterMs: trigger.jitterMs }),
        },
        opts: { removeOnComplete: true, removeOnFail: 100 },
      },
    );
  }
}
