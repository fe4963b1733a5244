import { Webhook, WebhookVerificationError } from "svix";
import { BridgeError } from "../errors.ts";
import type { LocalSecretSettings } from "./local-webhook-secret.ts";
import { secretVariableOf } from "./webhook-secrets.ts";

/** A body whose signature checked out; only `verifySvixSignature` can make one. */
export type VerifiedWebhook = {
  readonly __brand: "VerifiedWebhook";
  readonly id: string;
  readonly timestamp: number;
  readonly body: string;
};

export type WebhookHeaders = Record<string, string | string[] | undefined>;

/** One `Webhook` per secret, built once when config loads (it decodes the base64 key). */
export interface SvixVerifier {
  readonly webhooks: readonly Webhook[];
  /** The variable that holds the secrets, named when there are none. */
  readonly variable?: string;
  /** The secret is the bridge's local development one (the variable is unset): a refusal says so. */
  readonly local?: boolean;
}

export function createSvixVerifier(
  secrets: readonly string[],
  options: { variable?: string; local?: boolean } = {},
): SvixVerifier {
  return { webhooks: secrets.map((secret) => new Webhook(secret)), ...options };
}

/** A verifier per configured source (`config.webhookSecrets`), as the receiver serves them. */
export function createVerifiers(
  config: Pick<LocalSecretSettings, "webhookSecrets" | "localWebhookSecret">,
): Map<string, SvixVerifier> {
  return new Map(
    Object.entries(config.webhookSecrets).map(([source, secrets]) => [
      source,
      createSvixVerifier(secrets, {
        variable: secretVariableOf(source),
        local: config.localWebhookSecret?.source === source,
      }),
    ]),
  );
}

/** What a source without a secret verifies with: nothing, and the 401 names the variable to set. */
export function verifierOf(verifiers: ReadonlyMap<string, SvixVerifier>, source: string): SvixVerifier {
  return verifiers.get(source) ?? { webhooks: [], variable: secretVariableOf(source) };
}

function header(headers: WebhookHeaders, svixName: string, standardName: string): string | undefined {
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
export function verifySvixSignature(verifier: SvixVerifier, body: string, headers: WebhookHeaders): VerifiedWebhook {
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
    const variable = verifier.variable ?? "the source's webhook secret";
    throw new BridgeError(
      "signature_invalid",
      `${variable} is not set, so no delivery can be verified: set it to the endpoint's signing secret (for Clerk: Clerk Dashboard → Webhooks → your endpoint → Signing Secret)`,
    );
  }
  const svixHeaders = { "svix-id": id, "svix-timestamp": timestamp, "svix-signature": signature };
  for (const webhook of verifier.webhooks) {
    try {
      webhook.verify(body, svixHeaders);
      return { __brand: "VerifiedWebhook", id, timestamp: Number(timestamp), body };
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      // The timestamp is checked before the signature and is the same for every secret.
      if (/timestamp/i.test(error.message)) {
        throw new BridgeError("timestamp_stale", "svix-timestamp is outside the 5-minute tolerance");
      }
    }
  }
  if (verifier.local) {
    // A delivery from Clerk itself, through a tunnel to a development bridge, lands here.
    throw new BridgeError(
      "signature_invalid",
      `the svix-signature does not match the bridge's local development secret (${verifier.variable} is not set): a delivery from Clerk needs ${verifier.variable} set to the endpoint's signing secret`,
    );
  }
  throw new BridgeError("signature_invalid", "the svix-signature does not match any configured secret");
}
