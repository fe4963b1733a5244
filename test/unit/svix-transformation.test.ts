import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { BridgeError, StartupError } from "../../src/errors.ts";
import { applyTransform } from "../../src/transforms/apply-transform.ts";
import { loadTransforms } from "../../src/transforms/load-transforms.ts";
import { adaptSvixHandler, callModuleHandler, type SvixWebhook } from "../../src/transforms/svix-handler.ts";
import type { Transform } from "../../src/transforms/transform-types.ts";
import { clerkFixture, CLERK_SAMPLES_DIR, FIXTURES_DIR } from "../helpers/sign-fixture.ts";

const SCRIPTS_DIR = join(FIXTURES_DIR, "svix-transformations");
const context = { source: "clerk", webhookId: "msg_2abc", webhookTimestamp: 1716883260 };
const docsUserCreated = () => JSON.parse(readFileSync(join(CLERK_SAMPLES_DIR, "user.created.json"), "utf8"));

/** A template from one file, loaded the way the bridge loads TRANSFORMS_DIR. */
async function loadOne(file: string, code: string): Promise<Transform> {
  const dir = mkdtempSync(join(tmpdir(), "cwb-svix-"));
  writeFileSync(join(dir, file), code);
  const transform = (await loadTransforms(dir)).get(file.replace(/\.[^.]+$/, ""));
  assert.ok(transform);
  return transform;
}

async function loadFailure(file: string, code: string): Promise<string> {
  try {
    await loadOne(file, code);
  } catch (error) {
    assert.ok(error instanceof StartupError);
    assert.equal(error.code, "transform_invalid");
    assert.match(error.message, new RegExp(file.replace(".", "\\.")));
    return error.message;
  }
  assert.fail("expected the template to fail to load");
}

async function runFailure(transform: Transform, payload: unknown): Promise<string> {
  try {
    await applyTransform(transform, payload, context, 1000);
  } catch (error) {
    assert.ok(error instanceof BridgeError);
    assert.equal(error.code, "transform_failed");
    return error.message;
  }
  assert.fail("expected the template to fail");
}

const fromHandler = (handler: (webhook: SvixWebhook) => unknown) => adaptSvixHandler(callModuleHandler(handler));

describe("a Svix transformation dropped into transforms/ as a plain script", async () => {
  const registry = await loadTransforms(SCRIPTS_DIR);
  const script = registry.get("clerk")!;

  test("the folder's scripts and module load under their file names", () => {
    assert.deepEqual([...registry.keys()], ["clerk-inngest", "clerk-redact", "clerk"]);
  });

  test("a payload it renames becomes the event it names, with the svix-id and Clerk's timestamp", async () => {
    const payload = docsUserCreated();
    assert.deepEqual(await applyTransform(script, payload, context, 1000), [
      {
        id: "msg_2abc",
        name: "app/user.signed-up",
        // A Date in the payload arrives as JSON would carry it, as Svix would have sent it.
        data: {
          userId: "user_29w83sxmDNGwOuEthce5gg56FcC",
          email: "example@example.org",
          signedUpAt: "2022-05-31T15:56:31.514Z",
        },
        ts: 1654012591835,
      },
    ]);
  });

  test("session.* cancelled by the script is dropped: no event", async () => {
    for (const type of ["session.created", "session.ended", "session.revoked"]) {
      assert.deepEqual(await applyTransform(script, clerkFixture(type), context, 1000), []);
    }
  });

  test("a reshaped payload is the data of <source>/<Clerk's type>: the eventType it set is ignored", async () => {
    const payload = clerkFixture("organization.created");
    const data = payload.data as { id: string };
    assert.deepEqual(await applyTransform(script, payload, context, 1000), [
      {
        id: "msg_2abc",
        name: "clerk/organization.created",
        data: { objectId: data.id, kind: "organization.created", instance: payload.instance_id },
        ts: 1716883200_000,
      },
    ]);
  });

  test("Clerk's Inngest template gives the same events as Clerk's envelope does", async () => {
    const template = registry.get("clerk-inngest")!;
    for (const type of ["user.created", "user.updated", "user.deleted"]) {
      const payload = clerkFixture(type);
      // The spec's examples are dated in seconds, the docs' user.created in milliseconds.
      const ts = (payload.timestamp as number) < 1e12 ? (payload.timestamp as number) * 1000 : payload.timestamp;
      assert.deepEqual(await applyTransform(template, payload, context, 1000), [
        { id: "msg_2abc", name: `clerk/${type}`, data: payload.data, ts },
      ]);
    }
  });

  test("an ES module exporting handler works the same; an edited envelope keeps only its data", async () => {
    const payload = docsUserCreated();
    const [event] = await applyTransform(
      registry.get("clerk-redact")!,
      payload,
      { ...context, source: "clerk-redact" },
      1000,
    );
    const { phone_numbers: _removed, ...rest } = payload.data;
    assert.deepEqual(event, { id: "msg_2abc", name: "clerk-redact/user.created", data: rest, ts: 1654012591835 });
  });

  test("what a script declares stays in its own context, and Node's globals are not in it", async () => {
    const transform = await loadOne(
      "probe.js",
      `var leakedVar = 1; leakedGlobal = 2;
       function handler(webhook) {
         console.log("V8's console writes to an attached inspector only");
         webhook.payload = { data: { process: typeof process, require: typeof require, fetch: typeof fetch, json: typeof JSON } };
         return webhook;
       }`,
    );
    const [event] = await applyTransform(transform, { type: "probe.ran" }, context, 1000);
    assert.deepEqual(event?.data, { process: "undefined", require: "undefined", fetch: "undefined", json: "object" });
    const bridgeGlobals = globalThis as Record<string, unknown>;
    assert.equal(bridgeGlobals.leakedVar, undefined);
    assert.equal(bridgeGlobals.leakedGlobal, undefined);
    assert.equal(bridgeGlobals.handler, undefined);
  });

  test("a handler declared with const is found too", async () => {
    const transform = await loadOne(
      "arrow.js",
      "const handler = (webhook) => { webhook.cancel = true; return webhook; };\n",
    );
    assert.deepEqual(await applyTransform(transform, { type: "a.b" }, context, 1000), []);
  });
});

