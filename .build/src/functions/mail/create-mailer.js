import { createTransport } from "nodemailer";
import { pushOutbox } from "./dev-outbox.js";
function createSmtpMailer(options) {
  const transport = createTransport({ url: options.smtpUrl, pool: true, maxConnections: options.maxConnections ?? 5, maxMessages: 100 }, { from: options.from });
  return {
    via: "smtp",
    async send(email) {
      const info = await transport.sendMail({
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: email.messageId
      });
      return { messageId: info.messageId, via: "smtp", to: email.to };
    },
    async close() {
      transport.close();
    }
  };
}
function createOutboxMailer(options) {
  return {
    via: "outbox",
    async send(email) {
      await pushOutbox(
        options.redis,
        options.key,
        { ...email, from: options.from, sentAt: Date.now() },
        options.cap
      );
      return { messageId: email.messageId, via: "outbox", to: email.to };
    },
    async close() {
    }
  };
}
function isPermanentSmtpError(error) {
  const code = error?.responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}
function stableMessageId(key, from) {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "clerk-webhook-bridge.local";
  return `<${key.replace(/[^A-Za-z0-9._-]/g, "_")}@${domain}>`;
}
export {
  createOutboxMailer,
  createSmtpMailer,
  isPermanentSmtpError,
  stableMessageId
};
