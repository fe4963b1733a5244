import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { BrowserContext, Page } from "playwright-core";
import { createOperatorRouters } from "../../src/app/create-operator-routers.ts";
import { createFunction, NonRetriableError } from "../../src/client/index.ts";
import { createRegistry } from "../../src/engine/definition/registry.ts";
import { startWorkers, type RunningWorkers } from "../../src/engine/start-workers.ts";
import { workerDepsOf } from "../../src/app/worker-deps.ts";
import { createApp } from "../../src/http/create-app.ts";
import { loadTransforms } from "../../src/transforms/load-transforms.ts";
import { createSvixVerifier } from "../../src/webhooks/verify-svix-signature.ts";
import { clerkFixture, signFixture, TEST_SECRET } from "../helpers/sign-fixture.ts";
import { startTestServices } from "../helpers/test-services.ts";
import { launchChromium } from "../helpers/browser.ts";

/**
 * The dashboard in headless Chromium (Debian's, driven by playwright-core) against a whole
 * bridge: receiver, operator API, router and executor on the real Redis.
 */
const ADMIN_TOKEN = "browser-test-admin-token";
const ARTIFACTS = join(import.meta.dirname, "../../artifacts");

const profileSync = createFunction(
  { id: "profile-sync", triggers: [{ event: "clerk/user.created" }] },
  async ({ event, step }) => {
    const profile = await step.run("load-profile", () => ({
      id: event.data.id,
      name: `${event.data.first_name} ${event.data.last_name}`,
    }));
    return await step.run("save-profile", () => ({ saved: profile.id }));
  },
);
const onboarding = createFunction(
  { id: "onboarding-drip", triggers: [{ event: "clerk/user.created" }] },
  async ({ step }) => {
    await step.run("welcome-email", () => ({ queued: true }));
    await step.sleep("wait-3-days", "3 days");
    await step.run("trial-offer-email", () => ({ queued: true }));
  },
);

const crmExport = createFunction(
  { id: "crm-export", triggers: [{ event: "clerk/user.updated" }] },
  async ({ event, step }) => {
    // The user id goes in as the step's input (step.run's extra arguments), shown on the run page.
    const contact = await step.run(
      "build-contact",
      (id: string) => ({ id, email: "ada@example.com" }),
      String(event.data.id),
    );
    await step.run("push-to-crm", () => {
      throw new NonRetriableError(`the CRM rejected contact ${contact.id}: 422 duplicate email`);
    });
  },
);

let server: Server;
let base: string;
let context: BrowserContext;
let page: Page;
let profileDir: string;
const cleanups: Array<() => Promise<unknown> | unknown> = [];

before(async () => {
  // Registered as they are made and run in reverse, so a failing start still closes what it opened.
  const t = await startTestServices({ ADMIN_TOKEN });
  const { services, config } = t;
  cleanups.push(() => t.close());
  const functions = [profileSync, onboarding, crmExport];
  const connection = services.createBlockingClient();
  cleanups.push(() => connection.disconnect());
  const options = { ...config.engine, concurrency: 5, lockDurationMs: 30_000, stalledIntervalMs: 30_000 };
  const workers: RunningWorkers = await startWorkers(
    workerDepsOf(services, connection, options),
    createRegistry(functions),
  );
  cleanups.push(() => workers.close());
  const operator = createOperatorRouters({ ...services, functions });
  cleanups.push(() => operator.close());
  const transforms = await loadTransforms(config.transformsDir);
  const verifiers = new Map([["clerk", createSvixVerifier([TEST_SECRET])]]);
  const app = createApp({ ...services, transforms, verifiers, routers: operator.routers });
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  profileDir = mkdtempSync(join(tmpdir(), "bridge-chromium-"));
  context = await launchChromium(profileDir, { width: 1360, height: 860 });
  cleanups.push(
    () => rmSync(profileDir, { recursive: true, force: true }),
    () => context.close(),
  );
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
});

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function deliverClerkWebhook(type: string, data: Record<string, unknown> = {}): Promise<string> {
  const fixture = clerkFixture(type);
  const payload = { ...fixture, data: { ...(fixture.data as object), ...data } };
  const delivery = signFixture(payload);
  const response = await fetch(`${base}/webhooks/clerk`, {
    method: "POST",
    headers: delivery.headers,
    body: delivery.body,
  });
  assert.equal(response.status, 200, await response.text());
  return delivery.headers["svix-id"]!;
}

