import { createServer, type Server } from "node:http";
import type { Express } from "express";
import type { Config } from "../config/load-config.ts";
import { portInUseError } from "./check-port.ts";
import { errorCodeOf } from "../util/thrown.ts";

/**
 * The HTTP server, listening. A webhook's body arrives in milliseconds, so a client that takes
 * tens of seconds to send its headers or its body is answered 408 and its socket freed
 * (HTTP_HEADERS_TIMEOUT, HTTP_REQUEST_TIMEOUT): Node's defaults held a slow sender's socket for
 * about 5 minutes. Node looks for lapsed requests every `connectionsCheckingInterval` (30 s by
 * default, as long as the timeouts themselves), so it is set to a quarter of the shorter one.
 */
export async function listen(app: Express, config: Pick<Config, "port" | "host" | "http">): Promise<Server> {
  const { requestTimeoutMs, headersTimeoutMs } = config.http;
  const connectionsCheckingInterval = Math.min(
    5000,
    Math.max(100, Math.floor(Math.min(requestTimeoutMs, headersTimeoutMs) / 4)),
  );
  const server = createServer(
    { requestTimeout: requestTimeoutMs, headersTimeout: headersTimeoutMs, connectionsCheckingInterval },
    app,
  );
  server.listen(config.port, config.host);
  try {
    await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  } catch (error) {
    if (errorCodeOf(error) === "EADDRINUSE") throw portInUseError(config.port, config.host);
    throw error;
  }
  return server;
}
