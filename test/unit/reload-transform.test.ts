import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { StartupError } from "../../src/errors.ts";
import { loadTransforms, reloadTransform } from "../../src/transforms/load-transforms.ts";

const dir = mkdtempSync(join(tmpdir(), "bridge-reload-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const context = { source: "shop", webhookId: "msg_1", webhookTimestamp: 1 };

test("a TypeScript template fixed on disk is read again by a reload; the one loaded at start is unchanged", async () => {
  writeFileSync(
    join(dir, "shop.ts"),
    `export default (payload: { kind: string }) => ({ name: "shop/" + payload.kind.toUpperCase(), data: {} });\n`,
  );
  const atStart = (await loadTransforms(dir)).get("shop")!;
  assert.throws(() => atStart({}, context), /toUpperCase/);
  writeFileSync(
    join(dir, "shop.ts"),
    `export default (payload: { type?: string }) => ({ name: "shop/" + (payload.type ?? "unknown"), data: {} });\n`,
  );
  const fixed = await reloadTransform(dir, "shop");
  assert.deepEqual(fixed({ type: "order.paid" }, context), { name: "shop/order.paid", data: {} });
  assert.throws(() => atStart({}, context), /toUpperCase/, "the running route keeps its template until a restart");
});

test("a Svix script is read again too, and a source without a file is named", async () => {
  writeFileSync(join(dir, "mail.js"), "function handler(webhook) { webhook.payload.v = 1; return webhook; }\n");
  const first = await reloadTransform(dir, "mail");
  writeFileSync(join(dir, "mail.js"), "function handler(webhook) { webhook.payload.v = 2; return webhook; }\n");
  const second = await reloadTransform(dir, "mail");
  const run = async (transform: typeof first) =>
    JSON.stringify(await transform({ name: "mail/x", data: {} }, { ...context, source: "mail" }));
  assert.notEqual(await run(first), await run(second));
  await assert.rejects(
    reloadTransform(dir, "nothing"),
    (error: unknown) => error instanceof StartupError && /no template for source "nothing"/.test(error.message),
  );
});
