import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, mock, test } from "node:test";
import { Webhook } from "svix";
import { BridgeError } from "../../src/errors.ts";
import {
  createSvixVerifier,
  createVerifiers,
  verifierOf,
  verifySvixSignature,
} from "../../src/webhooks/verify-svix-signature.ts";
import { FIXTURES_DIR, TEST_SECRET } from "../helpers/sign-fixture.ts";

interface Vector {
  secret: string;
  id: string;
  timestamp: string;
  payload: string;
  signature: string;
  valid: boolean;
  note: string;
}

const vectors: Vector[] = JSON.parse(readFileSync(join(FIXTURES_DIR, "svix", "vectors.json"), "utf8"));
const largeVectors: Array<Omit<Vector, "payload"> & { payload_char: string; payload_length: number }> = JSON.parse(
  readFileSync(join(FIXTURES_DIR, "svix", "vectors-large.json"), "utf8"),
);

/** The vectors are years old; pin the clock to each one's timestamp, as Svix's own tests do. */
function atTimestamp(seconds: string) {
  mock.timers.enable({ apis: ["Date"], now: Number(seconds) * 1000 });
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    assert.ok(error instanceof BridgeError, `expected a BridgeError, got ${error}`);
    return error.code;
  }
}

afterEach(() => mock.timers.reset());

describe("Svix's own signature vectors", () => {
  for (const vector of vectors) {
    test(`${vector.valid ? "accepts" : "rejects"}: ${vector.note}`, () => {
      atTimestamp(vector.timestamp);
      const headers = { "svix-id": vector.id, "svix-timestamp": vector.timestamp, "svix-signature": vector.signature };
      const code = codeOf(() => verifySvixSignature(createSvixVerifier([vector.secret]), vector.payload, headers));
      assert.equal(code, vector.valid ? undefined : "signature_invalid");
    });
  }

  for (const vector of largeVectors) {
    test(`accepts a ${vector.payload_length}-byte payload`, () => {
      atTimestamp(vector.timestamp);
      const payload = vector.payload_char.repeat(vector.payload_length);
      const headers = { "svix-id": vector.id, "svix-timestamp": vector.timestamp, "svix-signature": vector.signature };
      const verified = verifySvixSignature(createSvixVerifier([vector.secret]), payload, headers);
      assert.equal(verified.body.length, vector.payload_length);
    });
  }
});

