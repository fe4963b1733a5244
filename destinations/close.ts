import { clerkContact, defineDestination } from "clerk-webhook-bridge/destinations";

/**
 * Close: each new user becomes a lead with one contact. Create a lead: POST /api/v1/lead/
 * (https://developer.close.com/resources/leads/), HTTP Basic with the API key as the user name
 * and an empty password (Settings → Developer → API Keys) in CLOSE_API_KEY. CLOSE_API_URL points
 * elsewhere (a test server). Close does not deduplicate leads: a retry after a lost answer can
 * make a second one, recognisable by the same Idempotency-Key header.
 */
export default defineDestination({
  env: ["CLOSE_API_KEY"],
  optionalEnv: ["CLOSE_API_URL"],
  events: ["clerk/user.created"],
  request(event, env) {
    const user = clerkContact(event.data);
    const name = user.name ?? user.email ?? user.id;
    if (!name) return null;
    const base = (env.CLOSE_API_URL ?? "https://api.close.com").replace(/\/+$/, "");
    return {
      url: `${base}/api/v1/lead/`,
      headers: {
        authorization: `Basic ${Buffer.from(`${env.CLOSE_API_KEY}:`).toString("base64")}`,
        accept: "application/json",
      },
      body: { name, contacts: [{ name, ...(user.email ? { emails: [{ email: user.email, type: "office" }] } : {}) }] },
    };
  },
});
