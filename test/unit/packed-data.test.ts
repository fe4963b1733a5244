import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { isPackedData, packEventData, PACK_DATA_MIN_BYTES, unpackData } from "../../src/crypto/packed-data.ts";
import { createSealer, IDENTITY_SEALER } from "../../src/crypto/sealer.ts";
import { clerkFixture } from "../helpers/sign-fixture.ts";

const signUp = { id: "msg_1", name: "clerk/user.created", ts: 1, data: clerkFixture("user.created").data as object };

describe("an event's data packed at rest", () => {
  test("a sign-up's data is packed into a string of under half its JSON, and opens to what was sent", () => {
    const packed = packEventData(signUp);
    assert.ok(isPackedData(packed.data));
    assert.ok(
      (packed.data as string).length < JSON.stringify(signUp.data).length / 2,
      `${(packed.data as string).length} of ${JSON.stringify(signUp.data).length}`,
    );
    assert.deepEqual({ ...packed, data: undefined }, { ...signUp, data: undefined }, "id, name and times as they were");
    assert.deepEqual(IDENTITY_SEALER.openEvent(packed), signUp);
    assert.deepEqual(createSealer([randomBytes(32)]).openEvent(packed), signUp, "a key set later opens it too");
    assert.deepEqual(JSON.parse(JSON.stringify(packed)), packed, "still JSON for BullMQ");
  });

  test("with ENCRYPTION_KEY the packed data is what is sealed: shorter, and opens to what was sent", () => {
    const sealer = createSealer([randomBytes(32)]);
    const sealed = sealer.sealEvent(packEventData(signUp));
    const sealedWhole = sealer.sealEvent(signUp);
    const length = (event: { data: unknown }) => String(event.data).length;
    assert.ok(length(sealed) < (length(sealedWhole) * 2) / 3, `${length(sealed)} of ${length(sealedWhole)}`);
    assert.deepEqual(sealer.openEvent(sealed), signUp);
    assert.deepEqual(sealer.openEvent(sealedWhole), signUp, "data sealed before packing existed");
  });

  test("small data stays as it is", () => {
    const small = { ...signUp, data: { id: "user_1", object: "user" } };
    assert.ok(JSON.stringify(small.data).length < PACK_DATA_MIN_BYTES);
    assert.equal(packEventData(small), small);
    assert.equal(IDENTITY_SEALER.openEvent(small), small);
  });

  test("data that cannot be serialised is left for the store to refuse, not thrown here", () => {
    const cyclic: Record<string, unknown> = { id: "user_1" };
    cyclic.self = cyclic;
    const event = { ...signUp, data: cyclic };
    assert.equal(packEventData(event), event);
  });

  test("data packed by v1 (its dictionary frozen) still opens", () => {
    const v1 =
      "zip:v1:q1bKhCXzeKPEpGQlHYQ8OO3roLrRMSVRSQfFpT75Zak5icmpSjqYaT4aanxmSl68IbLRqLlFByP3JKYkOqRWJOYW5KTq5RelK+mgVVLVCB9DJFJTlHSQq2aIgeCGc60OcrM7OrY2VgclQAzNDRBAByXg0KQw4q+6VgdLPINEMbIOSBA5DjNKSgqKrfT1M3PT9cANTL3k/Fz9isoqpVoA";
    assert.deepEqual(unpackData(v1), {
      id: "user_2abc",
      object: "user",
      first_name: "Ada",
      last_name: "Lovelace",
      email_addresses: [
        {
          id: "idn_1",
          object: "email_address",
          email_address: "ada@example.org",
          verification: { status: "verified", strategy: "email_code" },
          linked_to: [],
        },
      ],
      created_at: 1700000000000,
      updated_at: 1700000000000,
      public_metadata: {},
      private_metadata: {},
      unsafe_metadata: {},
      image_url: "https://img.clerk.com/xyz",
    });
  });
});