async function screenshot(name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.evaluate(() => document.getElementById("toasts")?.replaceChildren());
  await page.screenshot({ path: join(ARTIFACTS, name) });
}

/** One pixel as PNG bytes: both come from Chromium's one encoder, so equal bytes mean equal colour. */
async function pixel(x: number, y: number, { fullPage = false } = {}): Promise<Buffer> {
  return await page.screenshot({ clip: { x, y, width: 1, height: 1 }, fullPage });
}

/** Scrolls to the bottom, then measures in page coordinates (`top`, `bottom`) and on screen (`screenTop`, `screenBottom`). */
async function measureScrolledToBottom(selectors: string[]) {
  return await page.evaluate(async (selectors) => {
    // The live stream may still be growing the page (runs' badges arriving): scroll again until
    // the height holds for two frames, so the measure is of one layout.
    // (No named functions in here: the test's compiler would wrap them in a helper the page lacks.)
    for (let tries = 0; tries < 50; tries++) {
      const height = document.documentElement.scrollHeight;
      window.scrollTo(0, height);
      for (let frames = 0; frames < 2; frames++) await new Promise((resolve) => requestAnimationFrame(resolve));
      if (document.documentElement.scrollHeight === height && scrollY + innerHeight === height) break;
    }
    const boxes = Object.fromEntries(
      selectors.map((selector) => {
        const rect = document.querySelector(selector)!.getBoundingClientRect();
        return [
          selector,
          { top: rect.top + scrollY, bottom: rect.bottom + scrollY, screenTop: rect.top, screenBottom: rect.bottom },
        ];
      }),
    );
    return {
      pageHeight: document.documentElement.scrollHeight,
      viewport: innerHeight,
      seenTo: scrollY + innerHeight,
      boxes,
    };
  }, selectors);
}

test("the sign-in page takes the ADMIN_TOKEN and opens the event stream", async () => {
  await page.goto(base);
  await page.fill("#token", "not the token");
  await page.click("button[type=submit]");
  await page.waitForSelector(".form-error");
  await page.fill("#token", ADMIN_TOKEN);
  await page.click("button[type=submit]");
  await page.waitForSelector("#events-table");
  await page.waitForSelector('#live-status[data-state="live"]');
});

let svixId: string;

test("a signed Clerk webhook appears live in the stream, with its runs", async () => {
  // Delivered after the page loaded: only the live stream can bring it in, no reload happens.
  svixId = await deliverClerkWebhook("user.created", { first_name: "Ada", last_name: "Lovelace" });
  const row = page.locator(`#events-table tr[data-event-id="${svixId}"]`);
  await row.waitFor();
  assert.equal(await row.getAttribute("data-event-name"), "clerk/user.created");
  await row.locator(".badge[data-status]").nth(1).waitFor();
});

test("the event opens with its runs, and a run opens with its step timeline", async () => {
  await page.locator(`#events-table tr[data-event-id="${svixId}"]`).click();
  await page.locator("#event-runs tr[data-run-id]").nth(1).waitFor();
  await page.locator('#event-runs tr[data-run-id]:has-text("profile-sync")').click();
  await page.waitForSelector('#steps li[data-step-id="save-profile"][data-status="completed"]');
  const steps = await page
    .locator("#steps li")
    .evaluateAll((items) =>
      items.map((item) => [(item as HTMLElement).dataset.stepId, (item as HTMLElement).dataset.status]),
    );
  assert.deepEqual(steps, [
    ["load-profile", "completed"],
    ["save-profile", "completed"],
  ]);
  await page.locator('#steps li[data-step-id="load-profile"] summary').click();
  assert.match(await page.locator('#steps li[data-step-id="load-profile"] pre').innerText(), /"Ada Lovelace"/);
  await page.waitForSelector('.page-head .badge[data-status="completed"]');
});

/**
 * Opens an event's page and waits for it to be drawn: going to another event is only a change of
 * hash, and a click in between would land on the previous event's buttons, about to be replaced.
 */
async function openEvent(id: string): Promise<void> {
  await page.goto(`${base}/#/events/${encodeURIComponent(id)}`);
  await page.waitForFunction(
    (shown) => document.querySelector(".page-head .sub .id")?.textContent?.startsWith(shown) === true,
    id,
  );
}

