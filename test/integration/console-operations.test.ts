import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import request from "supertest";
import { createFunction, NonRetriableError } from "../../src/client/index.ts";
import { startWholeBridge, type WholeBridge } from "../helpers/whole-bridge.ts";
import { waitFor } from "../helpers/wait-until.ts";

const ADMIN_TOKEN = "console-operations-admin-token";
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** The CRM the sync writes to: down until a test brings it back. */
let crmUp = false;
const welcome = createFunction({ id: "welcome", triggers: [{ event: "app/user.created" }] }, async ({ step }) =>
  step.run("greet", () => "hi"),
);
const crmSync = createFunction(
  { id: "crm-sync", triggers: [{ event: "app/order.placed" }], retries: 0 },
  async ({ event, step }) =>
    step.run("push", () => {
      if (!crmUp) throw new NonRetriableError(`CRM unavailable\nwhile pushing order ${String(event.data.order)}`);
      return "pushed";
    }),
);
const drip = createFunction({ id: "drip", triggers: [{ event: "app/trial.started" }] }, async ({ step }) => {
  await step.sleep("wait", "1h");
});
const nightly = createFunction({ id: "nightly", triggers: [{ cron: "0 3 * * *" }] }, async () => "ok");

const until = <T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 30_000) =>
  waitFor(read, done, what, timeoutMs, 50);

