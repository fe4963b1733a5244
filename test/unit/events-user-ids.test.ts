import assert from "node:assert/strict";
import { test } from "node:test";
import { emailAddressesOf, userIdsOf } from "../../src/events/user-ids.ts";

const cases: Array<[string, Parameters<typeof userIdsOf>[0], string[]]> = [
  ["a Clerk user event names its data.id", { name: "clerk/user.updated", data: { id: "user_1" } }, ["user_1"]],
  ["another source's user events too", { name: "acme/user.created", data: { id: "user_2" } }, ["user_2"]],
  ["an organization's data.id is not a user", { name: "clerk/organization.created", data: { id: "org_1" } }, []],
  [
    "sessions and emails name data.user_id",
    { name: "clerk/session.created", data: { id: "sess_1", user_id: "user_3" } },
    ["user_3"],
  ],
  [
    "memberships name public_user_data.user_id",
    { name: "clerk/organizationMembership.created", data: { id: "orgmem_1", public_user_data: { user_id: "user_4" } } },
    ["user_4"],
  ],
  [
    "the Inngest user field: id and external_id",
    { name: "app/x", data: {}, user: { id: "user_5", external_id: "ext_5" } },
    ["user_5", "ext_5"],
  ],
  [
    "each id once, empty and non-string ids skipped",
    { name: "clerk/user.created", data: { id: "user_6", user_id: "user_6" }, user: { id: "", external_id: 7 } },
    ["user_6"],
  ],
];
for (const [name, event, expected] of cases) {
  test(`userIdsOf: ${name}`, () => assert.deepEqual(userIdsOf(event), expected));
}

test("emailAddressesOf: Clerk's email_addresses, email_address and to_email_address, each once", () => {
  assert.deepEqual(
    emailAddressesOf({
      data: {
        email_addresses: [{ email_address: "a@x.org" }, { email_address: "b@x.org" }, {}],
        email_address: "a@x.org",
        to_email_address: "c@x.org",
      },
    }),
    ["a@x.org", "b@x.org", "c@x.org"],
  );
  assert.deepEqual(emailAddressesOf({ data: { email_address: "not an address", email_addresses: "nope" } }), []);
});
