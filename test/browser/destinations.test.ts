import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { BrowserContext, Page } from "playwright-core";
import { createOperatorRouters } from "../../src/app/create-operator-routers.ts";
import { checkDestination } from "../../src/destinations/check-destination.ts";
import { defineDestination } from "../../src/destinations/define-destination.ts";
import { publishDestinations } from "../../src/destinations/destination-directory.ts";
import { createDestinationsFunction } from "../../src/destinations/destinations-function.ts";
import type { BridgeFunction } from "../../src/client/index.ts";
import { createRegistry } from "../../src/engine/definition/registry.ts";
import { runIdFor } from "../../src/engine/store/run-id.ts";
import { startWorkers } from "../../src/engine/start-workers.ts";
import { acceptEvents } from "../../src/events/accept-events.ts";
import { createApp } from "../../src/http/create-app.ts";
import { workerDepsOf } from "../../src/app/worker-deps.ts";
import { loadTransforms } from "../../src/transforms/load-transforms.ts";
import { startHttpReceiver } from "../helpers/http-receiver.ts";
import { LOCAL_RECEIVERS } from "../helpers/outbound.ts";
import { startTestServices } from "../helpers/test-services.ts";
import { launchChromium } from "../helpers/browser.ts";

/**
 * The destinations on the dashboard, in headless Chromium against a bridge on the real Redis: a
 * run's delivery steps show each answer, the functions page shows which destinations are on.
 */
const ADMIN_TOKEN = "browser-test-admin-token";
const ARTIFACTS = join(import.meta.dirname, "../../artifacts");

let base: string;
let page: Page;
let runId: string;
const cleanups: Array<() => Promise<unknown> | unknown> = [];

const postTo = (name: string, variable: string) =>
  defineDestination({
    name,
    env: [variable],
    events: ["clerk/user.created"],
    request: (event, env) => ({ url: env[variable as never] as string, body: { id: event.data.id } }),
  });

before(async () => {
  const crm = await startHttpReceiver((_request, index) =>
    index === 0 ? { status: 502, body: "bad gateway" } : { status: 201, body: '{"contact":"c_1"}' },
  );
  const strict = await startHttpReceiver(() => ({ status: 422, body: '{"error":"email is required"}' }));
  cleanups.push(
    () => crm.close(),
    () => strict.close(),
  );
  const environment = { CRM_URL: `${crm.url}/contacts`, STRICT_URL: strict.url };
  const destinations = [
    checkDestination(postTo("crm", "CRM_URL"), "/srv/destinations/crm.ts", environment),
    checkDestination(postTo("strict", "STRICT_URL"), "/srv/destinations/strict.ts", environment),
    checkDestination(postTo("pager", "PAGER_URL"), "/srv/destinations/pager.ts", environment),
  ];

  const t = await startTestServices({ ADMIN_TOKEN, ...LOCAL_RECEIVERS });
  const { services, config } = t;
  cleanups.push(() => t.close());
  const functions = [createDestinationsFunction({ destinations, fetch: services.outbound }) as BridgeFunction];
  const connection = services.createBlockingClient();
  cleanups.push(() => connection.disconnect());
  const workers = await startWorkers(
    workerDepsOf(services, connection, { ...config.engine, retryBaseMs: 50 }),
    createRegistry(functions),
  );
  cleanups.push(() => workers.close());
  await publishDestinations(services.redis, services.keys.destinationDirectory, destinations);
  const operator = createOperatorRouters({ ...services, functions });
  cleanups.push(() => operator.close());
  const app = createApp({
    ...services,
    transforms: await loadTransforms(config.transformsDir),
    verifiers: new Map(),
    routers: operator.routers,
  });
  const server: Server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  const [eventId] = await acceptEvents(
    services.accept,
    [{ id: "evt-browser", name: "clerk/user.created", data: { id: "user_1" } }],
    "test",
  );
  runId = runIdFor("bridge-destinations", eventId as string);

  const profileDir = mkdtempSync(join(tmpdir(), "bridge-chromium-"));
  const context: BrowserContext = await launchChromium(profileDir, { width: 1360, height: 860 });
  cleanups.push(
    () => rmSync(profileDir, { recursive: true, force: true }),
    () => context.close(),
  );
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  await page.goto(base);
  await page.fill("#token", ADMIN_TOKEN);
  await page.click("button[type=submit]");
  await page.waitForSelector("#events-table");
});

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

test("a run's delivery steps show each destination's status code, attempts and answer", async () => {
  await page.goto(`${base}/#/runs/${encodeURIComponent(runId)}`);
  await page.waitForSelector('.page-head .badge[data-status="failed"]');
  const delivered = page.locator('#steps li[data-step-id="deliver crm"][data-status="completed"] .delivery');
  assert.equal(await delivered.getAttribute("data-status"), "201");
  assert.match(
    await delivered.innerText(),
    /HTTP 201[\s\S]*POST 127\.0\.0\.1:\d+[\s\S]*2 attempts[\s\S]*\{"contact":"c_1"\}/,
  );
  const refused = page.locator('#steps li[data-step-id="deliver strict"][data-status="failed"] .delivery');
  assert.equal(await refused.getAttribute("data-status"), "422");
  assert.match(await refused.innerText(), /HTTP 422[\s\S]*1 attempt[\s\S]*email is required/);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, "dashboard-destinations-run.png"), fullPage: true });
});

test("the functions page lists the destinations, on and off, and what an off one needs", async () => {
  await page.goto(`${base}/#/functions`);
  await page.waitForSelector("#destinations [data-destination]");
  const cards = await page
    .locator("#destinations [data-destination]")
    .evaluateAll((items) =>
      items.map((item) => [(item as HTMLElement).dataset.destination, (item as HTMLElement).dataset.on]),
    );
  assert.deepEqual(cards, [
    ["crm", "true"],
    ["strict", "true"],
    ["pager", "false"],
  ]);
  assert.match(
    await page.locator('#destinations [data-destination="pager"]').innerText(),
    /off[\s\S]*pager\.ts[\s\S]*clerk\/user\.created[\s\S]*PAGER_URL/,
  );
});
