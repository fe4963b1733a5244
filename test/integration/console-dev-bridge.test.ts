import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import request from "supertest";
import { runCli } from "../../src/cli/main.ts";
import { capturedIo } from "../helpers/cli.ts";
import { startWholeBridge, type WholeBridge } from "../helpers/whole-bridge.ts";

const PROD_TOKEN = "production-admin-token-0123456";
const auth = { authorization: `Bearer ${PROD_TOKEN}` };

/**
 * A production bridge and a developer's (dev mode: no EVENT_KEYS, no ADMIN_TOKEN, on this
 * machine), both real. Production sends an event to the dev bridge; the CLI pulls one over.
 */
describe("sending production events to a dev bridge", () => {
  let prod: WholeBridge;
  let dev: WholeBridge;
  before(async () => {
    dev = await startWholeBridge();
    prod = await startWholeBridge({
      env: { ADMIN_TOKEN: PROD_TOKEN, DEV_BRIDGE_URL: dev.base, DEV_BRIDGE_EVENT_KEY: "laptop" },
    });
  });
  after(async () => {
    await prod?.close();
    await dev?.close();
  });

  const sendToProd = async (name: string, data: Record<string, unknown>) =>
    (await request(prod.app).post("/api/events").set(auth).send({ name, data }).expect(201)).body.ids[0] as string;

  test("the session names the dev bridge, so the event page shows the action", async () => {
    const session = await request(prod.app).get("/api/session").set(auth).expect(200);
    assert.equal(session.body.devBridge, dev.base);
    const without = await request(dev.app).get("/api/session").expect(200);
    assert.equal(without.body.devBridge, null);
  });

  test("an event sent to the dev bridge keeps its id there, so sending it twice stores it once; the send is audited", async () => {
    const id = await sendToProd("clerk/user.created", { id: "user_prod", email: "ada@example.com" });
    const sent = await request(prod.app).post(`/api/events/${id}/send-to-dev-bridge`).set(auth).send({}).expect(200);
    assert.deepEqual(sent.body.ids, [id]);
    const there = await request(dev.app).get(`/api/events/${id}`).expect(200);
    assert.equal(there.body.event.name, "clerk/user.created");
    assert.deepEqual(there.body.event.data, { id: "user_prod", email: "ada@example.com" });
    await request(prod.app).post(`/api/events/${id}/send-to-dev-bridge`).set(auth).send({}).expect(200);
    assert.equal(
      await dev.services.queues.events.getJobCountByTypes("waiting", "active", "completed", "delayed", "failed"),
      1,
    );
    const audit = await request(prod.app).get("/api/audit").set(auth).expect(200);
    assert.ok(
      audit.body.entries.some(
        (entry: { action: string; target: string }) => entry.action === "send-to-dev-bridge" && entry.target === id,
      ),
    );
  });

  test("a bridge without DEV_BRIDGE_URL has no such action, and a dev bridge that is down is a 502 saying so", async () => {
    const id = (await request(dev.app).post("/api/events").send({ name: "app/x", data: {} }).expect(201)).body.ids[0];
    await request(dev.app).post(`/api/events/${id}/send-to-dev-bridge`).send({}).expect(404);
    const down = await startWholeBridge({
      env: { ADMIN_TOKEN: PROD_TOKEN, DEV_BRIDGE_URL: `http://127.0.0.1:${await freedPort()}` },
    });
    try {
      const other = await sendToProdOf(down, "app/x");
      const answer = await request(down.app)
        .post(`/api/events/${other}/send-to-dev-bridge`)
        .set(auth)
        .send({})
        .expect(502);
      assert.equal(answer.body.error.code, "upstream_failed");
      assert.match(answer.body.error.message, /did not answer \(ECONNREFUSED\)/);
    } finally {
      await down.close();
    }
  });

  test("bridge pull copies a production event into the local bridge by id", async () => {
    const id = await sendToProd("clerk/user.updated", { id: "user_pulled" });
    const { io, output } = capturedIo({ BRIDGE_URL: dev.base, PROD_ADMIN_TOKEN: PROD_TOKEN });
    assert.equal(await runCli(["pull", id, "--from", prod.base], io), 0, output.stderr);
    assert.equal(output.stdout, `${id}\n`);
    assert.match(output.stderr, new RegExp(`pulled ${id} \\(clerk/user.updated\\) from ${prod.base}`));
    const there = await request(dev.app).get(`/api/events/${id}`).expect(200);
    assert.deepEqual(there.body.event.data, { id: "user_pulled" });

    const unauthorized = await runCli(["pull", id, "--from", prod.base], { ...io, env: { BRIDGE_URL: dev.base } });
    assert.equal(unauthorized, 2);
    assert.match(output.stderr, /401 unauthorized: .*\(set PROD_ADMIN_TOKEN\)/);
  });
});

/** A port nothing listens on any more. */
async function freedPort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function sendToProdOf(bridge: WholeBridge, name: string): Promise<string> {
  return (
    await request(bridge.app)
      .post("/api/events")
      .set({ authorization: `Bearer ${PROD_TOKEN}` })
      .send({ name, data: {} })
      .expect(201)
  ).body.ids[0];
}
