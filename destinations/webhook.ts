import { defineDestination } from "clerk-webhook-bridge/destinations";

/**
 * A signed webhook: every Clerk event, as the bridge has it (`{ id, name, data, ts }`), posted to
 * WEBHOOK_DESTINATION_URL with Standard Webhooks signatures (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`) made with the `whsec_` secret in WEBHOOK_DESTINATION_SECRET, so the
 * receiver verifies it with any Svix or Standard Webhooks library (`new Webhook(secret).verify
 * (body, headers)`). `webhook-id` is the delivery's idempotency key: the same on every retry.
 * Make a secret with `node -e "console.log('whsec_' + crypto.randomBytes(24).toString('base64'))"`.
 * For a second receiver, copy this file under another name with other variables.
 */
export default defineDestination({
  env: ["WEBHOOK_DESTINATION_URL", "WEBHOOK_DESTINATION_SECRET"],
  signingSecret: "WEBHOOK_DESTINATION_SECRET",
  events: ["clerk/*"],
  request(event, env) {
    return {
      url: env.WEBHOOK_DESTINATION_URL,
      body: { id: event.id, name: event.name, data: event.data, ts: event.ts },
    };
  },
});
