import type { Redis } from "ioredis";
import type { EmailMessage } from "./email-messages.ts";
import { pushOutbox } from "./dev-outbox.ts";

export interface OutgoingEmail extends EmailMessage {
  to: string;
  /**
   * A stable Message-ID (derived from the event and the step): should a send ever be repeated
   * after a lost SMTP reply, receiving servers and clients can recognise the duplicate.
   */
  messageId: string;
}

/** What a send step stores as its result: small and JSON-serialisable. */
export interface SentEmail {
  messageId: string;
  via: "smtp" | "outbox";
  to: string;
}

export interface Mailer {
  readonly via: "smtp" | "outbox";
  send(email: OutgoingEmail): Promise<SentEmail>;
  close(): Promise<void>;
}

/**
 * The development outbox in Redis, used when SMTP_URL is unset. The SMTP mailer is in
 * smtp-mailer.ts, imported only when SMTP_URL is set: nodemailer is some forty modules.
 */
export function createOutboxMailer(options: { redis: Redis; key: string; from: string; cap?: number }): Mailer {
  return {
    via: "outbox",
    async send(email) {
      await pushOutbox(options.redis, options.key, { ...email, from: options.from, sentAt: Date.now() }, options.cap);
      return { messageId: email.messageId, via: "outbox", to: email.to };
    },
    async close() {},
  };
}

/**
 * A 5xx SMTP reply (mailbox unknown, message refused) will not change on a retry; a 4xx or a
 * network error (server down) might. https://www.rfc-editor.org/rfc/rfc5321#section-4.2.1
 */
export function isPermanentSmtpError(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

/**
 * A Message-ID that is the same every time the same step sends (RFC 5322 §3.6.4), on the domain
 * of the sender address, so a repeated send is recognisable as one message.
 */
export function stableMessageId(key: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "clerk-webhook-bridge.local";
  return `<${key.replace(/[^A-Za-z0-9._-]/g, "_")}@${domain}>`;
}
