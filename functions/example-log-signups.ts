/**
 * An example operator function. Every module in this folder (FUNCTIONS_DIR) is loaded at start;
 * export one or more functions. Code written for the Inngest SDK runs as it is: in this folder,
 * `import { Inngest } from "inngest"` loads the bridge's own client (so does
 * "clerk-webhook-bridge", anywhere).
 *
 * This one logs each Clerk sign-up with the way the user signed up. Delete it, or rename it to
 * `_example-log-signups.ts` (files starting with `_` are skipped), when you no longer want it.
 */
import { Inngest } from "inngest";

const inngest = new Inngest({ id: "my-app" });

export default inngest.createFunction(
  { id: "example-log-signups", triggers: [{ event: "clerk/user.created" }] },
  async ({ event, step, logger }) => {
    const signup = await step.run("describe-signup", () => ({
      userId: String(event.data.id ?? ""),
      viaOAuth: Array.isArray(event.data.external_accounts) && event.data.external_accounts.length > 0,
    }));
    logger.info("new sign-up", signup);
    return signup;
  },
);