describe("a Svix transformation that cannot load stops the start, naming its file", () => {
  test("a script without a handler", async () => {
    assert.match(
      await loadFailure("nohandler.js", "function transform(webhook) { return webhook; }\n"),
      /must declare function handler\(webhook\)/,
    );
  });

  test("a script that throws at its top level, with the line", async () => {
    const message = await loadFailure(
      "throws.js",
      "\nvar settings = missingVariable.value;\nfunction handler(w) { return w; }\n",
    );
    assert.match(message, /ReferenceError: missingVariable is not defined \(throws\.js:2:\d+\)/);
  });

  test("a script whose top level never ends", async () => {
    assert.match(await loadFailure("loops.js", "while (true) {}\nfunction handler(w) { return w; }\n"), /timed out/);
  });

  test("a script with a syntax error", async () => {
    assert.match(
      await loadFailure("typo.js", "function handler(webhook) {\n  return webhook\n"),
      /cannot load the template/,
    );
  });

  test("a module that exports neither a default nor a handler", async () => {
    assert.match(
      await loadFailure("neither.mjs", "export const other = 1;\n"),
      /default export must be a function.*handler\(webhook\)/,
    );
  });
});

describe("what a Svix handler returns becomes events, or a 422 that says why", () => {
  test("an error thrown by a script's handler names its type, message and line", async () => {
    const transform = await loadOne(
      "fails.js",
      "function handler(webhook) {\n  return webhook.payload.data.missing.field;\n}\n",
    );
    assert.match(
      await runFailure(transform, { type: "user.created", data: {} }),
      /TypeError: Cannot read properties of undefined \(reading 'field'\) \(fails\.js:2:\d+\)/,
    );
  });

  test("a script's handler returning a promise is refused: Svix's handlers are synchronous", async () => {
    const transform = await loadOne("async.js", "async function handler(webhook) { return webhook; }\n");
    assert.match(await runFailure(transform, { type: "user.created", data: {} }), /returned a promise/);
  });

  test("returning nothing, or something other than the webhook", async () => {
    assert.match(
      await runFailure(
        fromHandler(() => undefined),
        { type: "a.b" },
      ),
      /must return the webhook it was given, not undefined/,
    );
    assert.match(
      await runFailure(
        fromHandler((webhook) => webhook.payload),
        { type: "a.b", data: {} },
      ),
      /without a payload/,
    );
  });

  test("a payload that is no JSON object, or has no type to name the event after", async () => {
    assert.match(
      await runFailure(
        fromHandler((webhook) => ({ ...webhook, payload: "text" })),
        { type: "a.b" },
      ),
      /must be a JSON object/,
    );
    assert.match(
      await runFailure(
        fromHandler((webhook) => webhook),
        { data: { id: "x" } },
      ),
      /no `type`/,
    );
  });

  test("the handler receives Svix's webhook object", async () => {
    let seen: SvixWebhook | undefined;
    const payload = clerkFixture("user.updated");
    await applyTransform(
      fromHandler((webhook) => ((seen = structuredClone(webhook)), webhook)),
      payload,
      context,
      1000,
    );
    assert.deepEqual(seen, { method: "POST", url: "", eventType: "user.updated", payload, headers: {}, cancel: false });
  });

  test("an array of Inngest events gives one event each, with ids a redelivery repeats", async () => {
    const transform = fromHandler((webhook) => ({
      ...webhook,
      payload: [
        { name: "app/one", data: {} },
        { name: "app/two", data: {}, id: "own", ts: 1_700_000_000 },
      ],
    }));
    assert.deepEqual(await applyTransform(transform, { type: "a.b", timestamp: 1654012591835 }, context, 1000), [
      { id: "msg_2abc-0", name: "app/one", data: {}, ts: 1654012591835 },
      { id: "own", name: "app/two", data: {}, ts: 1_700_000_000_000 },
    ]);
  });

  test("an object with a name but other keys is a payload, not an event", async () => {
    const transform = fromHandler((webhook) => ({
      ...webhook,
      payload: { name: "Ada", data: { x: 1 }, role: "admin" },
    }));
    const [event] = await applyTransform(transform, { type: "user.updated" }, context, 1000);
    assert.deepEqual(event, { id: "msg_2abc", name: "clerk/user.updated", data: { x: 1 }, ts: 1716883260_000 });
  });

  test("an async handler exported by a module is awaited", async () => {
    const transform = fromHandler(async (webhook) => ({ ...webhook, cancel: true }));
    assert.deepEqual(await applyTransform(transform, { type: "a.b" }, context, 1000), []);
  });
});
