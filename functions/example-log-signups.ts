/**
 * An example operator function. Every module in this folder (FUNCTIONS_DIR) is loaded at start;
 * export one or more functions made with createFunction. Code written for the Inngest SDK moves
 * over by changing its import from "inngest" to "clerk-webhook-bridge".
 *
 * This one logs each Clerk sign-up with the way the user signed up. Delete it, or rename it to
 * `_example-log-signups.ts` (files starting with `_` are skipped), when you no longer want it.
 */
import { createFunction } from "clerk-webhook-bridge";

export default createFunction(
  { id: "example-log-signups", triggers: [{ event: "clerk/user.created" }] },
  async ({ event, step, logger }) => {
    const signup = await step.run("describe-signup", () => ({
      userId: String(event.data.id ?? ""),
      viaOAuth: Array.isArray(event.data.external_accounts) && event.data.external_accounts.length > 0,
    }));
    logger.info(signup, "new sign-up");
    return signup;
  },
);
