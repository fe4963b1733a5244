import type { Request, Response } from "express";

/**
 * What the dashboard's live view hears: an event was accepted, or a run changed state. Messages
 * are hints to refresh, small and lossy by design (a client that misses one reloads the page).
 */
export type LiveMessage =
  | {
      type: "event";
      event: { id: string; name: string; ts: number; receivedAt: number; source: string; replayOf?: string };
    }
  /** `runId` is absent for "routed": an event's runs were just created. */
  | { type: "run"; runId?: string; change: string };

type Listener = (message: LiveMessage | "close") => void;

export interface LiveFeed {
  publish(message: LiveMessage): void;
  subscribe(listener: Listener): () => void;
  /** How many browsers are listening. */
  readonly size: number;
  /** Ends every open stream (server.close() would otherwise wait for them forever) and the source. */
  close(): Promise<void>;
}

/** Where messages come from; started while someone listens, so an unwatched bridge pays nothing. */
export interface LiveSource {
  start(): void;
  stop(): Promise<void>;
}

/** How long the source keeps running after the last browser left: a page reload reconnects at once. */
const LINGER_MS = 30_000;

export function createLiveFeed(source?: LiveSource): LiveFeed {
  const listeners = new Set<Listener>();
  let running = false;
  let linger: NodeJS.Timeout | undefined;
  const stop = async () => {
    clearTimeout(linger);
    if (!running) return;
    running = false;
    await source?.stop();
  };
  return {
    publish(message) {
      for (const listener of listeners) listener(message);
    },
    subscribe(listener) {
      clearTimeout(linger);
      if (!running) {
        running = true;
        source?.start();
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0) return;
        linger = setTimeout(() => void stop(), LINGER_MS);
        linger.unref();
      };
    },
    async close() {
      for (const listener of [...listeners]) listener("close");
      listeners.clear();
      await stop();
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
  const unsubscribe = feed.subscribe((message) => {
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
