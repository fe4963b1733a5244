import assert from "node:assert/strict";
import { describe, test } from "node:test";
import request from "supertest";
import { createFunction, Inngest } from "../../src/client/index.ts";
import type { BridgeEvent } from "../../src/events/event-schema.ts";
import { publishFunctions } from "../../src/dashboard/function-directory.ts";
import { pushOutbox } from "../../src/functions/mail/dev-outbox.ts";
import {
  createRun as createOperatorRun,
  makeOperatorApp,
  recordInLog,
  type OperatorApp,
} from "../helpers/operator-app.ts";
import { perSuite } from "../helpers/per-suite.ts";

const ADMIN_TOKEN = "test-admin-token-0123456789";
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

const welcome = createFunction(
  {
    id: "welcome",
    triggers: [{ event: "app/user.created" }],
    cancelOn: [{ event: "app/user.deleted", match: "data.id" }],
  },
  async () => "ok",
);

/** Sends an event through the operator API and records it in the log, as the router does. */
async function sendEvent(t: OperatorApp, name: string, data: Record<string, unknown>): Promise<BridgeEvent> {
  const sent = await request(t.app).post("/api/events").set(auth).send({ name, data }).expect(201);
  const event = (await t.eventLog.getEvent(sent.body.ids[0]))!;
  await recordInLog(t, event);
  return event;
}

function createRun(t: OperatorApp, runId: string, event: BridgeEvent, functionId = "welcome") {
  return createOperatorRun(t, runId, event, functionId);
}

