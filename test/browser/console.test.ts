import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createFunction, NonRetriableError } from "../../src/client/index.ts";
import { openBrowser, PHONE, WIDE, type Browser } from "../helpers/browser.ts";
import { clerkFixture, signFixture, TEST_SECRET } from "../helpers/sign-fixture.ts";
import { startWholeBridge, type WholeBridge } from "../helpers/whole-bridge.ts";

/**
 * The operator console in headless Chromium against two whole bridges ("production", and a
 * developer's it can send events to): deliveries and their re-run, search, bulk actions,
 * pauses, sending to the other bridge, keyboard shortcuts, an unreachable bridge, a phone's width.
 */
const ADMIN_TOKEN = "console-browser-admin-token";
const OTHER_SECRET = `whsec_${Buffer.from("a-rotated-away-secret").toString("base64")}`;
const BROKEN_SHOP = `export default (payload: any) => ({ name: "shop/" + payload.order.kind, data: payload });\n`;
const FIXED_SHOP = `export default (payload: any, { webhookId }: { webhookId: string }) => ({ id: webhookId, name: "shop/" + payload.type, data: payload });\n`;

let crmUp = false;
const functions = [
  createFunction({ id: "welcome-email", triggers: [{ event: "clerk/user.created" }] }, async ({ event, step }) =>
    step.run("send-welcome", () => ({ to: event.data.id })),
  ),
  createFunction({ id: "crm-sync", triggers: [{ event: "clerk/user.updated" }], retries: 0 }, async ({ event, step }) =>
    step.run("push-contact", () => {
      if (!crmUp) throw new NonRetriableError(`CRM answered 503 for ${String(event.data.id)}\nretry later`);
      return { pushed: event.data.id };
    }),
  ),
  createFunction({ id: "trial-drip", triggers: [{ event: "clerk/user.created" }] }, async ({ step }) => {
    await step.sleep("wait-3-days", "3 days");
  }),
  createFunction({ id: "nightly-report", triggers: [{ cron: "0 3 * * *" }] }, async () => "sent"),
];

let prod: WholeBridge;
let dev: WholeBridge;
let browser: Browser;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "bridge-console-transforms-"));
  copyFileSync(join(import.meta.dirname, "../../transforms/clerk.ts"), join(dir, "clerk.ts"));
  writeFileSync(join(dir, "shop.ts"), BROKEN_SHOP);
  dev = await startWholeBridge();
  prod = await startWholeBridge({
    env: { ADMIN_TOKEN, TRANSFORMS_DIR: dir, SHOP_WEBHOOK_SECRET: TEST_SECRET, DEV_BRIDGE_URL: dev.base },
    functions,
  });
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await prod?.close();
  await dev?.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * What a phone-width page shows: its width and scroll width, the nav links and the badges that
 * are off screen or cut by a clipping ancestor (a table that scrolls). Plain JavaScript in a
 * string: tsx would wrap named functions in a helper the page does not have.
 */
const LAYOUT_CHECK = `(() => {
  const width = document.documentElement.clientWidth;
  const outside = (element) => { const box = element.getBoundingClientRect(); return box.left < 0 || box.right > width + 0.5; };
  const clipped = (element) => {
    const box = element.getBoundingClientRect();
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      if (getComputedStyle(parent).overflowX === "visible") continue;
      const clip = parent.getBoundingClientRect();
      if (box.left < clip.left - 0.5 || box.right > clip.right + 0.5) return true;
    }
    return false;
  };
  const nav = [...document.querySelectorAll(".sidebar nav a")];
  const badges = [...document.querySelectorAll("#view .badge")].filter((badge) => badge.offsetParent !== null);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    width,
    navOff: nav.filter((link) => outside(link) || link.offsetParent === null).map((link) => link.textContent),
    badgesOff: badges.filter((badge) => outside(badge) || clipped(badge)).map((badge) => badge.textContent),
    tablesScrolling: [...document.querySelectorAll("#view .card:has(> table)")].filter((card) => card.scrollWidth > card.clientWidth + 1).map((card) => card.querySelector("table").id),
  };
})()`;

