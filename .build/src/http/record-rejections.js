import { createHash } from "node:crypto";
import { classify } from "./send-error.js";
const SVIX_ID_MAX = 256;
function recordRejections(deliveries, transforms, logger) {
  return (error, req, res, next) => {
    const source = String(req.params.source ?? req.path.split("/")[2] ?? "");
    if (transforms.has(source)) {
      const verified = res.locals.verified;
      deliveries.record(describeRejection(error, req, source, verified)).catch((cause) => {
        logger.warn({ err: cause, source }, "delivery log: a refused delivery could not be recorded");
      });
    }
    next(error);
  };
}
function describeRejection(thrown, req, source, verified) {
  const error = classify(thrown);
  const body = Buffer.isBuffer(req.body) ? req.body : void 0;
  const declared = Number(req.headers["content-length"]);
  return {
    source,
    svixId: verified?.id ?? headerId(req.headers),
    outcome: error.code,
    status: error.status,
    error: error.message,
    // Unread bodies (415 before reading, 413 while reading) are known by their declared length.
    ...body ? { bytes: body.length, sha256: createHash("sha256").update(body).digest("hex") } : Number.isFinite(declared) ? { bytes: declared } : {},
    ...verified && error.code === "transform_failed" ? { payload: { source, svixId: verified.id, svixTimestamp: verified.timestamp, body: verified.body } } : {}
  };
}
function headerId(headers) {
  const value = headers["svix-id"] ?? headers["webhook-id"];
  const id = Array.isArray(value) ? value[0] : value;
  return id ? id.slice(0, SVIX_ID_MAX) : void 0;
}
export {
  describeRejection,
  recordRejections
};
