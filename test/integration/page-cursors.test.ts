import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import request from "supertest";
import { INDEX_MEMBER, STREAM_ID } from "../../src/redis/cursor-forms.ts";
import { createRun, makeOperatorApp, recordInLog, type OperatorApp } from "../helpers/operator-app.ts";

const ADMIN_TOKEN = "page-cursors-admin-token-0123";
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);

/** Every listing that pages with `before`, and the form of the cursor it gives out. */
const LISTINGS = [
  "/api/events",
  "/api/events?q=app/*",
  "/api/events?q=data.n%20%3D%201",
  "/api/runs",
  "/api/deliveries",
  "/api/audit",
];

/** Cursors no listing gives out: Redis-syntax fragments, wrong forms, hostile text. */
const MALFORMED = [
  "abc",
  "(",
  "[",
  "-",
  "+",
  "1-",
  "-1",
  "1-x",
  "99999999999999999999999-1",
  "~",
  "x~y",
  "1-1~x",
  "end~end~end",
  "0000000000000|",
  "123|id",
  "\u0000",
  "%ZZ",
  "(0000000000000|x",
];

/** Whether a cursor is malformed for that listing (the property test draws from anything). */
function malformedFor(path: string, cursor: string): boolean {
  if (path.startsWith("/api/audit")) return !STREAM_ID.test(cursor);
  if (path.startsWith("/api/deliveries")) {
    const tilde = cursor.indexOf("~");
    if (tilde < 0) return true;
    const fits = (side: string, form: RegExp) => side === "" || side === "end" || form.test(side);
    return !(fits(cursor.slice(0, tilde), STREAM_ID) && fits(cursor.slice(tilde + 1), INDEX_MEMBER));
  }
  return !INDEX_MEMBER.test(cursor);
}

describe("paging cursors (issue 19)", () => {
  let t: OperatorApp;
  before(async () => {
    t = await makeOperatorApp({ ADMIN_TOKEN });
    for (let n = 0; n < 3; n++) {
      const event = {
        id: `cursor-${n}`,
        name: "app/paged",
        data: { n },
        ts: Date.now() + n,
        receivedAt: Date.now() + n,
        source: "api",
      };
      await recordInLog(t, event);
      await t.services.queues.events.add(event.name, event, { jobId: `e-${event.id}` });
      await createRun(t, `r-cursor-${n}`, event, "paged-fn", "completed");
      await t.services.audit.record({ actor: "loopback", action: "send", target: event.id });
      await t.services.deliveries.record({ source: "clerk", outcome: "signature_invalid", status: 401 });
    }
    // The names index is kept from the events queue's stream, which no worker reads here.
    await t.redis.zadd(t.services.keys.eventNames, Date.now(), "app/paged");
  });
  after(() => t.close());

  const page = (path: string, before: string) =>
    request(t.app)
      .get(`${path}${path.includes("?") ? "&" : "?"}limit=1&before=${encodeURIComponent(before)}`)
      .set(auth);

  for (const path of LISTINGS) {
    test(`${path}: a malformed before is 400 cursor_invalid, never a 500`, async () => {
      for (const cursor of MALFORMED.filter((candidate) => malformedFor(path, candidate))) {
        const response = await page(path, cursor);
        assert.equal(
          response.status,
          400,
          `${path} before=${JSON.stringify(cursor)}: ${response.status} ${response.text}`,
        );
        assert.equal(response.body.error.code, "cursor_invalid");
        assert.match(response.body.error.message, /next/);
      }
    });

    test(`${path}: the next of a page is a cursor it takes back`, async () => {
      const first = await request(t.app)
        .get(`${path}${path.includes("?") ? "&" : "?"}limit=1`)
        .set(auth)
        .expect(200);
      assert.equal(typeof first.body.next, "string", `${path} gave a next`);
      await page(path, first.body.next).expect(200);
    });
  }

  test("any search text, star-heavy patterns included: 200, or 400 when blank or past 256 characters, never a 5xx", async () => {
    const stars = fc
      .array(fc.constantFrom("*", "a", "b", "\n", ".", "/", "%", "(", "\\"), { maxLength: 300 })
      .map((chars) => chars.join(""));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          stars,
          fc.string({ maxLength: 300 }),
          fc.nat({ max: 300 }).map((n) => "*".repeat(n)),
        ),
        async (q) => {
          for (const path of ["/api/events", "/api/runs"]) {
            const key = path === "/api/events" ? "q" : "eventName";
            const response = await request(t.app)
              .get(`${path}?${key}=${encodeURIComponent(q)}`)
              .set(auth);
            // Blank (only whitespace) or longer than 256 characters once trimmed: 400; anything else is searched.
            const refused = q !== "" && (q.trim() === "" || q.trim().length > 256);
            assert.equal(
              response.status,
              refused ? 400 : 200,
              `${path} ${key}=${JSON.stringify(q.slice(0, 60))}: ${response.text.slice(0, 200)}`,
            );
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  test("any before on any listing: 200 or 400 cursor_invalid, never a 5xx", async () => {
    const cursor = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.constantFrom(...MALFORMED),
      fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `${a}-${b}`),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...LISTINGS), cursor, async (path, before) => {
        const response = await page(path, before);
        if (before === "") return assert.equal(response.status, 200); // an empty before is no before
        if (malformedFor(path, before)) {
          assert.equal(response.status, 400, `${path} before=${JSON.stringify(before)}: ${response.text}`);
          assert.equal(response.body.error.code, "cursor_invalid");
        } else {
          assert.equal(response.status, 200, `${path} before=${JSON.stringify(before)}: ${response.text}`);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