describe("search, bulk actions, statistics and pauses", () => {
  let t: WholeBridge;
  const get = async (path: string) => (await request(t.app).get(path).set(auth).expect(200)).body;
  const post = (path: string, body: object = {}) => request(t.app).post(path).set(auth).send(body);
  const send = async (name: string, data: Record<string, unknown>): Promise<string> =>
    (await post("/api/events", { name, data }).expect(201)).body.ids[0];
  const runsOf = async (query: string) =>
    (await get(`/api/runs?limit=200&${query}`)).runs as Array<{
      id: string;
      status: string;
      error?: string;
      eventId: string;
    }>;

  before(async () => {
    t = await startWholeBridge({ env: { ADMIN_TOKEN }, functions: [welcome, crmSync, drip, nightly] });
  });
  after(() => t.close());

  let userEvent: string;
  test("events are found by name pattern, name suffix, id, a data value and an email address", async () => {
    userEvent = await send("app/user.created", { id: "user_123", email: "ada@example.com" });
    const deleted = await send("app/user.deleted", { id: "user_9" });
    await send("app/order.placed", { order: "o-0" });
    await until(
      () => get("/api/events?q=app/user.*"),
      (page) => page.events.length === 2,
      "the names index knows both names",
    );
    const wildcard = await get("/api/events?q=app/user.*");
    assert.deepEqual(wildcard.search, { kind: "names", names: ["app/user.created", "app/user.deleted"] });
    assert.deepEqual(
      wildcard.events.map((e: { id: string }) => e.id),
      [deleted, userEvent],
    );
    assert.deepEqual(
      (await get("/api/events?q=user.created")).events.map((e: { id: string }) => e.id),
      [userEvent],
    );
    assert.deepEqual((await get(`/api/events?q=${userEvent}`)).search, { kind: "id" });
    const byPath = await get(`/api/events?q=${encodeURIComponent("data.id = user_123")}`);
    assert.equal(byPath.search.kind, "data");
    assert.deepEqual(
      byPath.events.map((e: { id: string }) => e.id),
      [userEvent],
    );
    assert.deepEqual(
      (await get("/api/events?q=ADA%40example.com")).events.map((e: { id: string }) => e.id),
      [userEvent],
    );
    assert.deepEqual((await get(`/api/events?q=nobody%40example.com`)).events, []);
  });

  test("runs are found by event, event name and time, and a failed one shows its error", async () => {
    const [run] = await until(
      () => runsOf(`event=${userEvent}`),
      (runs) => runs.length === 1,
      "the welcome run exists",
    );
    assert.equal(run!.eventId, userEvent);
    assert.equal((await runsOf("eventName=app/user.*")).length, 1);
    assert.equal((await runsOf(`since=${Date.now() + 60_000}`)).length, 0);
    const [failed] = await until(
      () => runsOf("status=failed&function=crm-sync"),
      (runs) => runs.length === 1,
      "the CRM run failed",
    );
    assert.match(failed!.error ?? "", /^CRM unavailable\nwhile pushing order o-0$/);
  });

  test("a bulk retry counts 20 failed runs first, then retries them in the background with its progress, audited", async () => {
    const since = Date.now();
    for (let i = 1; i <= 20; i++) await send("app/order.placed", { order: `o-${i}` });
    await until(
      () => runsOf(`status=failed&function=crm-sync&since=${since}`),
      (runs) => runs.length === 20,
      "20 runs failed",
    );
    const preview = (await post("/api/bulk/preview", { kind: "retry", functionId: "crm-sync", since }).expect(200))
      .body;
    assert.equal(preview.count, 20);
    assert.equal(preview.capped, false);
    assert.match(preview.description, /^retry failed runs of crm-sync since /);
    crmUp = true;
    const started = (await post("/api/bulk", { kind: "retry", functionId: "crm-sync", since }).expect(202)).body;
    const { job } = await until(
      () => get(`/api/bulk/${started.id}`),
      (body) => body.job.state === "completed",
      "the job ends",
    );
    assert.deepEqual(
      { ...job.progress, errors: undefined },
      { phase: "done", total: 20, done: 20, ok: 20, skipped: 0, failed: 0, errors: undefined },
    );
    await until(
      () => runsOf(`status=completed&function=crm-sync&since=${since}`),
      (runs) => runs.length === 20,
      "the retried runs complete",
    );
    assert.equal(
      (await runsOf("status=failed&function=crm-sync")).length,
      1,
      "the run from before `since` was left alone",
    );
    const audit = await get("/api/audit");
    assert.ok(
      audit.entries.some(
        (entry: { action: string; target: string }) =>
          entry.action === "bulk-retry" && entry.target === `bulk:${started.id}`,
      ),
    );
  });

  test("a bulk cancel takes only the runs whose event passes its filter", async () => {
    for (const plan of ["free", "pro", "free"]) await send("app/trial.started", { plan });
    await until(
      () => runsOf("function=drip&status=sleeping"),
      (runs) => runs.length === 3,
      "three drips sleep",
    );
    const request = { kind: "cancel", functionId: "drip", if: 'event.data.plan == "free"' };
    assert.equal((await post("/api/bulk/preview", request).expect(200)).body.count, 2);
    const bad = await post("/api/bulk/preview", { ...request, if: "event.data.plan ==" }).expect(400);
    assert.match(bad.body.error.message, /invalid expression/);
    const { id } = (await post("/api/bulk", request).expect(202)).body;
    await until(
      () => get(`/api/bulk/${id}`),
      (body) => body.job.state === "completed",
      "the job ends",
    );
    await until(
      () => runsOf("function=drip&status=cancelled"),
      (runs) => runs.length === 2,
      "two are cancelled",
    );
    assert.equal((await runsOf("function=drip&status=sleeping")).length, 1);
  });

  test("a bulk replay replays the events its search finds, once each", async () => {
    const preview = (await post("/api/bulk/preview", { kind: "replay", q: "app/user.deleted", since: 0 }).expect(200))
      .body;
    assert.equal(preview.count, 1);
    assert.equal(preview.sample[0].label, "app/user.deleted");
    const { id } = (await post("/api/bulk", { kind: "replay", q: "app/user.deleted", since: 0 }).expect(202)).body;
    await until(
      () => get(`/api/bulk/${id}`),
      (body) => body.job.state === "completed",
      "the job ends",
    );
    const replays = await until(
      () => get("/api/events?name=app/user.deleted"),
      (page) => page.events.length === 2,
      "the replay is stored",
    );
    assert.equal(replays.events[0].source, "replay");
  });

  test("a paused function keeps its new runs queued; resuming starts them", async () => {
    await post("/api/functions/welcome/pause").expect(200);
    // Executors read the paused set at most once a second: wait until the workers' copy has it.
    await until(() => t.services.engine!.pauses.isPaused("welcome"), Boolean, "the workers see the pause");
    const id = await send("app/user.created", { id: "user_paused" });
    await until(
      () => get("/api/functions/stats"),
      (body) => body.functions.find((fn: { id: string }) => fn.id === "welcome").held === 1,
      "the run is held",
    );
    const [held] = await runsOf(`event=${id}`);
    assert.equal(held!.status, "queued");
    const stats = (await get("/api/functions/stats")).functions.find((fn: { id: string }) => fn.id === "welcome");
    assert.equal(stats.paused, true);
    const resumed = (await post("/api/functions/welcome/resume").expect(200)).body;
    assert.equal(resumed.resumed, 1);
    await t.waitForRun(held!.id, ["completed"]);
    const actions = (await get("/api/audit")).entries.map((entry: { action: string }) => entry.action);
    assert.ok(actions.includes("pause") && actions.includes("resume"));
    await post("/api/functions/no-such-function/pause").expect(404);
  });

  test("each function's statistics and the queues' depths", async () => {
    const stats = new Map((await get("/api/functions/stats")).functions.map((fn: { id: string }) => [fn.id, fn]));
    const welcomeStats = stats.get("welcome") as {
      counts: Record<string, number>;
      p50Ms: number;
      p95Ms: number;
      paused: boolean;
    };
    assert.equal(welcomeStats.counts.completed, 2);
    assert.ok(welcomeStats.p50Ms >= 0 && welcomeStats.p95Ms >= welcomeStats.p50Ms);
    assert.equal(welcomeStats.paused, false);
    const crm = stats.get("crm-sync") as { failureRate: number; ended24h: number };
    assert.equal(crm.ended24h, 21);
    assert.equal(crm.failureRate, 1 / 21);
    const next = (stats.get("nightly") as { nextTickAt: number }).nextTickAt;
    assert.equal(new Date(next).getUTCHours(), 3);
    assert.ok(next > Date.now());
    const { queues } = await get("/api/queues");
    assert.deepEqual(
      queues.map((queue: { name: string }) => queue.name),
      ["events", "runs"],
    );
    assert.ok(
      queues.every(
        (queue: { waiting: number; delayed: number }) =>
          Number.isInteger(queue.waiting) && Number.isInteger(queue.delayed),
      ),
    );
    assert.ok(queues[1].delayed >= 1, "the sleeping drip is a delayed job");
  });
});
