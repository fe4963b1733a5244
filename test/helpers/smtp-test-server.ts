import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import type { Mailer } from "../../src/functions/mail/create-mailer.ts";
import { createSmtpMailer } from "../../src/functions/mail/smtp-mailer.ts";
import { perSuite } from "./per-suite.ts";

export interface ReceivedEmail {
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  raw: string;
  /** Date.now() when the message was accepted, for benchmarks that time delivery. */
  receivedAt: number;
}

export interface TestSmtpServer {
  port: number;
  /** smtp://127.0.0.1:<port>, for SMTP_URL. */
  url: string;
  received: ReceivedEmail[];
  /** Resolves once `count` emails have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedEmail[]>;
  /** Stops listening (the port refuses connections) without forgetting what was received. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real SMTP server inside the test process (the `smtp-server` package), plain text, no auth,
 * that keeps every message it accepts. `stop()` / `start()` simulate a mail server outage.
 */
export async function startTestSmtpServer(port = 0): Promise<TestSmtpServer> {
  const received: ReceivedEmail[] = [];
  const waiters = new Set<() => void>();
  let server = createServer();

  function createServer(): SMTPServer {
    return new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      // Do not wait 30 s for a lingering client when a test stops the server.
      closeTimeout: 100,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            subject: header(raw, "subject"),
            messageId: header(raw, "message-id"),
            raw,
            receivedAt: Date.now(),
          });
          for (const wake of waiters) wake();
          callback();
        });
      },
    });
  }

  async function listen(onPort: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      server.server.once("error", reject);
      server.listen(onPort, "127.0.0.1", () => resolve());
    });
    return (server.server.address() as AddressInfo).port;
  }

  const boundPort = await listen(port);
  let running = true;
  const close = async () => {
    if (!running) return;
    running = false;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  return {
    port: boundPort,
    url: `smtp://127.0.0.1:${boundPort}`,
    received,
    waitFor(count, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (received.length < count) return;
          cleanup();
          resolve(received.slice());
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`expected ${count} emails within ${timeoutMs} ms, got ${received.length}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    stop: close,
    async start() {
      if (running) return;
      server = createServer();
      await listen(boundPort);
      running = true;
    },
    close,
  };
}

/** One header's value, unfolded; enough for the ASCII subjects and ids the tests check. */
function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? "";
  const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name}:`));
  return line ? line.slice(name.length + 1).trim() : "";
}

/**
 * For a test file: a test SMTP server and a mailer sending to it from `from`, started before its
 * tests and closed after them. Read `smtp` and `mailer` inside the tests.
 */
export function smtpForTests(from: string): { readonly smtp: TestSmtpServer; readonly mailer: Mailer } {
  return perSuite(
    "the test SMTP server",
    async () => {
      const smtp = await startTestSmtpServer();
      return { smtp, mailer: createSmtpMailer({ smtpUrl: smtp.url, from }) };
    },
    async ({ smtp, mailer }) => {
      await mailer.close();
      await smtp.close();
    },
  );
}