describe("operator API", () => {
  const t = perSuite(
    "the operator app",
    () => makeOperatorApp({ ADMIN_TOKEN }, [welcome]),
    (started) => started.close(),
  );

  test("every /api route answers 401 unauthorized without the ADMIN_TOKEN", async () => {
    for (const [method, path] of [
      ["get", "/api/events"],
      ["get", "/api/runs"],
      ["get", "/api/functions"],
      ["post", "/api/events"],
      ["get", "/api/stream"],
    ] as const) {
      const response = await request(t.app)[method](path);
      assert.equal(response.status, 401, `${method} ${path}`);
      assert.equal(response.body.error.code, "unauthorized");
    }
    const wrong = await request(t.app).get("/api/events").set("authorization", "Bearer not-the-token-at-all");
    assert.equal(wrong.status, 401);
  });

  test("a malformed session cookie answers 401, not 500", async () => {
    for (const cookie of ["bridge_session=%E0%A4%A", "bridge_session", "=;;bridge_session=%%%"]) {
      const response = await request(t.app).get("/api/events").set("cookie", cookie);
      assert.equal(response.status, 401, cookie);
      assert.equal(response.body.error.code, "unauthorized");
      await request(t.app).get("/").set("cookie", cookie).expect(401);
    }
  });

  test("the dashboard asks for the token, and signing in sets a session cookie", async () => {
    const login = await request(t.app).get("/").expect(401);
    assert.match(login.text, /ADMIN_TOKEN/);
    await request(t.app).post("/login").type("form").send({ token: "wrong-token-xxxxxxxxxx" }).expect(401);
    const signIn = await request(t.app).post("/login").type("form").send({ token: ADMIN_TOKEN }).expect(303);
    const cookie = String(signIn.headers["set-cookie"]);
    assert.match(cookie, /HttpOnly/);
    assert.doesNotMatch(cookie, new RegExp(ADMIN_TOKEN), "the cookie holds a derived session, never the token");
    const session = cookie.split(";")[0]!;
    const page = await request(t.app).get("/").set("cookie", session).expect(200);
    assert.match(page.text, /<script type="module" src="\/assets\/js\/main.js">/);
    assert.match(page.headers["content-security-policy"]!, /default-src 'self'.*frame-ancestors 'none'/);
    await request(t.app).get("/api/events").set("cookie", session).expect(200);
    await request(t.app)
      .get("/assets/js/main.js")
      .expect(200)
      .expect("content-type", /javascript/);
  });

  test("a sent test event can be read back with its (still empty) runs", async () => {
    const event = await sendEvent(t, "app/user.created", { id: "u1", email: "ada@example.com" });
    assert.equal(event.source, "dashboard");
    const response = await request(t.app).get(`/api/events/${event.id}`).set(auth).expect(200);
    assert.deepEqual(response.body.event.data, { id: "u1", email: "ada@example.com" });
    assert.deepEqual(response.body.runs, []);
  });

  test("events are listed newest first, filtered by name and time, page by page", async () => {
    const first = await sendEvent(t, "app/page.viewed", { n: 1 });
    const second = await sendEvent(t, "app/page.viewed", { n: 2 });
    const third = await sendEvent(t, "app/page.viewed", { n: 3 });
    const page1 = await request(t.app).get("/api/events?name=app/page.viewed&limit=2").set(auth).expect(200);
    assert.deepEqual(
      page1.body.events.map((e: BridgeEvent) => e.data.n),
      [3, 2],
    );
    const page2 = await request(t.app)
      .get(`/api/events?name=app/page.viewed&limit=2&before=${encodeURIComponent(page1.body.next)}`)
      .set(auth)
      .expect(200);
    assert.deepEqual(
      page2.body.events.map((e: BridgeEvent) => e.data.n),
      [1],
    );
    assert.equal(page2.body.next, null);
    const since = await request(t.app)
      .get(`/api/events?name=app/page.viewed&since=${second.receivedAt}`)
      .set(auth)
      .expect(200);
    assert.ok(since.body.events.every((e: BridgeEvent) => e.receivedAt >= second.receivedAt));
    assert.ok(since.body.events.some((e: BridgeEvent) => e.id === third.id));
    const until = await request(t.app)
      .get(`/api/events?name=app/page.viewed&until=${new Date(first.receivedAt).toISOString()}`)
      .set(auth)
      .expect(200);
    assert.ok(until.body.events.every((e: BridgeEvent) => e.receivedAt <= first.receivedAt));
    await request(t.app).get("/api/events?since=yesterday-ish").set(auth).expect(400);
  });

  test("a replay is a new event that links to the original; edit and replay changes its data", async () => {
    const original = await sendEvent(t, "app/user.created", { id: "u2", plan: "free" });
    const replay = await request(t.app).post(`/api/events/${original.id}/replay`).set(auth).send({}).expect(201);
    assert.notEqual(replay.body.id, original.id);
    const replayed = await request(t.app).get(`/api/events/${replay.body.id}`).set(auth).expect(200);
    assert.equal(replayed.body.event.replayOf, original.id);
    assert.deepEqual(replayed.body.event.data, original.data);

    const edited = await request(t.app)
      .post(`/api/events/${original.id}/edit-and-replay`)
      .set(auth)
      .send({ data: { id: "u2", plan: "pro" } })
      .expect(201);
    const editedEvent = await request(t.app).get(`/api/events/${edited.body.id}`).set(auth).expect(200);
    assert.deepEqual(editedEvent.body.event.data, { id: "u2", plan: "pro" });
    assert.equal(editedEvent.body.event.replayOf, original.id);
    assert.equal(editedEvent.body.event.name, "app/user.created");

    const noData = await request(t.app)
      .post(`/api/events/${original.id}/edit-and-replay`)
      .set(auth)
      .send({})
      .expect(400);
    assert.equal(noData.body.error.code, "event_invalid");
    const missing = await request(t.app).post("/api/events/no-such-event/replay").set(auth).send({}).expect(404);
    assert.equal(missing.body.error.code, "not_found");
  });

  test("runs are listed by status and function, and one run shows its steps", async () => {
    const event = await sendEvent(t, "app/user.created", { id: "u3" });
    await createRun(t, "run-list-a", event);
    await createRun(t, "run-list-b", event, "other");
    await t.services.runs.ledger.saveStep("run-list-a", {
      id: "say-hello",
      name: "say-hello",
      op: "run",
      status: "completed",
      attempts: 1,
      startedAt: Date.now(),
      endedAt: Date.now() + 5,
      durationMs: 5,
      output: "hi",
    });
    const byFunction = await request(t.app).get("/api/runs?function=welcome&status=queued").set(auth).expect(200);
    assert.ok(byFunction.body.runs.some((run: { id: string }) => run.id === "run-list-a"));
    assert.ok(byFunction.body.runs.every((run: { functionId: string }) => run.functionId === "welcome"));
    const none = await request(t.app).get("/api/runs?status=failed").set(auth).expect(200);
    assert.ok(none.body.runs.every((run: { status: string }) => run.status === "failed"));
    const one = await request(t.app).get("/api/runs/run-list-a").set(auth).expect(200);
    assert.equal(one.body.run.steps[0].id, "say-hello");
    assert.equal(one.body.run.steps[0].output, "hi");
    const ofEvent = await request(t.app).get(`/api/events/${event.id}`).set(auth).expect(200);
    assert.deepEqual(ofEvent.body.runs.map((run: { id: string }) => run.id).sort(), ["run-list-a", "run-list-b"]);
    await request(t.app).get("/api/runs/nope").set(auth).expect(404);
  });

  test("a run is cancelled once; a second cancel and a retry of a run that did not fail conflict", async () => {
    const event = await sendEvent(t, "app/user.created", { id: "u4" });
    await createRun(t, "run-cancel", event);
    const cancelled = await request(t.app).post("/api/runs/run-cancel/cancel").set(auth).expect(200);
    assert.equal(cancelled.body.run.status, "cancelled");
    const again = await request(t.app).post("/api/runs/run-cancel/cancel").set(auth).expect(409);
    assert.equal(again.body.error.code, "conflict");
    await request(t.app).post("/api/runs/run-cancel/retry").set(auth).expect(409);
  });

  test("a failed run is retried: queued again with its failed steps cleared", async () => {
    const event = await sendEvent(t, "app/user.created", { id: "u5" });
    await createRun(t, "run-retry", event);
    await t.services.runs.ledger.saveStep("run-retry", {
      id: "boom",
      name: "boom",
      op: "run",
      status: "failed",
      attempts: 5,
      startedAt: Date.now(),
      error: { name: "Error", message: "boom" },
    });
    await t.services.runs.ledger.updateRun("run-retry", {
      status: "failed",
      endedAt: Date.now(),
      error: { name: "Error", message: "boom" },
    });
    const retried = await request(t.app).post("/api/runs/run-retry/retry").set(auth).expect(200);
    assert.equal(retried.body.run.status, "queued");
    assert.deepEqual(retried.body.run.steps, []);
  });

  test("functions are listed with their triggers and cancellations, without their code", async () => {
    const response = await request(t.app).get("/api/functions").set(auth).expect(200);
    assert.deepEqual(response.body.functions, [
      {
        id: "welcome",
        name: "welcome",
        triggers: [{ event: "app/user.created" }],
        retries: 4,
        cancelOn: [{ event: "app/user.deleted", match: "data.id" }],
        onFailure: false,
      },
    ]);
  });

  test("the development outbox lists the newest emails first", async () => {
    for (const subject of ["first", "second"]) {
      await pushOutbox(t.redis, t.services.keys.outbox, {
        messageId: subject,
        from: "a@b.c",
        to: "ada@example.com",
        subject,
        text: "hi",
        html: "<p>hi</p>",
        sentAt: Date.now(),
      });
    }
    const response = await request(t.app).get("/api/outbox?limit=1").set(auth).expect(200);
    assert.deepEqual(
      response.body.messages.map((m: { subject: string }) => m.subject),
      ["second"],
    );
  });

  test("a cross-site post is refused even with a session cookie: a form, or JSON from a sibling site", async () => {
    const signIn = await request(t.app).post("/login").type("form").send({ token: ADMIN_TOKEN }).expect(303);
    const session = String(signIn.headers["set-cookie"]).split(";")[0]!;
    const form = await request(t.app)
      .post("/api/events")
      .set("cookie", session)
      .type("form")
      .send("name=app/evil&data=x")
      .expect(415);
    assert.equal(form.body.error.code, "unsupported_media_type");
    for (const headers of [
      { origin: "https://evil.example" },
      { origin: "https://sibling.example.com" },
      { "sec-fetch-site": "same-site" },
    ]) {
      const response = await request(t.app)
        .post("/api/events")
        .set("cookie", session)
        .set(headers)
        .send({ name: "app/evil" })
        .expect(403);
      assert.equal(response.body.error.code, "cross_site_request");
    }
    await request(t.app)
      .post("/api/events")
      .set("cookie", session)
      .set("sec-fetch-site", "same-origin")
      .send({ name: "app/own" })
      .expect(201);
  });

  test("operator actions are written to the audit log: who, when and what, never a secret", async () => {
    const since = Date.now();
    const signIn = await request(t.app).post("/login").type("form").send({ token: ADMIN_TOKEN }).expect(303);
    const session = String(signIn.headers["set-cookie"]).split(";")[0]!;
    const viaSession = { cookie: session, "sec-fetch-site": "same-origin" };
    const sent = await request(t.app)
      .post("/api/events")
      .set(viaSession)
      .send({ name: "app/user.created", data: { id: "u-audit" } })
      .expect(201);
    const eventId = sent.body.ids[0] as string;
    const event = (await t.eventLog.getEvent(eventId))!;
    const replay = await request(t.app).post(`/api/events/${eventId}/replay`).set(auth).send({}).expect(201);
    await request(t.app)
      .post(`/api/events/${eventId}/edit-and-replay`)
      .set(auth)
      .send({ data: { id: "u-audit", plan: "pro" } })
      .expect(201);
    await createRun(t, "run-audit-cancel", event);
    await request(t.app).post("/api/runs/run-audit-cancel/cancel").set(auth).expect(200);
    await createOperatorRun(t, "run-audit-retry", event, "welcome", "failed");
    await request(t.app).post("/api/runs/run-audit-retry/retry").set(viaSession).expect(200);
    await request(t.app).post("/api/runs/no-such-run/cancel").set(auth).expect(404);
    await request(t.app).post("/logout").set(viaSession).expect(303);

    const { body } = await request(t.app).get("/api/audit?limit=200").set(auth).expect(200);
    const entries = (
      body.entries as Array<{
        at: number;
        actor: string;
        action: string;
        target?: string;
        details?: Record<string, unknown>;
      }>
    ).filter((entry) => entry.at >= since);
    const actions = entries.map((entry) => `${entry.action} ${entry.target ?? ""}`).reverse();
    assert.deepEqual(
      actions.slice(-7),
      [
        "sign-in ",
        `send ${eventId}`,
        `replay ${eventId}`,
        `edit-and-replay ${eventId}`,
        "cancel run-audit-cancel",
        "retry run-audit-retry",
        "sign-out ",
      ],
      "in order, newest first in the API, and nothing for the failed cancel",
    );
    // From this test's sign-in on: an action of the test before may be recorded in the same
    // millisecond as `since` (the audit write follows the answer), by that test's own session.
    const chronological = [...entries].reverse();
    const ours = chronological.slice(chronological.map((entry) => entry.action).lastIndexOf("sign-in"));
    const bySession = ours.filter((entry) => ["sign-in", "send", "retry", "sign-out"].includes(entry.action));
    const byToken = ours.filter((entry) => ["replay", "edit-and-replay", "cancel"].includes(entry.action));
    assert.equal(bySession.length, 4, "sign-in, send, retry and sign-out by the session");
    assert.equal(new Set(bySession.map((entry) => entry.actor)).size, 1, "one browser session, one actor");
    assert.match(bySession[0]!.actor, /^session:[A-Za-z0-9_-]{12}$/);
    assert.ok(byToken.every((entry) => /^token:[A-Za-z0-9_-]{8}$/.test(entry.actor)));
    assert.equal(entries.find((entry) => entry.action === "replay")?.details?.id, replay.body.id);
    const text = JSON.stringify(body);
    assert.ok(!text.includes(ADMIN_TOKEN) && !text.includes(session.split("=")[1]!), "no secret in the audit log");

    const page = await request(t.app).get("/api/audit?limit=3").set(auth).expect(200);
    const older = await request(t.app).get(`/api/audit?limit=3&before=${page.body.next}`).set(auth).expect(200);
    assert.ok(older.body.entries[0].at <= page.body.entries[2].at);
    assert.notEqual(older.body.entries[0].id, page.body.entries[2].id);
    await request(t.app).get("/api/audit?before=not-a-cursor").set(auth).expect(400);
  });
});