describe("verifySvixSignature", () => {
  const body = '{"type":"user.created","data":{}}';
  const now = new Date();
  const sign = (secret: string, timestamp = now, id = "msg_1") => ({
    "svix-id": id,
    "svix-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "svix-signature": new Webhook(secret).sign(id, timestamp, body),
  });
  const oldSecret = TEST_SECRET;
  const newSecret = "whsec_" + Buffer.from("a-new-secret-after-rotation!").toString("base64");

  test("returns the id, timestamp and untouched body of a valid delivery", () => {
    const verified = verifySvixSignature(createSvixVerifier([oldSecret]), body, sign(oldSecret));
    assert.equal(verified.id, "msg_1");
    assert.equal(verified.timestamp, Math.floor(now.getTime() / 1000));
    assert.equal(verified.body, body);
  });

  test("during a rotation, deliveries signed with either secret pass", () => {
    const verifier = createSvixVerifier([newSecret, oldSecret]);
    assert.equal(
      codeOf(() => verifySvixSignature(verifier, body, sign(oldSecret))),
      undefined,
    );
    assert.equal(
      codeOf(() => verifySvixSignature(verifier, body, sign(newSecret))),
      undefined,
    );
  });

  test("a secret that is not configured is rejected", () => {
    assert.equal(
      codeOf(() => verifySvixSignature(createSvixVerifier([newSecret]), body, sign(oldSecret))),
      "signature_invalid",
    );
  });

  test("the Standard Webhooks header names work like the svix-* ones", () => {
    const svix = sign(oldSecret);
    const headers = {
      "webhook-id": svix["svix-id"],
      "webhook-timestamp": svix["svix-timestamp"],
      "webhook-signature": svix["svix-signature"],
    };
    assert.equal(verifySvixSignature(createSvixVerifier([oldSecret]), body, headers).id, "msg_1");
  });

  test("a timestamp more than 5 minutes old or ahead is stale", () => {
    const verifier = createSvixVerifier([oldSecret]);
    const old = new Date(now.getTime() - 6 * 60_000);
    const ahead = new Date(now.getTime() + 6 * 60_000);
    assert.equal(
      codeOf(() => verifySvixSignature(verifier, body, sign(oldSecret, old))),
      "timestamp_stale",
    );
    assert.equal(
      codeOf(() => verifySvixSignature(verifier, body, sign(oldSecret, ahead))),
      "timestamp_stale",
    );
  });

  test("a timestamp within the tolerance passes", () => {
    const fourMinutesAgo = new Date(now.getTime() - 4 * 60_000);
    assert.equal(
      codeOf(() => verifySvixSignature(createSvixVerifier([oldSecret]), body, sign(oldSecret, fourMinutesAgo))),
      undefined,
    );
  });

  test("a missing header is reported as such, for each of the three", () => {
    for (const name of ["svix-id", "svix-timestamp", "svix-signature"] as const) {
      const headers: Record<string, string> = { ...sign(oldSecret) };
      delete headers[name];
      assert.equal(
        codeOf(() => verifySvixSignature(createSvixVerifier([oldSecret]), body, headers)),
        "headers_missing",
        name,
      );
    }
  });

  test("a non-numeric timestamp is an invalid header", () => {
    const headers = { ...sign(oldSecret), "svix-timestamp": "yesterday" };
    assert.equal(
      codeOf(() => verifySvixSignature(createSvixVerifier([oldSecret]), body, headers)),
      "headers_invalid",
    );
  });

  test("one changed byte in the body fails the signature", () => {
    const tampered = body.replace("created", "deleted");
    assert.equal(
      codeOf(() => verifySvixSignature(createSvixVerifier([oldSecret]), tampered, sign(oldSecret))),
      "signature_invalid",
    );
  });

  test("with no secret configured nothing passes", () => {
    assert.equal(
      codeOf(() => verifySvixSignature(createSvixVerifier([]), body, sign(oldSecret))),
      "signature_invalid",
    );
  });

  test("a source without a secret is refused naming the variable to set", () => {
    const refusal = messageOf(() => verifySvixSignature(verifierOf(new Map(), "clerk"), body, sign(oldSecret)));
    assert.match(
      refusal,
      /^CLERK_WEBHOOK_SECRET is not set, so no delivery can be verified: set it to the endpoint's signing secret/,
    );
    assert.match(
      messageOf(() => verifySvixSignature(verifierOf(new Map(), "acme-shop"), body, sign(oldSecret))),
      /^ACME_SHOP_WEBHOOK_SECRET is not set/,
    );
  });

  test("a delivery that does not match the local development secret says the variable is unset", () => {
    const verifiers = createVerifiers({
      webhookSecrets: { clerk: [oldSecret] },
      localWebhookSecret: { source: "clerk", variable: "CLERK_WEBHOOK_SECRET", file: "data/clerk-webhook-secret" },
    });
    assert.equal(verifySvixSignature(verifierOf(verifiers, "clerk"), body, sign(oldSecret)).id, "msg_1");
    const refusal = messageOf(() => verifySvixSignature(verifierOf(verifiers, "clerk"), body, sign(newSecret)));
    assert.match(
      refusal,
      /local development secret \(CLERK_WEBHOOK_SECRET is not set\): a delivery from Clerk needs CLERK_WEBHOOK_SECRET/,
    );
    assert.doesNotMatch(refusal, /data\//, "no path of the machine in an answer to the network");
  });
});

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof BridgeError && error.code === "signature_invalid");
    return error.message;
  }
  assert.fail("expected a refusal");
}
