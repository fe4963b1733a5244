/** How long the source keeps running after the last browser left: a page reload reconnects at once. */
const LINGER_MS = 30_000;
export function createLiveFeed(source) {
    const listeners = new Set();
    let running = false;
    let linger;
    const stop = async () => {
        clearTimeout(linger);
        if (!running)
            return;
        running = false;
        await source?.stop();
    };
    return {
        publish(message) {
            for (const listener of listeners)
                listener(message);
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
                if (listeners.size > 0)
                    return;
                linger = setTimeout(() => void stop(), LINGER_MS);
                linger.unref();
            };
        },
        async close() {
            for (const listener of [...listeners])
                listener("close");
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
export function streamLiveFeed(feed, req, res) {
    res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        // nginx buffers responses unless told otherwise, which would hold every message back.
        "x-accel-buffering": "no",
    });
    res.write("retry: 2000\n: connected\n\n");
    const unsubscribe = feed.subscribe((message) => {
        if (message === "close")
            res.end();
        else
            res.write(`event: ${message.type}\ndata: ${JSON.stringify(message)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(": heartbeat\n\n"), HEARTBEAT_MS);
    heartbeat.unref();
    req.on("close", () => {
        clearInterval(heartbeat);
        unsubscribe();
    });
}
