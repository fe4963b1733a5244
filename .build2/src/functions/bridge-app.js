import { EventSchemas, Inngest } from "../engine/index.js";
import { BRIDGE_APP_ID } from "./built-in-ids.js";
/**
 * The built-in functions' client, written as Inngest users write theirs: the Clerk user events
 * are typed once here, so handlers read `event.data` as a Clerk user without a cast.
 */
export const bridgeApp = new Inngest({
    id: BRIDGE_APP_ID,
    schemas: new EventSchemas().fromRecord(),
});
