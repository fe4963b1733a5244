import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { BridgeEvent } from "../../events/event-schema.ts";
import type { PersonalDataStore } from "../../events/personal-data.ts";
import { indexMember, type BridgeKeys } from "../../redis/keys.ts";
import { isFinalStatus, type RunState } from "./run-state.ts";
import type { CancelOn } from "../definition/types.ts";
import { locateWaiter, waiterField, type WaiterLocation, type Waiters } from "./waiters.ts";
import type { RunCommands } from "./run-commands.ts";
import type { RunQueries } from "./run-queries.ts";

export interface RunErasureDeps {
  redis: Redis;
  keys: BridgeKeys;
  queues: { runs: Queue };
  runs: { queries: RunQueries; commands: RunCommands };
  waiters: Pick<Waiters, "remove">;
  /** The functions (the registry, or on a receiver what the workers published): where each run's cancelOn waiters are. */
  listFunctions(): Promise<ReadonlyArray<{ id: string; cancelOn?: readonly CancelOn[] }>>;
}

/**
 * Erasure of the runs the user's events started, with their step outputs, their jobs and their
 * waiters (waits and cancelOn registrations, which may hold a copy of the trigger). A run still
 * going is cancelled first: it must not send anything more about this user.
 */
export const userRuns: PersonalDataStore<RunErasureDeps> = {
  name: "runs",
  holds: "the runs of the user's events: their event, step outputs and errors, and their waiters",
  families: ["run", "runIndexByFunction", "runIndexPattern", "matchWaiters", "waiterPaths", "ifWaiters"],
  async erase(deps, user) {
    const cancelOns = new Map((await deps.listFunctions()).map((fn) => [fn.id, fn.cancelOn ?? []]));
    let runs = 0;
    const waiters: WaiterLocation[] = [];
    for (const { id, event } of user.events) {
      const found = (await deps.runs.queries.listRunsForEvent(id)) as RunState[];
      for (const run of found) {
        if (!isFinalStatus(run.status))
          await deps.runs.commands.cancelRun(run.id, "the user was erased").catch(() => undefined);
        waiters.push(...waitersOf(deps.keys, run, event, cancelOns.get(run.functionId) ?? []));
        await deps.queues.runs.remove(run.id).catch(() => undefined);
        await deps.redis
          .multi()
          .del(deps.keys.run(run.id))
          .zrem(deps.keys.runIndexByFunction(run.functionId), indexMember(run.createdAt, run.id))
          .exec();
      }
      runs += found.length;
    }
    await deps.waiters.remove(waiters);
    return { runs, waiters: waiters.filter(Boolean).length };
  },
};

function waitersOf(
  keys: BridgeKeys,
  run: RunState,
  event: BridgeEvent | undefined,
  cancelOn: readonly CancelOn[],
): WaiterLocation[] {
  const cancels = event
    ? cancelOn.flatMap(
        (cancel, index) =>
          locateWaiter(
            keys,
            {
              eventName: cancel.event,
              field: waiterField({ kind: "cancel", runId: run.id }, index),
              match: cancel.match,
              if: cancel.if,
            },
            event,
          ) ?? [],
      )
    : [];
  const waits = run.steps
    .filter((step) => step.waiterKey)
    .map((step) => ({
      key: step.waiterKey as string,
      field: waiterField({ kind: "wait", runId: run.id, stepId: step.id }),
    }));
  return [...cancels, ...waits];
}