test("replay creates a new event that links back to the original", async () => {
  await openEvent(svixId);
  await page.click("#replay");
  await page.waitForFunction(
    (id) => location.hash.startsWith("#/events/") && !location.hash.endsWith(encodeURIComponent(id)),
    svixId,
  );
  await page.waitForSelector(`a[href="#/events/${encodeURIComponent(svixId)}"]`);
  const replayId = decodeURIComponent(new URL(page.url()).hash.slice("#/events/".length));
  assert.notEqual(replayId, svixId);
  await page.locator("#event-runs tr[data-run-id]").nth(1).waitFor();
});

test("edit and replay sends the changed data as a new event", async () => {
  await openEvent(svixId);
  await page.click("#edit-replay");
  const edited = JSON.parse(await page.inputValue("#edit-data"));
  edited.first_name = "Grace";
  await page.fill("#edit-data", JSON.stringify(edited, null, 2));
  await page.click("#edit-submit");
  await page.waitForFunction((id) => !location.hash.endsWith(encodeURIComponent(id)), svixId);
  await page.waitForSelector('#event-data:has-text("Grace")');
  await page.waitForSelector(`a[href="#/events/${encodeURIComponent(svixId)}"]`);
});

test("a sleeping run is cancelled from its page", async () => {
  await openEvent(svixId);
  await page.locator('#event-runs tr[data-run-id]:has-text("onboarding-drip")').click();
  await page.waitForSelector('#steps li[data-step-id="wait-3-days"][data-status="sleeping"]');
  await page.waitForSelector('.page-head .badge[data-status="sleeping"]');
  await page.locator('#steps li[data-step-id="welcome-email"] summary').click();
  await screenshot("dashboard-run.png");
  await page.click("#cancel-run");
  await page.waitForSelector('.page-head .badge[data-status="cancelled"]');
  assert.equal(await page.locator("#cancel-run").count(), 0);
});

