import { Webhook, WebhookVerificationError } from "svix";
import { BridgeError } from "../errors.js";
export function createSvixVerifier(secrets) {
    return { webhooks: secrets.map((secret) => new Webhook(secret)) };
}
function header(headers, svixName, standardName) {
    // Svix sends svix-*; the Standard Webhooks spec (which Svix also speaks) names them webhook-*.
    const value = headers[svixName] ?? headers[standardName];
    return Array.isArray(value) ? value[0] : value;
}
/**
 * Checks the raw body against every configured secret, so that during a rotation deliveries
 * signed with either the old or the new secret pass. The svix library does the HMAC, the
 * constant-time compare and the 5-minute tolerance (both ways: a far-future timestamp is a replay
 * risk too). It must see the body exactly as sent: re-serialised JSON would not match.
 */
export function verifySvixSignature(verifier, body, headers) {
    const id = header(headers, "svix-id", "webhook-id");
    const timestamp = header(headers, "svix-timestamp", "webhook-timestamp");
    const signature = header(headers, "svix-signature", "webhook-signature");
    if (!id || !timestamp || !signature) {
        throw new BridgeError("headers_missing", "svix-id, svix-timestamp and svix-signature headers are required");
    }
    if (!/^\d+$/.test(timestamp)) {
        throw new BridgeError("headers_invalid", "svix-timestamp must be a Unix time in seconds");
    }
    if (verifier.webhooks.length === 0) {
        throw new BridgeError("signature_invalid", "no webhook secret is configured for this source");
    }
    const svixHeaders = { "svix-id": id, "svix-timestamp": timestamp, "svix-signature": signature };
    for (const webhook of verifier.webhooks) {
        try {
            webhook.verify(body, svixHeaders);
            return { __brand: "VerifiedWebhook", id, timestamp: Number(timestamp), body };
        }
        catch (error) {
            if (!(error instanceof WebhookVerificationError))
                throw error;
            // The timestamp is checked before the signature and is the same for every secret.
            if (/timestamp/i.test(error.message)) {
                throw new BridgeError("timestamp_stale", "svix-timestamp is outside the 5-minute tolerance");
            }
        }
    }
    throw new BridgeError("signature_invalid", "the svix-signature does not match any configured secret");
}
