import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { primaryEmail, toUserRow, userId } from "../../src/functions/clerk-user.ts";
import { clerkFixture } from "../helpers/sign-fixture.ts";

const overview = clerkFixture("user.created").data as Record<string, unknown>;

describe("reading a Clerk user payload", () => {
  it("the primary email is the address whose id is primary_email_address_id", () => {
    const data = {
      primary_email_address_id: "idn_2",
      email_addresses: [
        { id: "idn_1", email_address: "old@example.org" },
        { id: "idn_2", email_address: "new@example.org" },
      ],
    };
    assert.equal(primaryEmail(data), "new@example.org");
  });

  it("a user without email addresses has a null email, not a crash", () => {
    assert.equal(primaryEmail({ email_addresses: [], primary_email_address_id: null }), null);
    assert.equal(primaryEmail({}), null);
    assert.equal(primaryEmail({ email_addresses: null }), null);
  });

  it("a primary id that matches no listed address gives null", () => {
    assert.equal(
      primaryEmail({ primary_email_address_id: "idn_x", email_addresses: [{ id: "idn_1", email_address: "a@b.c" }] }),
      null,
    );
  });

  it("a created payload becomes a row with dates from Clerk's epoch milliseconds", () => {
    const row = toUserRow(overview, 1);
    assert.deepEqual(
      { ...row, raw: undefined },
      {
        id: "user_29w83sxmDNGwOuEthce5gg56FcC",
        email: "example@example.org",
        firstName: "Example",
        lastName: "Example",
        imageUrl: "https://img.clerk.com/xxxxxx",
        createdAt: new Date(1654012591514),
        updatedAt: new Date(1654012591835),
        raw: undefined,
      },
    );
    assert.equal(row?.raw, overview);
  });

  it("a payload without updated_at is ordered by the event's timestamp", () => {
    const row = toUserRow({ id: "user_1" }, 1_700_000_000_000);
    assert.deepEqual(row?.updatedAt, new Date(1_700_000_000_000));
    assert.equal(row?.createdAt, null);
  });

  it("empty names are stored as null", () => {
    const row = toUserRow({ id: "user_1", first_name: "", last_name: "  ", image_url: null }, 0);
    assert.equal(row?.firstName, null);
    assert.equal(row?.lastName, null);
    assert.equal(row?.imageUrl, null);
  });

  it("a payload without an id gives no row (Clerk's user.deleted may lack one)", () => {
    assert.equal(toUserRow({ deleted: true }, 0), null);
    assert.equal(userId({ deleted: true }), null);
    assert.equal(userId({ id: "user_1" }), "user_1");
  });

  it("the user.deleted fixture carries the id it deletes", () => {
    assert.equal(
      userId(clerkFixture("user.deleted").data as Record<string, unknown>),
      "user_2g7np7Hrk0SN6kj5EDMLDaKNL0S",
    );
  });
});