describe("operator API without ADMIN_TOKEN", () => {
  test("a page that reached 127.0.0.1 under its own host name (DNS rebinding) is refused", async () => {
    const t = await makeOperatorApp();
    try {
      const api = await request(t.app).get("/api/events").set("host", "attacker.example:8288").expect(403);
      assert.equal(api.body.error.code, "loopback_only");
      await request(t.app).post("/api/events").set("host", "attacker.example:8288").send({ name: "app/x" }).expect(403);
      await request(t.app).get("/").set("host", "attacker.example:8288").expect(403);
      await request(t.app).get("/api/events").set("host", "localhost:8288").expect(200);
    } finally {
      await t.close();
    }
  });

  test("http://0.0.0.0:8288 on this machine is this machine; another name is told why not, and which URL to open", async () => {
    const t = await makeOperatorApp();
    try {
      await request(t.app).get("/api/events").set("host", "0.0.0.0:8288").expect(200);
      await request(t.app).get("/").set("host", "0.0.0.0:8288").expect(200);
      const named = await request(t.app).get("/api/events").set("host", "my-laptop.lan:8288").expect(403);
      assert.equal(named.body.error.code, "loopback_only");
      assert.match(
        named.body.error.message,
        /this request came from this machine but named the bridge "my-laptop\.lan:8288".*open it as http:\/\/localhost:8288\//,
      );
      const proxied = await request(t.app)
        .get("/api/events")
        .set({ host: "localhost:8288", "x-forwarded-for": "203.0.113.9" })
        .expect(403);
      assert.match(proxied.body.error.message, /came through a proxy/);
    } finally {
      await t.close();
    }
  });

  test("a receiver that runs no functions lists those the workers published", async () => {
    const t = await makeOperatorApp();
    try {
      const before = await request(t.app).get("/api/functions").expect(200);
      assert.deepEqual(before.body.functions, []);
      await publishFunctions(t.redis, t.services.keys.functionDirectory, [welcome]);
      const after = await request(t.app).get("/api/functions").expect(200);
      assert.deepEqual(
        after.body.functions.map((fn: { id: string }) => fn.id),
        ["welcome"],
      );
    } finally {
      await t.close();
    }
  });

  test("runs are found by a function's bare id, also on a receiver that reads what the workers published", async () => {
    const t = await makeOperatorApp();
    try {
      const shop = new Inngest({ id: "shop" }).createFunction(
        { id: "welcome", triggers: [{ event: "app/user.created" }] },
        async () => "ok",
      );
      await publishFunctions(t.redis, t.services.keys.functionDirectory, [shop]);
      const listed = await request(t.app).get("/api/functions").expect(200);
      assert.deepEqual(
        listed.body.functions.map((fn: { id: string; appId: string; localId: string }) => [
          fn.id,
          fn.appId,
          fn.localId,
        ]),
        [["shop-welcome", "shop", "welcome"]],
      );
      const event = await sendEvent(t, "app/user.created", { id: "u9" });
      await createRun(t, "run-bare", event, "shop-welcome");
      for (const name of ["welcome", "shop-welcome"]) {
        const page = await request(t.app).get(`/api/runs?function=${name}`).expect(200);
        assert.deepEqual(
          page.body.runs.map((run: { id: string }) => run.id),
          ["run-bare"],
          name,
        );
      }
    } finally {
      await t.close();
    }
  });

  test("is open, as in development, and the live stream reports a new event", async () => {
    const t = await makeOperatorApp();
    const server = t.app.listen(0);
    const controller = new AbortController();
    try {
      await new Promise((resolve) => server.once("listening", resolve));
      const { port } = server.address() as { port: number };
      await request(t.app).get("/").expect(200);
      const stream = await fetch(`http://127.0.0.1:${port}/api/stream`, { signal: controller.signal });
      assert.equal(stream.headers.get("content-type"), "text/event-stream; charset=utf-8");
      const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = "";
      // The queue-event reader starts with the first subscriber; send until the event shows up.
      const sender = setInterval(
        () =>
          void request(t.app)
            .post("/api/events")
            .send({ name: "app/live.check", data: {} })
            .then(() => undefined),
        300,
      );
      try {
        while (!text.includes("app/live.check")) {
          const { value, done } = await reader.read();
          if (done) break;
          text += value;
        }
      } finally {
        clearInterval(sender);
      }
      assert.match(text, /event: event\ndata: \{"type":"event","event":\{"id":"[^"]+","name":"app\/live.check"/);
      await reader.cancel();
    } finally {
      controller.abort();
      await t.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
