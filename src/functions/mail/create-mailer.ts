import type { Redis } from "ioredis";
import { createTransport } from "nodemailer";
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
 * nodemailer over SMTP_URL (`smtp://user:pass@host:587`, `smtps://...:465`), pooled: a new SMTP
 * connection (and TLS handshake) per email cost more than the rest of a sign-up's work. At most
 * `maxConnections` connections, each reused for up to 100 messages; a failed send fails its step,
 * which the engine retries as before.
 */
export function createSmtpMailer(options: { smtpUrl: string; from: string; maxConnections?: number }): Mailer {
  const transport = createTransport(
    { url: options.smtpUrl, pool: true, maxConnections: options.maxConnections ?? 5, maxMessages: 100 },
    { from: options.from },
  );
  return {
    via: "smtp",
    async send(email) {
      const info = await transport.sendMail({
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: email.messageId,
      });
      return { messageId: info.messageId, via: "smtp", to: email.to };
    },
    async close() {
      transport.close();
    },
  };
}

/** The development outbox in Redis, used when SMTP_URL is unset. */
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
