import { BridgeError, errorBody, isBridgeError, toError } from "../errors.js";
import { redactUrl } from "./redact-url.js";
function sendError(res, error) {
  if (error.retryAfterSeconds !== void 0) res.setHeader("retry-after", String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  res.status(error.status).json(errorBody(error.code, error.message));
}
function errorHandler(logger) {
  return (thrown, req, res, next) => {
    if (res.headersSent) return next(thrown);
    const error = classify(thrown);
    const log = req.log ?? logger;
    const line = { method: req.method, url: redactUrl(req.originalUrl), status: error.status, code: error.code };
    if (error.status >= 500) {
      const cause = error.cause ?? (thrown === error ? void 0 : thrown);
      const level = error.code === "redis_unavailable" ? "warn" : "error";
      log[level]({ ...line, err: toError(cause ?? error) }, "request failed");
    } else {
      log.warn({ ...line, reason: error.message }, "request rejected");
    }
    sendError(res, error);
  };
}
function classify(thrown) {
  if (isBridgeError(thrown)) return thrown;
  const { type, status } = thrown ?? {};
  if (type === "entity.too.large") return new BridgeError("payload_too_large", "the body is larger than MAX_BODY_BYTES");
  if (type === "entity.parse.failed") return new BridgeError("body_malformed", "the body is not valid JSON");
  if (type === "encoding.unsupported" || type === "charset.unsupported") {
    return new BridgeError("unsupported_media_type", "the body's encoding or charset is not supported");
  }
  if (thrown instanceof URIError) return new BridgeError("url_malformed", "the URL has an invalid %-escape");
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new BridgeError("body_malformed", `the body could not be read: ${toError(thrown).message}`, { cause: thrown });
  }
  return new BridgeError("internal", "an unexpected error occurred", { cause: thrown });
}
export {
  classify,
  errorHandler,
  sendError
};
