import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { createRunQueries } from "../../src/engine/store/run-queries.ts";
import { bridgeKeys } from "../../src/redis/keys.ts";
import { runIdFor } from "../../src/engine/store/run-id.ts";

export const FAULT_FUNCTIONS = ["fault-a", "fault-b"] as const;
export const FAULT_STEPS = ["one", "two", "three"] as const;
export const FAULT_FUNCTIONS_DIR = new URL("../fixtures/fault-functions", import.meta.url).pathname;

export interface FaultTally {
  events: number;
  runsExpected: number;
  runsCompleted: number;
  /** Step bodies that ran to the end more than once (each must be explained by a kill). */
  reExecutions: number;
  /** Step bodies started although the engine had already stored that step as completed. */
  completedStepReruns: number;
  missingSteps: number;
}

/**
 * Waits until every run of every event has completed, then tallies what the steps recorded.
 * "Nothing lost": every (function, event) run completed and each step ran. "Nothing doubled":
 * a run id is derived from (function, event), so a second run would re-execute every step.
 */
export async function settleAndTally(
  redis: Redis,
  prefix: string,
  key: string,
  eventIds: string[],
  timeoutMs = 120_000,
): Promise<FaultTally> {
  const store = createRunQueries({ redis, keys: bridgeKeys(prefix) });
  const runIds = eventIds.flatMap((eventId) => FAULT_FUNCTIONS.map((fn) => runIdFor(fn, eventId)));
  const deadline = Date.now() + timeoutMs;
  let completed = 0;
  while (Date.now() < deadline) {
    const runs = await Promise.all(runIds.map((runId) => store.getRun(runId)));
    completed = runs.filter((run) => run?.status === "completed").length;
    if (completed === runIds.length) break;
    await sleep(250);
  }
  // A field per body run: `<function>|<event id>|<step>|<token>`.
  const executions: Record<string, number> = {};
  for (const field of await redis.hkeys(`${key}:executions`)) {
    const step = field.slice(0, field.lastIndexOf("|"));
    executions[step] = (executions[step] ?? 0) + 1;
  }
  let reExecutions = 0;
  let missingSteps = 0;
  for (const eventId of eventIds) {
    for (const fn of FAULT_FUNCTIONS) {
      for (const step of FAULT_STEPS) {
        const count = Number(executions[`${fn}|${eventId}|${step}`] ?? 0);
        if (count === 0) missingSteps++;
        reExecutions += Math.max(0, count - 1);
      }
    }
  }
  const completedStepReruns = (await redis.hvals(`${key}:completed-step-reruns`)).reduce(
    (sum, count) => sum + Number(count),
    0,
  );
  return {
    events: eventIds.length,
    runsExpected: runIds.length,
    runsCompleted: completed,
    reExecutions,
    completedStepReruns,
    missingSteps,
  };
}

export function assertNothingLostOrDoubled(tally: FaultTally, allowedReExecutions = 0): void {
  assert.equal(tally.runsCompleted, tally.runsExpected, `runs completed: ${JSON.stringify(tally)}`);
  assert.equal(tally.missingSteps, 0, `steps never run: ${JSON.stringify(tally)}`);
  assert.equal(tally.completedStepReruns, 0, `completed steps ran again: ${JSON.stringify(tally)}`);
  assert.ok(tally.reExecutions <= allowedReExecutions, `steps re-executed: ${JSON.stringify(tally)}`);
}
