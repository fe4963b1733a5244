import { clerkContact, defineDestination } from "clerk-webhook-bridge/destinations";

/**
 * Slack: a message naming each new user, posted through an incoming webhook
 * (https://api.slack.com/messaging/webhooks). Add "Incoming Webhooks" to a Slack app, pick the
 * channel, and set SLACK_WEBHOOK_URL to the URL Slack shows (its path is the secret: keep it out
 * of the repository). Slack answers 200 "ok"; 400 invalid_payload, 403 and 404 are not retried.
 */
export default defineDestination({
  env: ["SLACK_WEBHOOK_URL"],
  events: ["clerk/user.created"],
  request(event, env) {
    const user = clerkContact(event.data);
    const who =
      user.name && user.email
        ? `${user.name} (${user.email})`
        : (user.name ?? user.email ?? user.id ?? "someone without a name or email");
    return { url: env.SLACK_WEBHOOK_URL, body: { text: `New user: ${escapeForSlack(who)}` } };
  },
});

/** Slack reads `<...>` as links and mentions; a user's name must not make one. */
function escapeForSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
