/**
 * The engine of bench:waiters: the real workers (createServices, startWorkers) on their own
 * prefix, running an onboarding-like function (a step, then a 3-day sleep, cancelled by
 * `clerk/user.deleted` matched on `data.id`) and a payment wait (`step.waitForEvent` with a
 * `match`). It records when each run is cancelled (around the command cancelOn uses) and when
 * each event job is routed (BullMQ's event stream), and fills the bridge with pending runs.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { QueueEvents } from "bullmq";
import { loadConfig } from "../src/config/load-config.ts";
import { createFunction } from "../src/client/index.ts";
import { createRegistry } from "../src/engine/definition/registry.ts";
import { runIdFor } from "../src/engine/store/run-id.ts";
import { startWorkers, type RunningWorkers } from "../src/engine/start-workers.ts";
import { acceptEvents, type EventDraft } from "../src/events/accept-events.ts";
import { createLogger } from "../src/logger.ts";
import { eventJobId } from "../src/queue/event-jobs.ts";
import { EVENTS_QUEUE } from "../src/queue/queue-names.ts";
import { createServices, type Services } from "../src/app/create-services.ts";
import { workerDepsOf } from "../src/app/worker-deps.ts";
import { clerkFixture } from "../test/helpers/sign-fixture.ts";

export const ONBOARDING = "onboarding";
export const PAYMENT = "payment";
/** Events sent per accept call while filling: one addBulk each. */
const FILL_BATCH = 1000;

const onboarding = createFunction(
  {
    id: ONBOARDING,
    triggers: [{ event: "clerk/user.created" }],
    cancelOn: [{ event: "clerk/user.deleted", match: "data.id" }],
  },
  async ({ event, step }) => {
    await step.run("welcome-email", () => ({ to: event.data.id }));
    await step.sleep("wait-3-days", "3 days");
    await step.run("trial-offer-email", () => "sent");
  },
);
const payment = createFunction({ id: PAYMENT, triggers: [{ event: "app/order.created" }] }, async ({ step }) => {
  const paid = await step.waitForEvent("paid", { event: "app/order.paid", match: "data.orderId", timeout: "3 days" });
  return paid ? "paid" : "expired";
});

