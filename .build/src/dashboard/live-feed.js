const LINGER_MS = 3e4;
function createLiveFeed(source) {
  const listeners = /* @__PURE__ */ new Set();
  let running = false;
  let linger;
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
    }
  };
}
const HEARTBEAT_MS = 15e3;
function streamLiveFeed(feed, req, res) {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    // nginx buffers responses unless told otherwise, which would hold every message back.
    "x-accel-buffering": "no"
  });
  res.write("retry: 2000\n: connected\n\n");
  const unsubscribe = feed.subscribe((message) => {
    if (message === "close") res.end();
    else res.write(`event: ${message.type}
data: ${JSON.stringify(message)}

`);
  });
  const heartbeat = setInterval(() => res.write(": heartbeat\n\n"), HEARTBEAT_MS);
  heartbeat.unref();
  req.on("close", () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
}
export {
  createLiveFeed,
  streamLiveFeed
};
