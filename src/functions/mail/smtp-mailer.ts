import { createTransport } from "nodemailer";
import type { Mailer } from "./create-mailer.ts";

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