/** When things happened (performance.now()), and a promise for one still to come. */
export function createMoments() {
  const seen = new Map<string, number>();
  const waiting = new Map<string, (at: number) => void>();
  return {
    mark(key: string) {
      const at = performance.now();
      seen.set(key, at);
      waiting.get(key)?.(at);
      waiting.delete(key);
    },
    when(key: string, timeoutMs = 60_000): Promise<number> {
      const at = seen.get(key);
      if (at !== undefined) return Promise.resolve(at);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${key}: nothing within ${timeoutMs} ms`)), timeoutMs);
        waiting.set(key, (when) => {
          clearTimeout(timer);
          resolve(when);
        });
      });
    },
  };
}

export type Moments = ReturnType<typeof createMoments>;

export interface WaiterRig {
  services: Services;
  prefix: string;
  /** Run ids, when the cancelOn cancelled them. */
  cancelled: Moments;
  /** Event ids, when the router finished with them. */
  routed: Moments;
  send(drafts: EventDraft[]): Promise<string[]>;
  /** Starts listening to the events queue's stream (after filling, so that 100,000 entries are not read). */
  listen(): Promise<void>;
  close(): Promise<void>;
}

export async function startWaiterRig(redisUrl: string, prefix: string): Promise<WaiterRig> {
  const config = loadConfig({ REDIS_URL: redisUrl, REDIS_PREFIX: prefix, FUNCTIONS: "none" });
  const services = await createServices(config, createLogger("warn", undefined, "json"));
  const connection = services.createBlockingClient();
  const deps = workerDepsOf(services, connection);
  const cancelled = createMoments();
  const routed = createMoments();
  const { commands } = deps.runs;
  const cancelRun: typeof commands.cancelRun = async (runId, reason) => {
    const run = await commands.cancelRun(runId, reason);
    cancelled.mark(runId);
    return run;
  };
  const workers: RunningWorkers = await startWorkers(
    { ...deps, runs: { ...deps.runs, commands: { ...commands, cancelRun } } },
    createRegistry([onboarding, payment]),
  );
  const streamClient = services.createBlockingClient();
  let queueEvents: QueueEvents | undefined;
  const jobEvents = new Map<string, string>(); // event job id → event id
  return {
    services,
    prefix,
    cancelled,
    routed,
    send: (drafts) => {
      for (const draft of drafts) if (draft.id) jobEvents.set(eventJobId(draft.id), draft.id);
      return acceptEvents(services.accept, drafts, "bench");
    },
    async listen() {
      queueEvents = new QueueEvents(EVENTS_QUEUE, { connection: streamClient, prefix: services.keys.tag });
      queueEvents.on("completed", ({ jobId }) => {
        const eventId = jobEvents.get(jobId);
        if (eventId !== undefined) routed.mark(eventId);
      });
      await queueEvents.waitUntilReady();
    },
    async close() {
      await workers.close();
      await queueEvents?.close();
      streamClient.disconnect();
      connection.disconnect();
      await services.close();
    },
  };
}

const SIGN_UP = clerkFixture("user.created").data as Record<string, unknown>;
const PROFILE_UPDATE = clerkFixture("user.updated").data as Record<string, unknown>;

/** A Clerk user.created payload (the fixture's, about 1.1 KB of data) for one user. */
export function signUp(eventId: string, userId: string): EventDraft {
  return { id: eventId, name: "clerk/user.created", data: { ...SIGN_UP, id: userId } };
}

/** What Clerk sends on a deletion: `{ id, object, deleted }`. */
export function userDeleted(eventId: string, userId: string): EventDraft {
  return { id: eventId, name: "clerk/user.deleted", data: { id: userId, object: "user", deleted: true } };
}

/** A profile change: nothing waits for it, and no function of the bench is triggered by it. */
export function userUpdated(eventId: string, userId: string): EventDraft {
  return { id: eventId, name: "clerk/user.updated", data: { ...PROFILE_UPDATE, id: userId } };
}

export function orderCreated(eventId: string, orderId: string): EventDraft {
  return {
    id: eventId,
    name: "app/order.created",
    data: { orderId, amount: 4200, currency: "eur", lines: [{ sku: "plan-pro", quantity: 1 }] },
  };
}

export function orderPaid(eventId: string, orderId: string): EventDraft {
  return { id: eventId, name: "app/order.paid", data: { orderId, paidAt: Date.now() } };
}

export const onboardingRun = (eventId: string) => runIdFor(ONBOARDING, eventId);
export const paymentRun = (eventId: string) => runIdFor(PAYMENT, eventId);

/**
 * Sends the events in batches through the intake and waits until every run they start is
 * suspended (a delayed job: sleeping or waiting) and nothing is left to route or run.
 * Returns the seconds it took.
 */
export async function fillPending(rig: WaiterRig, drafts: EventDraft[], expectedDelayed: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < drafts.length; i += FILL_BATCH) await rig.send(drafts.slice(i, i + FILL_BATCH));
  let lastReport = started;
  for (;;) {
    const { events, runs } = rig.services.queues;
    const [e, r] = await Promise.all([
      events.getJobCounts("waiting", "active", "delayed", "prioritized"),
      runs.getJobCounts("waiting", "active", "delayed", "prioritized"),
    ]);
    const busy =
      (e.waiting ?? 0) +
      (e.active ?? 0) +
      (e.delayed ?? 0) +
      (e.prioritized ?? 0) +
      (r.waiting ?? 0) +
      (r.active ?? 0) +
      (r.prioritized ?? 0);
    if (busy === 0 && r.delayed === expectedDelayed) return (performance.now() - started) / 1000;
    if (busy === 0 && (r.delayed ?? 0) > expectedDelayed)
      throw new Error(`${r.delayed} runs suspended, ${expectedDelayed} expected`);
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      const { heapUsed, rss } = process.memoryUsage();
      console.log(
        `  filling: ${r.delayed} of ${expectedDelayed} runs suspended, ${e.waiting} events to route, ${r.waiting} runs queued (${Math.round((lastReport - started) / 1000)} s; heap ${Math.round(heapUsed / 1e6)} MB, rss ${Math.round(rss / 1e6)} MB)`,
      );
    }
    await sleep(200);
  }
}
