import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import request from "supertest";
import { signFixture, TEST_SECRET } from "../helpers/sign-fixture.ts";
import { startWholeBridge, type WholeBridge } from "../helpers/whole-bridge.ts";
import { waitFor } from "../helpers/wait-until.ts";

const ADMIN_TOKEN = "console-deliveries-admin-token";
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const OTHER_SECRET = `whsec_${Buffer.from("not-the-configured-secret").toString("base64")}`;

/** `shop` starts with a bug (it reads a field Clerk never sends); `mail` passes payloads through. */
const BROKEN_SHOP = `export default (payload) => ({ name: "shop/" + payload.order.kind, data: payload });\n`;
const FIXED_SHOP = `export default (payload, { webhookId }) => ({ id: webhookId, name: "shop/" + payload.type, data: payload });\n`;
const MAIL = `export default (payload, { webhookId }) => ({ id: webhookId, name: "mail/" + payload.type, data: payload });\n`;

const until = <T>(read: () => Promise<T>, done: (value: T) => boolean, what: string) =>
  waitFor(read, done, what, 15_000, 50);

describe("the delivery log", () => {
  let t: WholeBridge;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "bridge-transforms-"));
    writeFileSync(join(dir, "shop.mjs"), BROKEN_SHOP);
    writeFileSync(join(dir, "mail.mjs"), MAIL);
    t = await startWholeBridge({
      env: { ADMIN_TOKEN, TRANSFORMS_DIR: dir, SHOP_WEBHOOK_SECRET: TEST_SECRET, MAIL_WEBHOOK_SECRET: TEST_SECRET },
    });
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const deliveries = async (query = "") =>
    (await request(t.app).get(`/api/deliveries${query}`).set(auth).expect(200)).body;

  test("a delivery signed with another secret is logged with its reason, size and hash, never its body", async () => {
    const delivery = signFixture(
      { type: "user.created", data: { email: "ada@example.com" } },
      { secret: OTHER_SECRET },
    );
    await request(t.app).post("/webhooks/mail").set(delivery.headers).send(delivery.body).expect(401);
    const {
      deliveries: [logged],
    } = await until(
      () => deliveries("?outcome=rejected"),
      (page) => page.deliveries.length > 0,
      "the refusal is logged",
    );
    assert.equal(logged.outcome, "signature_invalid");
    assert.equal(logged.status, 401);
    assert.equal(logged.source, "mail");
    assert.equal(logged.svixId, delivery.headers["svix-id"]);
    assert.equal(logged.bytes, Buffer.byteLength(delivery.body));
    assert.equal(logged.sha256, createHash("sha256").update(delivery.body).digest("hex"));
    assert.equal(logged.rerunnable, undefined);
    const stored = JSON.stringify(await t.services.redis.xrange(t.services.keys.deliveries, "-", "+"));
    assert.doesNotMatch(stored, /ada@example\.com/, "an unverified body is never stored");
  });

  test("a body that is not JSON (415) or too large (413) is logged by its declared size", async () => {
    const delivery = signFixture({ type: "x" });
    await request(t.app)
      .post("/webhooks/mail")
      .set({ ...delivery.headers, "content-type": "text/plain" })
      .send("hello")
      .expect(415);
    const big = "x".repeat(1024 * 1024 + 10);
    await fetch(`${t.base}/webhooks/mail`, { method: "POST", headers: delivery.headers, body: big });
    const page = await until(
      () => deliveries("?source=mail&outcome=rejected"),
      (p) => p.deliveries.length >= 3,
      "both are logged",
    );
    const byCode = new Map(page.deliveries.map((d: { outcome: string }) => [d.outcome, d]));
    assert.equal((byCode.get("unsupported_media_type") as { bytes: number }).bytes, 5);
    assert.equal((byCode.get("payload_too_large") as { bytes: number }).bytes, big.length);
  });

  test("a delivery its template refused keeps its verified payload; fixed on disk, a re-run accepts it under the svix-id", async () => {
    const delivery = signFixture({ type: "order.paid", data: { total: 42 } });
    const refused = await request(t.app).post("/webhooks/shop").set(delivery.headers).send(delivery.body).expect(422);
    assert.equal(refused.body.error.code, "transform_failed");
    const {
      deliveries: [logged],
    } = await until(
      () => deliveries("?source=shop&outcome=transform_failed"),
      (p) => p.deliveries.length > 0,
      "the 422 is logged",
    );
    assert.equal(logged.rerunnable, true);
    assert.match(logged.error, /Cannot read properties of undefined/);
    const detail = await request(t.app).get(`/api/deliveries/${logged.id}`).set(auth).expect(200);
    assert.deepEqual(detail.body.payload, { type: "order.paid", data: { total: 42 } });

    // Still broken: the re-run fails the same way and stores nothing.
    const again = await request(t.app).post(`/api/deliveries/${logged.id}/rerun`).set(auth).send({}).expect(422);
    assert.match(again.body.error.message, /Cannot read properties/);

    writeFileSync(join(dir, "shop.mjs"), FIXED_SHOP);
    const rerun = await request(t.app).post(`/api/deliveries/${logged.id}/rerun`).set(auth).send({}).expect(201);
    assert.deepEqual(rerun.body.ids, [delivery.headers["svix-id"]]);
    const event = await request(t.app)
      .get(`/api/events/${encodeURIComponent(rerun.body.ids[0])}`)
      .set(auth)
      .expect(200);
    assert.equal(event.body.event.name, "shop/order.paid");
    assert.equal(event.body.event.source, "shop");
    // A second re-run finds the event in already (as Svix's next retry would dedupe, once the bridge runs the fixed template).
    const twice = await request(t.app).post(`/api/deliveries/${logged.id}/rerun`).set(auth).send({}).expect(409);
    assert.match(twice.body.error.message, /already accepted/);
    assert.equal(
      await t.services.queues.events.getJobCountByTypes("waiting", "active", "completed", "delayed", "failed"),
      1,
    );
    // The re-run proved the file fixed: the route serves it now, without a restart. Svix's next
    // retry of the same message dedupes; a new message goes through.
    await request(t.app).post("/webhooks/shop").set(delivery.headers).send(delivery.body).expect(200);
    const next = signFixture({ type: "order.refunded", data: { total: 42 } });
    await request(t.app).post("/webhooks/shop").set(next.headers).send(next.body).expect(200);

    const outcomes = () =>
      request(t.app)
        .get(`/api/events/${encodeURIComponent(rerun.body.ids[0])}/deliveries`)
        .set(auth)
        .expect(200)
        .then((r) => r.body.deliveries.map((d: { outcome: string }) => d.outcome));
    assert.deepEqual(await until(outcomes, (list) => list.length >= 3, "the retry is logged as a redelivery"), [
      "transform_failed",
      "rerun",
      "redelivered",
    ]);
    const audit = await request(t.app).get("/api/audit").set(auth).expect(200);
    assert.ok(
      audit.body.entries.some(
        (entry: { action: string; target: string }) =>
          entry.action === "rerun-delivery" && entry.target === delivery.headers["svix-id"],
      ),
    );
  });

  test("Svix's redelivery of an accepted message is logged, and the event lists the deliveries that carried it", async () => {
    const first = signFixture({ type: "welcome.sent" });
    await request(t.app).post("/webhooks/mail").set(first.headers).send(first.body).expect(200);
    const id = first.headers["svix-id"] as string;
    // The same message again, as Svix retries it: same svix-id, a new timestamp and signature.
    const retry = signFixture({ type: "welcome.sent" }, { id });
    await request(t.app).post("/webhooks/mail").set(retry.headers).send(retry.body).expect(200);
    const carried = await until(
      async () =>
        (
          await request(t.app)
            .get(`/api/events/${encodeURIComponent(id)}/deliveries`)
            .set(auth)
            .expect(200)
        ).body.deliveries as Array<{ outcome: string }>,
      (list) => list.length === 2,
      "the redelivery is logged",
    );
    assert.deepEqual(
      carried.map((d) => d.outcome),
      ["accepted", "redelivered"],
    );
  });

  test("the list merges accepted events with the log, newest first, filtered by source and outcome, page by page", async () => {
    const all = await deliveries("?limit=200");
    const times = all.deliveries.map((d: { at: number }) => d.at);
    assert.deepEqual(
      times,
      [...times].sort((a: number, b: number) => b - a),
    );
    assert.ok(all.deliveries.some((d: { outcome: string }) => d.outcome === "accepted"));
    assert.ok(all.deliveries.some((d: { outcome: string }) => d.outcome === "redelivered"));
    const accepted = await deliveries("?outcome=accepted");
    assert.ok(accepted.deliveries.every((d: { outcome: string }) => d.outcome === "accepted"));
    const mailOnly = await deliveries("?source=mail");
    assert.ok(mailOnly.deliveries.every((d: { source: string }) => d.source === "mail"));
    // Two at a time, the pages hold every delivery once, in the same order.
    const paged: string[] = [];
    let before: string | undefined;
    do {
      const page = await deliveries(`?limit=2${before ? `&before=${encodeURIComponent(before)}` : ""}`);
      paged.push(...page.deliveries.map((d: { id: string }) => d.id));
      before = page.next ?? undefined;
    } while (before);
    assert.deepEqual(
      paged,
      all.deliveries.map((d: { id: string }) => d.id),
    );
  });
});