let visits = 0;
/** A fresh load of a dashboard page (a hash alone would not re-render a page already shown). */
async function visit(hash: string): Promise<void> {
  await browser.page.goto(`${prod.base}/?visit=${++visits}${hash}`);
}

async function deliver(
  source: string,
  payload: unknown,
  options: { secret?: string; expect?: number } = {},
): Promise<string> {
  const delivery = signFixture(payload, { secret: options.secret ?? TEST_SECRET });
  const response = await fetch(`${prod.base}/webhooks/${source}`, {
    method: "POST",
    headers: delivery.headers,
    body: delivery.body,
  });
  assert.equal(response.status, options.expect ?? 200, await response.text());
  return delivery.headers["svix-id"]!;
}

function clerk(type: string, data: Record<string, unknown> = {}) {
  const fixture = clerkFixture(type);
  return { ...fixture, data: { ...(fixture.data as object), ...data } };
}

test("sign in", async () => {
  const { page } = browser;
  await page.goto(prod.base);
  await page.fill("#token", ADMIN_TOKEN);
  await page.click("button[type=submit]");
  await page.waitForSelector("#events-table");
});

test("a delivery refused for its signature appears on the Deliveries page with its reason (screenshots)", async () => {
  const { page } = browser;
  for (const type of ["user.created", "session.created", "user.updated"]) await deliver("clerk", clerk(type));
  const refused = await deliver("clerk", clerk("user.created"), { secret: OTHER_SECRET, expect: 401 });
  await visit(`#/deliveries`);
  const row = page.locator(`#deliveries-table tr[data-outcome="signature_invalid"]`).first();
  await row.waitFor();
  assert.match(await row.innerText(), /signature_invalid[\s\S]*HTTP 401[\s\S]*does not match any configured secret/);
  assert.equal(await row.locator("button.copy").getAttribute("data-copy"), refused);
  await page.waitForSelector('#deliveries-table tr[data-outcome="accepted"]');
  await row.click();
  await page.waitForSelector("text=only its size and hash are kept");
  await browser.screenshots("console-deliveries");
});

test("a delivery its template refused is re-run from the page once the template is fixed on disk", async () => {
  const { page } = browser;
  const svixId = await deliver(
    "shop",
    { type: "order.paid", data: { order_id: "ord_1", total: 4200 } },
    { expect: 422 },
  );
  await visit(`#/deliveries`);
  await page.selectOption("#delivery-outcome", "transform_failed");
  const row = page.locator('#deliveries-table tr[data-outcome="transform_failed"]').first();
  await row.waitFor();
  await row.click();
  await page.waitForSelector("#rerun-delivery");
  await page.waitForSelector('.delivery-detail .j-key:has-text("order_id")');
  await browser.screenshots("console-delivery-rerun");
  writeFileSync(join(dir, "shop.ts"), FIXED_SHOP);
  await page.click("#rerun-delivery");
  await page.waitForFunction((id) => location.hash === `#/events/${encodeURIComponent(id)}`, svixId);
  await page.waitForSelector(".page-head .name:has-text('shop/order.paid')");
  const outcomes = await page
    .locator("#event-deliveries tr")
    .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-outcome")));
  assert.deepEqual(outcomes, ["transform_failed", "rerun"]);
});

