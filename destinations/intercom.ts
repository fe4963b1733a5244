import { clerkContact, defineDestination } from "clerk-webhook-bridge/destinations";

/**
 * Intercom: each new user becomes a contact with the role "user", found again by its Clerk id
 * (`external_id`). Create a contact: POST /contacts
 * (https://developers.intercom.com/docs/references/rest-api/api.intercom.io/contacts/createcontact),
 * authenticated with an access token (Developer Hub → your app → Authentication) in
 * INTERCOM_TOKEN. Intercom answers 409 for a contact it already has, which counts as delivered:
 * that is what a retry after a lost answer gets. INTERCOM_VERSION pins the API version
 * (default 2.14); INTERCOM_API_URL points elsewhere (https://api.eu.intercom.io, a test server).
 */
export default defineDestination({
  env: ["INTERCOM_TOKEN"],
  optionalEnv: ["INTERCOM_API_URL", "INTERCOM_VERSION"],
  events: ["clerk/user.created"],
  accept: [409],
  request(event, env) {
    const user = clerkContact(event.data);
    if (!user.id) return null;
    const base = (env.INTERCOM_API_URL ?? "https://api.intercom.io").replace(/\/+$/, "");
    return {
      url: `${base}/contacts`,
      headers: {
        authorization: `Bearer ${env.INTERCOM_TOKEN}`,
        "intercom-version": env.INTERCOM_VERSION ?? "2.14",
        accept: "application/json",
      },
      body: {
        role: "user",
        external_id: user.id,
        ...(user.email ? { email: user.email } : {}),
        ...(user.name ? { name: user.name } : {}),
      },
    };
  },
});
