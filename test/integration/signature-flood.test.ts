import assert from "node:assert/strict";
import { describe, test } from "node:test";
import request from "supertest";
import { SIGNATURE_FAILURES } from "../../src/http/failure-limiter.ts";
import { perSuite } from "../helpers/per-suite.ts";
import { clerkFixture, signFixture } from "../helpers/sign-fixture.ts";
import { waitUntil } from "../helpers/wait-until.ts";
import { startWholeBridge } from "../helpers/whole-bridge.ts";

/** Forged deliveries from one address: far past the limit, a small flood. */
const FLOOD = SIGNATURE_FAILURES.failures * 4;

describe("a flood of deliveries that fail verification (issue 19)", () => {
  const t = perSuite(
    "the bridge",
    () => startWholeBridge({ captureLogs: true }),
    (started) => started.close(),
  );

  test("blocks the address for what fails (429, Retry-After), never for a valid delivery, and keeps the logs small", async () => {
    const forged = signFixture(clerkFixture("user.created"), {
      secret: `whsec_${Buffer.alloc(24, 7).toString("base64")}`,
    });
    const statuses: number[] = [];
    const accepted: string[] = [];
    let retryAfter: string | undefined;
    for (let n = 0; n < FLOOD; n++) {
      const response = await request(t.app)
        .post("/webhooks/clerk")
        .set({ ...forged.headers, "svix-id": `msg_forged_${n}` })
        .send(forged.body);
      statuses.push(response.status);
      if (response.status === 429) retryAfter ??= response.headers["retry-after"];
      // Now and then Svix's genuine delivery, from the same address (a proxy without TRUST_PROXY).
      if (n % 80 === 79) {
        const genuine = signFixture(clerkFixture("user.created"), { id: `msg_genuine_${n}` });
        await request(t.app).post("/webhooks/clerk").set(genuine.headers).send(genuine.body).expect(200);
        accepted.push(`msg_genuine_${n}`);
      }
    }
    assert.deepEqual(
      new Set(statuses.slice(0, SIGNATURE_FAILURES.failures - 1)),
      new Set([401]),
      "refused as forged until the limit",
    );
    assert.deepEqual(new Set(statuses.slice(SIGNATURE_FAILURES.failures - 1)), new Set([429]), "then blocked");
    assert.ok(
      Number(retryAfter) > 0 && Number(retryAfter) <= SIGNATURE_FAILURES.blockSeconds,
      `Retry-After: ${retryAfter}`,
    );

    // Every genuine delivery is in the delivery log as accepted; the flood left at most the limit's worth of entries.
    // An accepted delivery is listed once the router has put its event in the event log, which
    // happens after the 200: the last genuine one may still be on its way.
    const listAccepted = async () =>
      (await request(t.app).get("/api/deliveries?limit=200&outcome=accepted").expect(200)).body.deliveries.length;
    await waitUntil(
      async () => (await listAccepted()) >= accepted.length,
      20_000,
      "the accepted deliveries never all reached the event log",
    );
    const deliveries = await request(t.app).get("/api/deliveries?limit=200").expect(200);
    const outcomes = deliveries.body.deliveries.map(
      (delivery: { outcome: string; svixId?: string }) => delivery.outcome,
    );
    const acceptedIds = deliveries.body.deliveries
      .filter((delivery: { outcome: string }) => delivery.outcome === "accepted")
      .map((delivery: { svixId: string }) => delivery.svixId);
    assert.deepEqual(acceptedIds.sort(), accepted.sort());
    assert.ok(
      outcomes.filter((outcome: string) => outcome === "signature_invalid").length <= SIGNATURE_FAILURES.failures,
    );
    assert.equal(
      outcomes.filter((outcome: string) => outcome === "too_many_requests").length,
      1,
      "the refusal that started the block is kept; those after it are not, one by one",
    );

    const rejectedLines = t.logs.filter((line) => line.msg === "request rejected").length;
    assert.ok(
      rejectedLines <= SIGNATURE_FAILURES.failures + 1,
      `${rejectedLines} log lines for ${FLOOD} forged deliveries`,
    );
    assert.equal(
      t.logs.filter(
        (line) =>
          typeof line.msg === "string" && line.msg.startsWith("too many webhook deliveries that fail verification"),
      ).length,
      1,
    );

    const metrics = await request(t.app).get("/metrics").expect(200);
    assert.match(
      metrics.text,
      new RegExp(
        `bridge_webhooks_total\\{source="clerk",outcome="too_many_requests"\\} ${FLOOD - SIGNATURE_FAILURES.failures + 1}\\b`,
      ),
    );
  });
});
