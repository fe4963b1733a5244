import type { BridgeEvent } from "./event-schema.ts";
import { fieldsOf } from "../util/json-object.ts";

/**
 * The users an event names, for erasure: a Clerk `user.*` event's `data.id`; `data.user_id`
 * (sessions, emails, SMS); `data.public_user_data.user_id` (organization memberships); and the
 * Inngest `user` field's `id` or `external_id`. Pure.
 */
export function userIdsOf(event: Pick<BridgeEvent, "name" | "data" | "user">): string[] {
  const data = fieldsOf(event.data);
  const user = fieldsOf(event.user);
  const candidates = [
    /\/user\.[A-Za-z]+$/.test(event.name) ? data.id : undefined,
    data.user_id,
    fieldsOf(data.public_user_data).user_id,
    user.id,
    user.external_id,
  ];
  return [...new Set(candidates.filter((id): id is string => typeof id === "string" && id !== ""))];
}

/** Every email address an event's data holds (Clerk's `email_addresses`, `email_address`, `to_email_address`). */
export function emailAddressesOf(event: Pick<BridgeEvent, "data">): string[] {
  const data = fieldsOf(event.data);
  const listed = Array.isArray(data.email_addresses)
    ? data.email_addresses.map((entry) => fieldsOf(entry).email_address)
    : [];
  return [
    ...new Set(
      [...listed, data.email_address, data.to_email_address].filter(
        (email): email is string => typeof email === "string" && email.includes("@"),
      ),
    ),
  ];
}
