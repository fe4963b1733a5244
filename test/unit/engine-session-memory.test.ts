import assert from "node:assert/strict";
import { test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createRunSession } from "../../src/engine/execution/run-session.ts";
import type { StepTools } from "../../src/engine/definition/types.ts";
import { quietEffects } from "../helpers/session-effects.ts";

// A worker may suspend 100,000 onboarding runs in a row (each sleeps 3 days): whatever a parked
// handler holds (its event, its steps) must be freed once its run has left the worker.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const effects = quietEffects({ sendEvents: async (stepId, drafts) => drafts.map((_, index) => `${stepId}.${index}`) });

/** Suspends a handler that keeps `held` in its frame; returns a weak reference to it. */
async function parkHandler(suspend: (tools: StepTools) => Promise<unknown>): Promise<WeakRef<object>> {
  const held = { event: { name: "clerk/user.created", data: { id: "user_1" } } };
  const session = createRunSession({ steps: new Map(), retries: 2, retryBaseMs: 100, effects, now: () => 1000 });
  const outcome = await session.settle(async () => {
    const kept = held;
    await session.tools.run("welcome", () => "sent");
    await suspend(session.tools);
    return kept;
  });
  assert.equal(outcome.kind, "suspended");
  return new WeakRef(held);
}

async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let i = 0; i < 5 && ref.deref() !== undefined; i++) {
    await new Promise((resolve) => setImmediate(resolve)); // WeakRefs are cleared between jobs
    gc();
  }
  return ref.deref() === undefined;
}

const suspensions: Array<[string, (tools: StepTools) => Promise<unknown>]> = [
  ["a sleep", (step) => step.sleep("wait-3-days", "3 days")],
  [
    "a waitForEvent",
    (step) => step.waitForEvent("paid", { event: "app/order.paid", match: "data.orderId", timeout: "3 days" }),
  ],
  ["a step's retry", (step) => step.run("flaky", () => Promise.reject(new Error("try later")))],
];
for (const [name, suspend] of suspensions) {
  test(`a handler suspended on ${name} is freed once its run has left the worker`, async () => {
    assert.ok(await collected(await parkHandler(suspend)), "the parked handler is still reachable");
  });
}