test("events are searched on the server, by email and by name pattern (screenshots)", async () => {
  const { page } = browser;
  const ada = await deliver(
    "clerk",
    clerk("user.created", {
      id: "user_ada",
      email_addresses: [{ id: "idn_1", email_address: "ada.lovelace@example.com" }],
    }),
  );
  await visit(`#/events`);
  await page.locator("#events-table tbody tr[data-event-id]").first().waitFor();
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "event-search", "/ focuses the search");
  await page.fill("#event-search", "ada.lovelace@example.com");
  await page.waitForFunction((id) => {
    const rows = document.querySelectorAll("#events-table tr[data-event-id]");
    return rows.length === 1 && rows[0]?.getAttribute("data-event-id") === id;
  }, ada);
  assert.match(await page.locator("#search-info").innerText(), /Searched the data of the newest \d+ events/);
  await browser.screenshots("console-search");
  await page.fill("#event-search", "clerk/user.*");
  await page.waitForFunction(() =>
    /Events named clerk\/user\.created, clerk\/user\.updated/.test(
      document.getElementById("search-info")?.textContent ?? "",
    ),
  );
  const names = await page
    .locator("#events-table tr[data-event-name]")
    .evaluateAll((rows) => [...new Set(rows.map((row) => row.getAttribute("data-event-name")))].sort());
  assert.deepEqual(names, ["clerk/user.created", "clerk/user.updated"]);
});

test("an event's id and payload copy, its JSON folds, and `r` replays it", async () => {
  const { page, context } = browser;
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: prod.base });
  await visit(`#/events`);
  await page.locator("#events-table tbody tr").first().waitFor();
  await page.keyboard.press("j");
  const id = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.eventId);
  assert.ok(id, "j focuses the first row");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#event-data");
  await page.click(".page-head .id button.copy");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), id);
  const folded = page.locator("#event-data details.j-node").nth(1);
  assert.equal(await folded.getAttribute("open"), "");
  await folded.locator("> summary").click();
  assert.equal(await folded.getAttribute("open"), null);
  await page.keyboard.press("r");
  await page.waitForFunction(
    (original) => location.hash.startsWith("#/events/") && !location.hash.endsWith(encodeURIComponent(original)),
    id,
  );
  await page.waitForSelector(`a[href="#/events/${encodeURIComponent(id)}"]`);
  await page.keyboard.press("?");
  await page.waitForSelector("#shortcuts[open]");
  await page.keyboard.press("Escape");
});

test("an event is sent to the second local bridge with its id", async () => {
  const { page } = browser;
  const id = await deliver("clerk", clerk("user.created", { id: "user_for_dev" }));
  await visit(`#/events/${encodeURIComponent(id)}`);
  await page.click("#send-to-dev");
  await page.waitForSelector(`.toast:has-text("Sent to ${dev.base}")`);
  const there = await fetch(`${dev.base}/api/events/${encodeURIComponent(id)}`);
  assert.equal(there.status, 200);
  assert.equal(((await there.json()) as { event: { name: string } }).event.name, "clerk/user.created");
  await browser.screenshots("console-event");
});

test("a bulk retry of 20 failed runs shows its count, then its progress to the end (screenshots)", async () => {
  const { page } = browser;
  for (let i = 0; i < 20; i++) await deliver("clerk", clerk("user.updated", { id: `user_bulk_${i}` }));
  await visit(`#/runs?function=crm-sync&status=failed`);
  await page.waitForFunction(() => document.querySelectorAll('#runs-table tr[data-status="failed"]').length >= 21);
  assert.match(await page.locator("#runs-table .run-error").first().innerText(), /^CRM answered 503 for user_/);
  await page.selectOption("#run-window", String(3_600_000));
  await page.click("#bulk-retry");
  await page.waitForSelector("#bulk-count");
  assert.equal(await page.getAttribute("#bulk-count", "data-count"), "21");
  await browser.screenshots("console-bulk-confirm");
  crmUp = true;
  await page.click("#bulk-confirm");
  await page.waitForSelector('#bulk-progress[data-state="completed"]');
  assert.equal(await page.getAttribute("#bulk-progress", "data-done"), "21");
  assert.match(await page.locator("#bulk-progress").innerText(), /Done: 21 retried, 0 skipped, 0 failed/);
  await browser.screenshots("console-bulk-done");
  await page.click("#bulk-dialog button:has-text('Close')");
  await page.selectOption("#run-status", "completed");
  await page.waitForFunction(() => document.querySelectorAll('#runs-table tr[data-status="completed"]').length === 21);
});

