import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createFunction } from "../../src/client/index.ts";
import { openBrowser, PHONE, WIDE, type Browser } from "../helpers/browser.ts";
import { clerkFixture, signFixture } from "../helpers/sign-fixture.ts";
import { startWholeBridge, type WholeBridge } from "../helpers/whole-bridge.ts";

/**
 * What a newcomer sees first (issue 20): empty Runs and Deliveries pages that say how to get a
 * first one (and warn when no delivery can be verified), names that break between their parts
 * on a phone, and search boxes whose hint is not cut on a laptop.
 */
let browser: Browser;
const bridges: WholeBridge[] = [];
const dataDir = mkdtempSync(join(tmpdir(), "cwb-first-look-"));

before(async () => {
  browser = await openBrowser();
});
after(async () => {
  await browser?.close();
  for (const bridge of bridges) await bridge.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function bridge(options: Parameters<typeof startWholeBridge>[0]): Promise<WholeBridge> {
  const started = await startWholeBridge(options);
  bridges.push(started);
  return started;
}

/** The text of the empty table's one cell, once the page has drawn it. */
async function emptyStateOf(base: string, hash: string, table: string): Promise<string> {
  await browser.page.goto(`${base}/${hash}`);
  const cell = browser.page.locator(`${table} tr.empty-state td`);
  await cell.waitFor();
  return (await cell.innerText()).replace(/\s+/g, " ");
}

describe("the empty Runs and Deliveries pages", () => {
  test("without CLERK_WEBHOOK_SECRET, say how to get a first one and warn that every delivery is refused", async () => {
    const { base } = await bridge({ env: { CLERK_WEBHOOK_SECRET: "" } });
    const runs = await emptyStateOf(base, "#/runs", "#runs-table");
    assert.match(runs, /No runs yet\. .*npx bridge trigger user\.created .*Send event/);
    assert.match(runs, /⚠ CLERK_WEBHOOK_SECRET is not set: every delivery to \/webhooks\/clerk is refused \(401\)/);
    assert.equal(await browser.page.locator('#runs-table .notice.warn[data-secret="missing"]').count(), 1);
    assert.equal(
      await browser.page.locator("#runs-table button.copy").getAttribute("data-copy"),
      "npx bridge trigger user.created",
    );

    const deliveries = await emptyStateOf(base, "#/deliveries", "#deliveries-table");
    assert.match(
      deliveries,
      new RegExp(
        `No deliveries yet\\. Clerk delivers webhooks to ${base.replaceAll(".", "\\.")}/webhooks/clerk .*npx bridge trigger user\\.created`,
      ),
    );
    assert.match(deliveries, /⚠ CLERK_WEBHOOK_SECRET is not set/);
    await browser.screenshots("first-look-deliveries-empty");

    // Filters that match nothing are not a first visit: they say so, without the guide.
    await browser.page.selectOption("#delivery-outcome", "accepted");
    await browser.page
      .locator("#deliveries-table td.empty", { hasText: "No deliveries match these filters." })
      .waitFor();
    assert.deepEqual(browser.errors, []);
  });

  test("with the local development secret, say that only the CLI's deliveries pass", async () => {
    const { base } = await bridge({ env: { CLERK_WEBHOOK_SECRET: "", DATA_DIR: dataDir }, localWebhookSecret: true });
    const runs = await emptyStateOf(base, "#/runs", "#runs-table");
    assert.match(
      runs,
      new RegExp(
        `CLERK_WEBHOOK_SECRET is not set: /webhooks/clerk verifies with this bridge's development secret \\(${dataDir}/clerk-webhook-secret\\), which npx bridge trigger user\\.created signs with\\. Deliveries from Clerk need CLERK_WEBHOOK_SECRET\\.`,
      ),
    );
    assert.equal(await browser.page.locator(".notice.warn").count(), 0);
    await browser.screenshots("first-look-runs-empty");
  });

  test("with CLERK_WEBHOOK_SECRET set, guide without a warning", async () => {
    const { base } = await bridge({});
    const deliveries = await emptyStateOf(base, "#/deliveries", "#deliveries-table");
    assert.match(deliveries, /No deliveries yet\./);
    assert.equal(await browser.page.locator("#deliveries-table .notice").count(), 0);
  });
});

/**
 * Where each visible `.name` element's lines end: the character before each break (a break
 * between two characters shows as the second one starting a lower line). Plain JavaScript in a
 * string: tsx would wrap named functions in a helper the page does not have.
 */
const NAME_BREAKS = `(() => [...document.querySelectorAll("#view .name")].filter((element) => element.offsetParent !== null).map((element) => {
  const text = element.textContent;
  const tops = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      tops.push(range.getClientRects()[0]?.top ?? tops[tops.length - 1] ?? 0);
    }
  }
  const after = [];
  for (let i = 1; i < tops.length; i++) if (tops[i] > tops[i - 1] + 2) after.push(text.slice(0, i));
  return { text, after };
}))()`;

describe("at 390 px", () => {
  test("event and function names break after a /, . or -, never mid-word", async () => {
    const memberships = createFunction(
      { id: "organization-membership-sync", triggers: [{ event: "clerk/organizationMembership.created" }] },
      async ({ step }) => step.run("copy-membership-to-the-crm", () => ({ copied: true })),
    );
    const { base } = await bridge({ functions: [memberships] });
    const delivery = signFixture(clerkFixture("organizationMembership.created"));
    assert.equal(
      (await fetch(`${base}/webhooks/clerk`, { method: "POST", headers: delivery.headers, body: delivery.body }))
        .status,
      200,
    );
    const eventId = delivery.headers["svix-id"]!;
    const { page } = browser;
    await page.setViewportSize(PHONE);
    try {
      const seen: Array<{ text: string; after: string[] }> = [];
      for (const [hash, ready] of [
        ["#/events", "#events-table .name"],
        [`#/events/${eventId}`, "#event-runs tbody tr .name"],
        ["#/runs", "#runs-table tbody tr .name"],
      ] as const) {
        await page.goto(`${base}/?${seen.length}${hash}`);
        await page.locator(ready).first().waitFor();
        seen.push(...((await page.evaluate(NAME_BREAKS)) as Array<{ text: string; after: string[] }>));
      }
      const run = await page.locator("#runs-table tbody tr").first().getAttribute("data-run-id");
      await page.goto(`${base}/?run#/runs/${run}`);
      await page.locator("#steps li .name").first().waitFor();
      seen.push(...((await page.evaluate(NAME_BREAKS)) as Array<{ text: string; after: string[] }>));
      await browser.screenshots("first-look-run-phone", [PHONE]);

      const wrapped = seen.filter((name) => name.after.length > 0);
      assert.ok(
        wrapped.some((name) => name.text === "clerk/organizationMembership.created"),
        `the long event name wraps at 390 px: ${JSON.stringify(seen)}`,
      );
      assert.ok(
        wrapped.some((name) => name.text === "organization-membership-sync"),
        `the function name wraps at 390 px: ${JSON.stringify(seen)}`,
      );
      for (const { text, after } of wrapped) {
        for (const before of after) assert.match(before, /[/.\- ]$/, `"${text}" breaks after "${before}"`);
      }
    } finally {
      await page.setViewportSize(WIDE);
    }
    assert.deepEqual(browser.errors, []);
  });
});

/**
 * Each visible search box's placeholder: its width as drawn in the box's font, and the width the
 * box leaves for text (inside its padding).
 */
const PLACEHOLDERS = `(() => {
  const canvas = document.createElement("canvas").getContext("2d");
  return [...document.querySelectorAll("#view input[placeholder]")].filter((input) => input.offsetParent !== null).map((input) => {
    const style = getComputedStyle(input);
    canvas.font = style.font;
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return { id: input.id, placeholder: input.placeholder, text: canvas.measureText(input.placeholder).width, room };
  });
})()`;

describe("at 1280 px", () => {
  test("the search boxes show their whole hint", async () => {
    const { base } = await bridge({});
    const { page } = browser;
    await page.setViewportSize(WIDE);
    const measured: Array<{ id: string; placeholder: string; text: number; room: number }> = [];
    for (const [hash, ready] of [
      ["#/events", "#event-search"],
      ["#/runs", "#run-search"],
    ] as const) {
      await page.goto(`${base}/?${hash.slice(2)}${hash}`);
      await page.locator(ready).waitFor();
      measured.push(...((await page.evaluate(PLACEHOLDERS)) as typeof measured));
    }
    assert.deepEqual(measured.map((box) => box.id).sort(), ["event-search", "run-search"]);
    for (const box of measured)
      assert.ok(
        box.text <= box.room,
        `"${box.placeholder}" needs ${box.text.toFixed(0)} px, the box leaves ${box.room.toFixed(0)}`,
      );
    await browser.screenshots("first-look-events-search", [WIDE]);
    assert.deepEqual(browser.errors, []);
  });
});
