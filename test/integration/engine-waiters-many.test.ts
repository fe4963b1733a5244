import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createFunction } from "../../src/client/index.ts";
import { engineForEachTest, type TestEngine } from "../helpers/engine-harness.ts";

// Waiters are indexed by what they match (src/engine/store/waiters.ts): these check that an event still
// settles exactly the runs it matches when many are pending, whichever index each waiter is in.

const startEngine = engineForEachTest();

const USERS = 30;

/** Every run's status, by function and trigger event id. */
async function statuses(
  engine: TestEngine,
  functionIds: string[],
  eventIds: string[],
): Promise<Map<string, string | undefined>> {
  const found = new Map<string, string | undefined>();
  for (const functionId of functionIds) {
    for (const eventId of eventIds)
      found.set(`${functionId}/${eventId}`, (await engine.store.getRun(engine.runId(functionId, eventId)))?.status);
  }
  return found;
}

describe("cancelOn among many pending runs", () => {
  const sleeper = (id: string, cancel: { event: string; match?: string; if?: string }) =>
    createFunction({ id, triggers: [{ event: "clerk/user.created" }], cancelOn: [cancel] }, async ({ step }) => {
      await step.run("welcome", () => "sent");
      await step.sleep("wait", "1h");
      await step.run("offer", () => "sent");
    });
  // One index per kind: `match` (by value), an `if` no index can serve (one hash per event name).
  const byMatch = sleeper("by-match", { event: "clerk/user.deleted", match: "data.id" });
  const byIf = sleeper("by-if", {
    event: "clerk/user.deleted",
    if: "async.data.id == event.data.id && async.data.deleted == true",
  });
  const functionIds = ["by-match", "by-if"];
  const signUps = Array.from({ length: USERS }, (_, i) => `c${i}`);

  async function startWithSignUps(): Promise<TestEngine> {
    const started = await startEngine([byMatch, byIf]);
    await started.send(
      signUps.map((id, i) => ({ id, name: "clerk/user.created", data: { id: `user_${i}`, first_name: `User ${i}` } })),
    );
    // A sign-up without the match path: its `match` waiter can never match, so none is stored.
    await started.send({ id: "anon", name: "clerk/user.created", data: { first_name: "Nobody" } });
    for (const eventId of [...signUps, "anon"])
      for (const functionId of functionIds) await started.waitForRun(started.runId(functionId, eventId), "sleeping");
    return started;
  }

  test("a deletion cancels that user's sleeping runs (match and if) and no other", async () => {
    const engine = await startWithSignUps();
    await engine.sendRouted({
      id: "del17",
      name: "clerk/user.deleted",
      data: { id: "user_17", object: "user", deleted: true },
    });
    const after = await statuses(engine, functionIds, [...signUps, "anon"]);
    for (const [run, status] of after) assert.equal(status, run.endsWith("/c17") ? "cancelled" : "sleeping", run);
    assert.match((await engine.store.getRun(engine.runId("by-match", "c17")))?.cancelReason ?? "", /del17/);
  });

  test("deletions for each user, sent at once, each cancel exactly their user's runs", async () => {
    const engine = await startWithSignUps();
    const deleted = [3, 4, 11, 29];
    await engine.send(
      deleted.map((i) => ({ id: `del${i}`, name: "clerk/user.deleted", data: { id: `user_${i}`, deleted: true } })),
    );
    for (const i of deleted)
      for (const functionId of functionIds) await engine.waitForRun(engine.runId(functionId, `c${i}`), "cancelled");
    const cancelled = [...(await statuses(engine, functionIds, [...signUps, "anon"]))]
      .filter(([, status]) => status !== "sleeping")
      .map(([run]) => run);
    assert.deepEqual(
      cancelled.sort(),
      deleted.flatMap((i) => functionIds.map((functionId) => `${functionId}/c${i}`)).sort(),
    );
  });

  test("a deletion without an id, or for an unknown user, or not matching the `if`, cancels nothing", async () => {
    const engine = await startWithSignUps();
    // Clerk's user.deleted may lack the id: the match path is absent in the incoming event.
    await engine.sendRouted({ id: "del-no-id", name: "clerk/user.deleted", data: { object: "user", deleted: true } });
    await engine.sendRouted({ id: "del-unknown", name: "clerk/user.deleted", data: { id: "user_999", deleted: true } });
    // Matches by id, so the `match` run is cancelled; the `if` also asks for deleted == true.
    await engine.sendRouted({ id: "del-soft", name: "clerk/user.deleted", data: { id: "user_5", deleted: false } });
    const after = await statuses(engine, functionIds, [...signUps, "anon"]);
    for (const [run, status] of after) assert.equal(status, run === "by-match/c5" ? "cancelled" : "sleeping", run);
  });
});

describe("waitForEvent among many waiting runs", () => {
  const orders = Array.from({ length: USERS }, (_, i) => `o${i}`);
  const payment = createFunction({ id: "payment", triggers: [{ event: "app/order.created" }] }, async ({ step }) => {
    const paid = await step.waitForEvent("paid", { event: "app/order.paid", match: "data.orderId", timeout: "1h" });
    return paid?.id;
  });
  const refund = createFunction({ id: "refund", triggers: [{ event: "app/order.created" }] }, async ({ step }) => {
    const refunded = await step.waitForEvent("refunded", {
      event: "app/order.refunded",
      timeout: "1h",
      if: "async.data.orderId == event.data.orderId && async.data.amount >= event.data.amount",
    });
    return refunded?.id;
  });

  test("a matching event resumes the one run it matches; the others keep waiting", async () => {
    const engine = await startEngine([payment, refund]);
    await engine.send(
      orders.map((id, i) => ({ id, name: "app/order.created", data: { orderId: `order_${i}`, amount: 100 } })),
    );
    await engine.send({ id: "o-none", name: "app/order.created", data: { amount: 100 } });
    const all = [...orders, "o-none"];
    for (const eventId of all)
      for (const functionId of ["payment", "refund"])
        await engine.waitForRun(engine.runId(functionId, eventId), "waiting");
    await engine.sendRouted({ id: "pay-no-order", name: "app/order.paid", data: { amount: 100 } });
    await engine.sendRouted({
      id: "refund-partial",
      name: "app/order.refunded",
      data: { orderId: "order_9", amount: 50 },
    });
    await engine.sendRouted({ id: "pay8", name: "app/order.paid", data: { orderId: "order_8" } });
    await engine.sendRouted({ id: "refund9", name: "app/order.refunded", data: { orderId: "order_9", amount: 100 } });
    assert.equal((await engine.waitForRun(engine.runId("payment", "o8"), "completed")).output, "pay8");
    assert.equal((await engine.waitForRun(engine.runId("refund", "o9"), "completed")).output, "refund9");
    const after = await statuses(engine, ["payment", "refund"], all);
    for (const [run, status] of after)
      assert.equal(status, run === "payment/o8" || run === "refund/o9" ? "completed" : "waiting", run);
  });
});