test("a paused function keeps its new runs queued; resuming starts them (screenshots)", async () => {
  const { page } = browser;
  await visit(`#/functions`);
  const card = page.locator('[data-function-id="welcome-email"]');
  await card.locator('button[data-action="pause"]').click();
  await page.waitForSelector('[data-function-id="welcome-email"][data-paused="true"]');
  // Executors read the paused set at most once a second: deliver once the workers' copy has it.
  while (!(await prod.services.engine!.pauses.isPaused("welcome-email")))
    await new Promise((resolve) => setTimeout(resolve, 50));
  const id = await deliver("clerk", clerk("user.created", { id: "user_while_paused" }));
  await page.waitForSelector('[data-function-id="welcome-email"] .stats[data-held="1"]');
  const runs = (await (
    await fetch(`${prod.base}/api/runs?event=${id}&function=welcome-email`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
  ).json()) as { runs: Array<{ id: string; status: string }> };
  assert.equal(runs.runs[0]?.status, "queued");
  assert.match(await page.locator("#queues").innerText(), /events queue[\s\S]*runs queue/);
  await browser.screenshots("console-functions");
  await card.locator('button[data-action="resume"]').click();
  await page.waitForSelector('.toast:has-text("1 held run started")');
  await prod.waitForRun(runs.runs[0]!.id, ["completed"]);
});

test("when the bridge does not answer, the page says so and comes back by itself", async () => {
  const { page } = browser;
  await page.route("**/api/**", (route) => route.abort("connectionrefused"));
  await visit(`#/runs`);
  await page.waitForSelector("#unreachable");
  assert.match(
    await page.locator("#unreachable").innerText(),
    new RegExp(`The bridge at ${prod.base} is not answering`),
  );
  assert.doesNotMatch(await page.locator("#view").innerText(), /Failed to fetch/);
  await browser.screenshots("console-unreachable", [WIDE]);
  await page.unroute("**/api/**");
  await page.waitForSelector("#runs-table", { timeout: 10_000 });
});

test("at 390 px every nav item is on screen and no status badge is clipped, on every page (screenshots)", async () => {
  const { page } = browser;
  await page.setViewportSize(PHONE);
  const [run] = (
    (await (
      await fetch(`${prod.base}/api/runs?function=crm-sync&limit=1`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      })
    ).json()) as { runs: Array<{ id: string; eventId: string }> }
  ).runs;
  try {
    for (const [name, hash, ready] of [
      ["event", `#/events/${encodeURIComponent(run!.eventId)}`, "#event-runs tbody tr"],
      ["run", `#/runs/${encodeURIComponent(run!.id)}`, "#steps li"],
      ["events", "#/events", "#events-table tbody tr"],
      ["runs", "#/runs", "#runs-table tbody tr"],
      ["deliveries", "#/deliveries", "#deliveries-table tbody tr"],
      ["functions", "#/functions", "[data-function-id]"],
      ["audit", "#/audit", "#audit-table tbody tr"],
    ] as const) {
      await visit(hash);
      await page.locator(ready).first().waitFor();
      const layout = (await page.evaluate(LAYOUT_CHECK)) as {
        scrollWidth: number;
        width: number;
        navOff: string[];
        badgesOff: string[];
        tablesScrolling: string[];
      };
      assert.equal(layout.scrollWidth, layout.width, `${name}: the page does not scroll sideways`);
      assert.deepEqual(layout.navOff, [], `${name}: nav items off screen`);
      assert.deepEqual(layout.badgesOff, [], `${name}: clipped badges`);
      assert.deepEqual(layout.tablesScrolling, [], `${name}: tables wider than the screen`);
      await browser.screenshots(`console-${name}-phone`, [PHONE]);
    }
    await page.click('.sidebar [data-nav="audit"]');
    await page.waitForSelector("#audit-table");
  } finally {
    await page.setViewportSize(WIDE);
  }
  assert.deepEqual(browser.errors, []);
});