test("a failed run shows its error and is retried from its page", async () => {
  const eventId = await deliverClerkWebhook("user.updated");
  await openEvent(eventId);
  await page.locator('#event-runs tr[data-run-id][data-status="failed"]').click();
  await page.waitForSelector('#steps li[data-step-id="push-to-crm"][data-status="failed"]');
  assert.match(
    await page.locator('#steps li[data-step-id="push-to-crm"] .error-message').innerText(),
    /the CRM rejected contact/,
  );
  await page.click("#retry-run");
  await page.waitForSelector('.toast:has-text("Run retried")');
  // The retry runs the failed step again (and it fails again): the run goes back through the queue.
  await page.waitForSelector('#steps li[data-step-id="push-to-crm"][data-status="failed"]');
  await page.waitForSelector('.page-head .badge[data-status="failed"]');
  await page.waitForSelector('#steps li[data-step-id="build-contact"][data-status="completed"]');
  const input = page.locator('#steps li[data-step-id="build-contact"] details:has(summary:has-text("Input"))');
  await input.locator("summary").click();
  assert.match(await input.locator("pre").innerText(), /"user_/);
});

test("the send-event form sends a test event, and the functions page lists what runs", async () => {
  await page.goto(`${base}/#/send`);
  await page.fill("#send-name", "clerk/user.created");
  await page.fill("#send-data", JSON.stringify({ id: "user_from_form", first_name: "Form", last_name: "Sent" }));
  await page.click('#send-form button[type="submit"]');
  await page.waitForSelector(".page-head .name:has-text('clerk/user.created')");
  await page.waitForSelector('.meta .badge.source:has-text("dashboard")');
  await page.locator("#event-runs tr[data-run-id]").nth(1).waitFor();

  await page.goto(`${base}/#/functions`);
  await page.locator("[data-function-id]").nth(2).waitFor();
  const ids = await page
    .locator("[data-function-id]")
    .evaluateAll((cards) => cards.map((card) => (card as HTMLElement).dataset.functionId));
  assert.deepEqual(ids, ["profile-sync", "onboarding-drip", "crm-export"]);
});

test("the stream shows every event with its runs (screenshot)", async () => {
  for (const type of [
    "session.created",
    "organization.created",
    "user.created",
    "email.created",
    "user.updated",
    "session.created",
    "user.created",
  ]) {
    await deliverClerkWebhook(type);
  }
  await page.goto(`${base}/#/events`);
  await page.locator("#events-table tr[data-event-id]").nth(10).waitFor();
  // Let the live stream bring in the last runs' badges before taking the picture.
  await page.waitForFunction(
    () =>
      document.querySelectorAll(
        '#events-table .badge[data-status="queued"], #events-table .badge[data-status="running"]',
      ).length === 0,
  );
  await screenshot("dashboard.png");
});

test("on a long page the sidebar runs the page's full length and its nav stays on screen (screenshots)", async () => {
  // Sessions start no run: a cheap way to make the stream several screens long.
  for (let i = 0; i < 30; i++) await deliverClerkWebhook("session.created");
  await page.goto(`${base}/#/events`);
  await page.locator("#events-table tr[data-event-id]").nth(39).waitFor();
  const nav = '.sidebar [data-nav="runs"]';
  const { pageHeight, viewport, seenTo, boxes } = await measureScrolledToBottom([".sidebar", nav, "#live-status"]);
  assert.ok(pageHeight >= 2 * viewport, `the page is long: ${pageHeight}px in a ${viewport}px window`);
  assert.equal(seenTo, pageHeight, "scrolled to the bottom");
  assert.equal(boxes[".sidebar"]!.top, 0);
  assert.equal(Math.round(boxes[".sidebar"]!.bottom), pageHeight, "the sidebar ends where the page ends");
  for (const selector of [nav, "#live-status"]) {
    assert.ok(boxes[selector]!.screenTop >= 0 && boxes[selector]!.screenBottom <= viewport, `${selector} is on screen`);
  }

  await screenshot("dashboard-long-page.png");
  await page.screenshot({ path: join(ARTIFACTS, "dashboard-long-page-full.png"), fullPage: true });
  // The sidebar's colour, from its empty middle on screen; the content's, from the page's right margin.
  const sidebar = await pixel(110, viewport / 2);
  assert.ok(
    !sidebar.equals(await pixel(1350, pageHeight - 4, { fullPage: true })),
    "the sidebar and the page differ in colour, or this check proves nothing",
  );
  // Rendered whole (as a full-page capture or a print does), the column is the sidebar's colour all the way down.
  for (const y of [viewport + 20, Math.round(pageHeight / 2), pageHeight - 4]) {
    assert.ok(
      (await pixel(110, y, { fullPage: true })).equals(sidebar),
      `the sidebar is painted ${y}px down a ${pageHeight}px page`,
    );
  }
});

test("in a narrow window the nav is a bar that stays on screen at the bottom of a long page (screenshot)", async () => {
  await page.setViewportSize({ width: 600, height: 800 });
  try {
    await page.goto(`${base}/#/events`);
    await page.locator("#events-table tr[data-event-id]").nth(39).waitFor();
    const nav = '.sidebar [data-nav="runs"]';
    const { pageHeight, viewport, seenTo, boxes } = await measureScrolledToBottom([nav]);
    assert.ok(pageHeight >= 2 * viewport && seenTo === pageHeight, "scrolled to the bottom of a long page");
    assert.ok(boxes[nav]!.screenTop >= 0 && boxes[nav]!.screenBottom <= viewport, "the Runs link is on screen");
    await screenshot("dashboard-narrow.png");
    // A click (Playwright checks nothing covers the link) opens the runs page.
    await page.click(nav);
    await page.waitForSelector("#runs-table");
  } finally {
    await page.setViewportSize({ width: 1360, height: 860 });
  }
});

test("the audit page lists what operators did, who did it and when (screenshot)", async () => {
  await page.goto(`${base}/#/audit`);
  await page.waitForSelector('#audit-table tr[data-action="sign-in"]');
  const actions = await page
    .locator("#audit-table tbody tr")
    .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-action")));
  for (const action of ["sign-in", "replay", "edit-and-replay", "cancel", "retry"])
    assert.ok(actions.includes(action), `${action} in ${actions.join(", ")}`);
  const who = await page.locator('#audit-table tr[data-action="sign-in"] td:nth-child(2)').first().textContent();
  assert.match(who ?? "", /^session:[A-Za-z0-9_-]{12}$/);
  assert.ok(await page.locator('.sidebar [data-nav="audit"].active').isVisible());
  await screenshot("dashboard-audit.png");
});

test("Sign out revokes the session: the old cookie opens nothing any more", async () => {
  const [session] = (await context.cookies(base)).filter((cookie) => cookie.name === "bridge_session");
  assert.ok(session, "signed in");
  await page.goto(`${base}/#/events`);
  await page.click("#sign-out button");
  await page.waitForSelector("#token");
  const replayed = await fetch(`${base}/api/events`, { headers: { cookie: `bridge_session=${session.value}` } });
  assert.equal(replayed.status, 401, "the cookie was revoked on the server, not only forgotten by the browser");
  await page.fill("#token", ADMIN_TOKEN);
  await page.click("button[type=submit]");
  await page.waitForSelector("#events-table");
});
