import { EventSchemas, Inngest } from "../client/index.ts";
import type { ClerkUserData } from "./clerk-user.ts";
import { BRIDGE_APP_ID } from "./built-in-ids.ts";

/**
 * The built-in functions' client, written as Inngest users write theirs: the Clerk user events
 * are typed once here, so handlers read `event.data` as a Clerk user without a cast.
 */
export const bridgeApp = new Inngest({
  id: BRIDGE_APP_ID,
  schemas: new EventSchemas().fromRecord<{
    "clerk/user.created": { data: ClerkUserData };
    "clerk/user.updated": { data: ClerkUserData };
    "clerk/user.deleted": { data: ClerkUserData };
    "clerk/user.backfilled": { data: ClerkUserData };
  }>(),
});
