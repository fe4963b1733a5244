import { once } from "node:events";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** When it arrived (ms), for ordering and for a Retry-After's lower bound. */
  at: number;
}

export type ReceiverAnswer = { status: number; headers?: Record<string, string>; body?: string } | "hang";

export interface HttpReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Resolves once `count` requests have arrived. */
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real HTTP server standing in for a destination (Slack, Intercom, a webhook receiver): it
 * records every request and answers as `answer` says for the nth one, or never ("hang").
 */
export async function startHttpReceiver(
  answer: (request: ReceivedRequest, index: number) => ReceiverAnswer,
): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: ReceivedRequest = {
      method: req.method ?? "",
      path: req.url ?? "",
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
      at: Date.now(),
    };
    requests.push(request);
    const reply = answer(request, requests.length - 1);
    if (reply === "hang") return;
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers }).end(reply.body ?? "");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async waitForRequests(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} request(s), got ${requests.length}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      // Hanging requests keep their sockets open: close them, or close() never returns.
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
