import type { ErrorRequestHandler, Response } from "express";
import { BridgeError, errorBody, isBridgeError, toError } from "../errors.ts";
import { fieldsOf } from "../util/json-object.ts";
import type { Logger } from "../logger.ts";
import type { RedisHealth } from "../redis/redis-health.ts";
import { redactUrl } from "./redact-url.ts";

export function sendError(res: Response, error: BridgeError): void {
  if (error.retryAfterSeconds !== undefined)
    res.setHeader("retry-after", String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  res.status(error.status).json(errorBody(error.code, error.message));
}

/**
 * The one place a thrown error becomes an HTTP answer. Rejections the sender can fix are `warn`;
 * every 5xx is logged with its cause (the answer itself says only "internal" or "unavailable").
 */
export function errorHandler(logger: Logger, redisHealth?: Pick<RedisHealth, "absorb">): ErrorRequestHandler {
  return (thrown, req, res, next) => {
    if (res.headersSent) return next(thrown);
    const error = classify(thrown);
    const log = (req as { log?: Logger }).log ?? logger;
    const line = { method: req.method, url: redactUrl(req.originalUrl), status: error.status, code: error.code };
    if (error.status >= 500) {
      const cause = error.cause ?? (thrown === error ? undefined : thrown);
      // Redis away or out of memory: counted into the outage's summary lines (redis-health.ts), which
      // name the cause, instead of one line per refused request (1,200 lines in 25 s out of memory).
      if (error.status === 503 && redisHealth?.absorb(cause)) return void sendError(res, error);
      // A Redis outage is expected weather (Svix redelivers); anything else is a bug or an attack.
      const level = error.code === "redis_unavailable" ? "warn" : "error";
      log[level]({ ...line, err: toError(cause ?? error) }, "request failed");
    } else {
      log.warn({ ...line, reason: error.message }, "request rejected");
    }
    sendError(res, error);
  };
}

/** body-parser signals its failures with `type` and a 4xx `status`; everything else unknown is a 500. */
export function classify(thrown: unknown): BridgeError {
  if (isBridgeError(thrown)) return thrown;
  const { type, status } = fieldsOf(thrown);
  if (type === "entity.too.large")
    return new BridgeError("payload_too_large", "the body is larger than MAX_BODY_BYTES");
  if (type === "entity.parse.failed") return new BridgeError("body_malformed", "the body is not valid JSON");
  if (type === "encoding.unsupported" || type === "charset.unsupported") {
    return new BridgeError("unsupported_media_type", "the body's encoding or charset is not supported");
  }
  // The router's own: a path parameter with a broken %-escape (`/e/%ZZ`).
  if (thrown instanceof URIError) return new BridgeError("url_malformed", "the URL has an invalid %-escape");
  // Reading the body failed on the sender's side: a corrupt gzip, deflate or br stream, a body
  // shorter than its Content-Length, a connection closed half-way.
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new BridgeError("body_malformed", `the body could not be read: ${toError(thrown).message}`, {
      cause: thrown,
    });
  }
  return new BridgeError("internal", "an unexpected error occurred", { cause: thrown });
}
