import type { ErrorRequestHandler, Response } from "express";
import { BridgeError, errorBody, isBridgeError, toError } from "../errors.ts";
import type { Logger } from "../logger.ts";

export function sendError(res: Response, error: BridgeError): void {
  res.status(error.status).json(errorBody(error.code, error.message));
}

/**
 * The one place a thrown error becomes an HTTP answer. Rejections the sender can fix are `warn`;
 * only the unexpected is `error`.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (thrown, req, res, next) => {
    if (res.headersSent) return next(thrown);
    const error = classify(thrown);
    const log = (req as { log?: Logger }).log ?? logger;
    if (error.status >= 500 && error.code !== "redis_unavailable") {
      log.error({ err: toError(thrown) }, "request failed");
    } else {
      log.warn({ method: req.method, url: req.originalUrl, status: error.status, code: error.code, reason: error.message }, "request rejected");
    }
    sendError(res, error);
  };
}

/** body-parser signals its failures with `type`; everything else unknown is a 500. */
function classify(thrown: unknown): BridgeError {
  if (isBridgeError(thrown)) return thrown;
  const type = (thrown as { type?: string })?.type;
  if (type === "entity.too.large") return new BridgeError("payload_too_large", "the body is larger than MAX_BODY_BYTES");
  if (type === "entity.parse.failed") return new BridgeError("body_malformed", "the body is not valid JSON");
  if (type === "encoding.unsupported" || type === "charset.unsupported") {
    return new BridgeError("unsupported_media_type", "the body's encoding or charset is not supported");
  }
  return new BridgeError("internal", "an unexpected error occurred", { cause: thrown });
}
