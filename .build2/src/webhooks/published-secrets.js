/**
 * Signing secrets printed in Svix's documentation and test vectors (and copied into countless
 * guides, Clerk's included): anyone can sign a webhook with them. A bridge configured with one
 * accepts forged deliveries, so the start warns loudly, and refuses under NODE_ENV=production.
 * https://docs.svix.com/receiving/verifying-payloads/how
 */
const PUBLISHED_SECRETS = new Set([
    "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
    "whsec_plJ3nmyCDGBKInavdOK15jsl",
]);
/** The variables (`CLERK_WEBHOOK_SECRET`, ...) that hold a published secret. */
export function variablesWithPublishedSecrets(webhookSecrets) {
    return Object.entries(webhookSecrets)
        .filter(([, secrets]) => secrets.some((secret) => PUBLISHED_SECRETS.has(secret)))
        .map(([source]) => `${source.toUpperCase()}_WEBHOOK_SECRET`);
}
