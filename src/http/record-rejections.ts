import { createHash } from "node:crypto";
import type { ErrorRequestHandler, Request } from "express";
import type { DeliveryLog, NewDelivery } from "../deliveries/delivery-log.ts";
import type { Logger } from "../logger.ts";
import type { RedisHealth } from "../redis/redis-health.ts";
import type { TransformRegistry } from "../transforms/load-transforms.ts";
import type { VerifiedWebhook } from "../webhooks/verify-svix-signature.ts";
import { classify } from "./send-error.ts";

const SVIX_ID_MAX = 256;

/**
 * Writes each refused delivery of a known source to the delivery log, then hands the error on.
 * A refusal is not the hot path: one capped write, not awaited, so the answer never waits for it
 * (and a Redis outage, which is what a 503 means, only costs a warning). The body is kept only
 * when its signature checked out and the template failed on it (422), so that it can be re-run;
 * of any other body only its size and SHA-256 are kept.
 */
export function recordRejections(
  deliveries: Pick<DeliveryLog, "record">,
  transforms: TransformRegistry,
  logger: Logger,
  redisHealth?: Pick<RedisHealth, "absorb">,
): ErrorRequestHandler {
  return (error, req, res, next) => {
    const source = String(req.params.source ?? req.path.split("/")[2] ?? "");
    if (transforms.has(source)) {
      const verified: VerifiedWebhook | undefined = res.locals.verified;
      deliveries.record(describeRejection(error, req, source, verified)).catch((cause: unknown) => {
        if (!redisHealth?.absorb(cause))
          logger.warn({ err: cause, source }, "delivery log: a refused delivery could not be recorded");
      });
    }
    next(error);
  };
}

export function describeRejection(
  thrown: unknown,
  req: Pick<Request, "headers" | "body">,
  source: string,
  verified?: VerifiedWebhook,
): NewDelivery {
  const error = classify(thrown);
  const body = Buffer.isBuffer(req.body) ? req.body : undefined;
  const declared = Number(req.headers["content-length"]);
  return {
    source,
    svixId: verified?.id ?? headerId(req.headers),
    outcome: error.code,
    status: error.status,
    error: error.message,
    // Unread bodies (415 before reading, 413 while reading) are known by their declared length.
    ...(body
      ? { bytes: body.length, sha256: createHash("sha256").update(body).digest("hex") }
      : Number.isFinite(declared)
        ? { bytes: declared }
        : {}),
    ...(verified && error.code === "transform_failed"
      ? { payload: { source, svixId: verified.id, svixTimestamp: verified.timestamp, body: verified.body } }
      : {}),
  };
}

/** The delivery's id as sent, unverified: shown to the operator, never used as a key. */
function headerId(headers: Request["headers"]): string | undefined {
  const value = headers["svix-id"] ?? headers["webhook-id"];
  const id = Array.isArray(value) ? value[0] : value;
  return id ? id.slice(0, SVIX_ID_MAX) : undefined;
}
