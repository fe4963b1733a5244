import type { Request, Response } from "express";

/**
 * What the dashboard's live view hears: an event was accepted, or a run changed state. Messages
 * are hints to refresh, small and lossy by design (a client that misses one reloads the page).
 */
export type LiveMessage =
  | { type: "event"; event: { id: string; name: string; ts: number; receivedAt: number; source: string } }
  /** `runId` is absent for "routed": an event's runs were just created. */
  | { type: "run"; runId?: string; change: string };

export interface LiveFeed {
  publish(message: LiveMessage): void;
  subscribe(listener: (message: LiveMessage) => void): () => void;
  /** How many browsers are listening. */
  readonly size: number;
  /** Ends every open stream: server.close() would otherwise wait for them forever. */
  close(): void;
}

/** `start` runs once, when the first browser subscribes: no listening while nobody watches. */
export function createLiveFeed(options: { start?: () => void } = {}): LiveFeed {
  const listeners = new Set<(message: LiveMessage | "close") => void>();
  let started = false;
  return {
    publish(message) {
      for (const listener of listeners) listener(message);
    },
    subscribe(listener) {
      if (!started) {
        started = true;
        options.start?.();
      }
      listeners.add(listener as (message: LiveMessage | "close") => void);
      return () => listeners.delete(listener as (message: LiveMessage | "close") => void);
    },
    close() {
      for (const listener of [...listeners]) listener("close");
      listeners.clear();
    },
    get size() {
      return listeners.size;
    },
  };
}

const HEARTBEAT_MS = 15_000;

/**
 * GET /api/stream as server-sent events: the browser's EventSource reconnects by itself, and a
 * comment line every 15 s keeps proxies from closing an idle connection.
 */
export function streamLiveFeed(feed: LiveFeed, req: Request, res: Response): void {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    // nginx buffers responses unless told otherwise, which would hold every message back.
    "x-accel-buffering": "no",
  });
  res.write("retry: 2000\n: connected\n\n");
  const unsubscribe = feed.subscribe((message: LiveMessage | "close") => {
    if (message === "close") res.end();
    else res.write(`event: ${message.type}\ndata: ${JSON.stringify(message)}\n\n`);
  });
  const heartbeat = setInterval(() => res.write(": heartbeat\n\n"), HEARTBEAT_MS);
  heartbeat.unref();
  req.on("close", () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
}
