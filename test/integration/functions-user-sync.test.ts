import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { pino } from "pino";
import { createPostgresPool, type Pool } from "../../src/functions/postgres/create-pool.ts";
import { findUser } from "../../src/functions/postgres/users-table.ts";
import { createUserSync } from "../../src/functions/user-sync.ts";
import { engineForEachTest } from "../helpers/engine-harness.ts";
import { startTcpProxy, type TcpProxy } from "../helpers/pg-proxy.ts";
import { migratedTestSchema, TEST_DATABASE_URL } from "../helpers/pg-schema.ts";

const logger = pino({ level: "silent" });
const db = migratedTestSchema();
const startEngine = engineForEachTest();

function user(id: string, version: number) {
  return {
    id,
    first_name: version === 1 ? "Ada" : "Augusta",
    last_name: "Lovelace",
    primary_email_address_id: "idn_1",
    email_addresses: [{ id: "idn_1", email_address: `v${version}@example.org` }],
    created_at: 1_700_000_000_000,
    updated_at: 1_700_000_000_000 + version,
  };
}

describe("user-sync on the engine", () => {
  it("created, updated, deleted: the row follows the user and ends deleted", async () => {
    const engine = await startEngine([createUserSync({ pool: db.pool })]);
    const runId = (eventId: string) => engine.runId("bridge-user-sync", eventId);

    await engine.send({ id: "s-created", name: "clerk/user.created", data: user("user_seq", 1) });
    assert.deepEqual((await engine.waitForRun(runId("s-created"), ["completed", "failed"])).output, {
      id: "user_seq",
      outcome: "inserted",
    });
    assert.equal((await findUser(db.pool, "user_seq"))?.first_name, "Ada");

    await engine.send({ id: "s-updated", name: "clerk/user.updated", data: user("user_seq", 2) });
    assert.deepEqual((await engine.waitForRun(runId("s-updated"), ["completed", "failed"])).output, {
      id: "user_seq",
      outcome: "updated",
    });
    assert.equal((await findUser(db.pool, "user_seq"))?.email, "v2@example.org");

    const deletedAt = 1_700_000_500_000;
    await engine.send({
      id: "s-deleted",
      name: "clerk/user.deleted",
      ts: deletedAt - 10 * 60_000,
      data: { id: "user_seq", object: "user", deleted: true },
    });
    await engine.waitForRun(runId("s-deleted"), ["completed", "failed"]);
    const row = await findUser(db.pool, "user_seq");
    assert.ok(row?.deleted_at, "deleted_at is set");
    assert.equal(row?.email, "v2@example.org", "the last known profile is kept");
  });

  it("an updated_at more than 5 minutes ahead is not written: warned and counted, and real updates still land", async () => {
    const engine = await startEngine([
      createUserSync({ pool: db.pool, metrics: (await import("../../src/metrics/create-metrics.ts")).createMetrics() }),
    ]);
    await engine.send({ id: "f-created", name: "clerk/user.created", data: user("user_future", 1) });
    await engine.waitForRun(engine.runId("bridge-user-sync", "f-created"), "completed");
    const forged = { ...user("user_future", 1), first_name: "Mallory", updated_at: Date.UTC(2100, 0, 1) };
    await engine.send({ id: "f-forged", name: "clerk/user.updated", data: forged });
    const ignored = await engine.waitForRun(engine.runId("bridge-user-sync", "f-forged"), ["completed", "failed"]);
    assert.deepEqual(ignored.output, { id: "user_future", outcome: "ignored", reason: "updated_at in the future" });
    await engine.send({ id: "f-real", name: "clerk/user.updated", data: user("user_future", 2) });
    await engine.waitForRun(engine.runId("bridge-user-sync", "f-real"), "completed");
    assert.equal(
      (await findUser(db.pool, "user_future"))?.first_name,
      "Augusta",
      "the genuine update is not frozen out",
    );
  });

  it("data PostgreSQL can never store (a NUL byte) fails the run at once, without retries", async () => {
    const engine = await startEngine([createUserSync({ pool: db.pool })]);
    await engine.send({
      id: "nul",
      name: "clerk/user.created",
      data: { ...user("user_nul", 1), first_name: "Ada\u0000" },
    });
    const run = await engine.waitForRun(engine.runId("bridge-user-sync", "nul"), ["completed", "failed"]);
    assert.equal(run.status, "failed");
    assert.equal(run.steps[0]?.attempts, 1, "not retried");
    assert.match(run.error?.message ?? "", /PostgreSQL cannot store this user \(22021\)/);
  });

  it("an out-of-range timestamp (updated_at: 1e20) fails the run at once, not after an hour of retries", async () => {
    const engine = await startEngine([createUserSync({ pool: db.pool })]);
    for (const [id, field] of [
      ["range-updated", "updated_at"],
      ["range-created", "created_at"],
    ] as const) {
      await engine.send({ id, name: "clerk/user.updated", data: { ...user(`user_${id}`, 1), [field]: 1e20 } });
      const run = await engine.waitForRun(engine.runId("bridge-user-sync", id), ["completed", "failed"], 10_000);
      assert.equal(run.status, "failed");
      assert.equal(run.attempt ?? 0, 0, "not retried");
      assert.equal(run.steps.length, 0, "nothing was written");
      assert.match(run.error?.message ?? "", new RegExp(`${field} 100000000000000000000 is out of range`));
      assert.equal(await findUser(db.pool, `user_${id}`), null);
    }
  });

  it("a backfilled user is written through the same guard: never over a newer webhook", async () => {
    const engine = await startEngine([createUserSync({ pool: db.pool })]);
    await engine.send({ id: "b-webhook", name: "clerk/user.updated", data: user("user_bf", 3) });
    await engine.waitForRun(engine.runId("bridge-user-sync", "b-webhook"), "completed");
    await engine.send({ id: "b-backfill", name: "clerk/user.backfilled", data: user("user_bf", 1) });
    const run = await engine.waitForRun(engine.runId("bridge-user-sync", "b-backfill"), "completed");
    assert.deepEqual(run.output, { id: "user_bf", outcome: "stale" });
    await engine.send({ id: "b-new", name: "clerk/user.backfilled", data: user("user_bf_new", 1) });
    await engine.waitForRun(engine.runId("bridge-user-sync", "b-new"), "completed");
    assert.equal((await findUser(db.pool, "user_bf_new"))?.first_name, "Ada");
  });

  it("an update delivered after the delete does not bring the user back", async () => {
    const engine = await startEngine([createUserSync({ pool: db.pool })]);
    await engine.send({
      id: "l-deleted",
      name: "clerk/user.deleted",
      data: { id: "user_late", object: "user", deleted: true },
    });
    await engine.waitForRun(engine.runId("bridge-user-sync", "l-deleted"), "completed");
    await engine.send({ id: "l-updated", name: "clerk/user.updated", data: user("user_late", 2) });
    const run = await engine.waitForRun(engine.runId("bridge-user-sync", "l-updated"), ["completed", "failed"]);
    assert.deepEqual(run.output, { id: "user_late", outcome: "deleted" });
    assert.ok((await findUser(db.pool, "user_late"))?.deleted_at);
  });

  it("a user.deleted without data.id completes without writing anything", async () => {
    const engine = await startEngine([createUserSync({ pool: db.pool })]);
    await engine.send({ id: "n-deleted", name: "clerk/user.deleted", data: { object: "user", deleted: true } });
    const run = await engine.waitForRun(engine.runId("bridge-user-sync", "n-deleted"), ["completed", "failed"]);
    assert.equal(run.status, "completed");
    assert.deepEqual(run.steps, []);
  });

  describe("while PostgreSQL is down", () => {
    let proxy: TcpProxy;
    let proxiedPool: Pool;
    before(async () => {
      const target = new URL(TEST_DATABASE_URL);
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      const url = new URL(db.schema.url);
      url.port = String(proxy.port);
      proxiedPool = createPostgresPool(url.toString(), logger);
    });
    after(async () => {
      await proxiedPool.end();
      await proxy.close();
    });

    it("the step is retried, and the run completes once the database is back", async () => {
      // Down: the proxy in front of PostgreSQL refuses connections, as a restarting server does.
      await proxy.stop();
      const engine = await startEngine([createUserSync({ pool: proxiedPool })]);
      const runId = engine.runId("bridge-user-sync", "down-created");
      await engine.send({ id: "down-created", name: "clerk/user.created", data: user("user_down", 1) });
      const failing = await engine.waitForRun(runId, (run) => (run.steps[0]?.attempts ?? 0) >= 3, 30_000);
      assert.equal(failing.steps[0]?.status, "retrying");
      assert.match(failing.steps[0]?.error?.message ?? "", /ECONNREFUSED|connect|terminat/i);
      assert.equal(await findUser(db.pool, "user_down"), null);

      await proxy.start();
      const run = await engine.waitForRun(runId, ["completed", "failed"], 60_000);
      assert.equal(run.status, "completed");
      assert.deepEqual(run.output, { id: "user_down", outcome: "inserted" });
      assert.equal((await findUser(db.pool, "user_down"))?.email, "v1@example.org");
    });
  });

  it("a redelivered event is written once", async () => {
    const engine = await startEngine([createUserSync({ pool: db.pool })]);
    await Promise.all(
      [1, 2, 3].map(() =>
        engine.send({ id: "r-created", name: "clerk/user.created", data: user("user_redelivered", 1) }),
      ),
    );
    const run = await engine.waitForRun(engine.runId("bridge-user-sync", "r-created"), ["completed", "failed"]);
    assert.deepEqual(run.output, { id: "user_redelivered", outcome: "inserted" });
    assert.equal((await engine.store.listRunsForEvent("r-created")).length, 1);
  });
});
