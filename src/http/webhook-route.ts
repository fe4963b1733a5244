import express, { Router, type ErrorRequestHandler } from "express";
import { BridgeError } from "../errors.ts";
import { acceptEventsReporting, type AcceptDeps } from "../events/accept-events.ts";
import type { Logger } from "../logger.ts";
import type { BridgeMetrics } from "../metrics/create-metrics.ts";
import type { DeliveryLog } from "../deliveries/delivery-log.ts";
import { firstRefusedName, SYSTEM_OWNER, type ReservedNames } from "../events/reserved-names.ts";
import { applyTransform } from "../transforms/apply-transform.ts";
import type { TransformRegistry } from "../transforms/load-transforms.ts";
import { verifierOf, verifySvixSignature, type SvixVerifier } from "../webhooks/verify-svix-signature.ts";
import { parseJson } from "../util/parse-json.ts";
import { recordRejections } from "./record-rejections.ts";
import type { FailureLimiter } from "./failure-limiter.ts";
import type { RedisHealth } from "../redis/redis-health.ts";
import { requireJson } from "./require-json.ts";
import { answerBlockedQuietly, verifyCounted } from "./signature-limit.ts";
import { classify } from "./send-error.ts";

export interface WebhookRouteDeps {
  accept: AcceptDeps;
  logger: Logger;
  transforms: TransformRegistry;
  verifiers: ReadonlyMap<string, SvixVerifier>;
  maxBodyBytes: number;
  transformTimeoutMs: number;
  /** Names under another source's prefix (or `inngest/`) are refused from a template's output. */
  reserved: ReservedNames;
  metrics?: BridgeMetrics;
  /** Where refused deliveries are written, for the dashboard's Deliveries page. */
  deliveries?: Pick<DeliveryLog, "record">;
  /** Where a refused delivery that could not be recorded for want of Redis is counted instead of logged. */
  redisHealth?: Pick<RedisHealth, "absorb">;
  /** Counts deliveries that fail verification per client address (signature-limit.ts). */
  limiter?: FailureLimiter;
}

/**
 * POST /webhooks/:source — verify, transform, accept. Answers 200 only once every event is in
 * Redis; any failure answers non-2xx so Svix redelivers the same svix-id later.
 */
export function webhookRoute(deps: WebhookRouteDeps): Router {
  const router = Router();
  // The raw bytes, not parsed JSON: the signature covers the body exactly as sent.
  const rawBody = express.raw({ type: () => true, limit: deps.maxBodyBytes });

  router.post(
    "/webhooks/:source",
    (req, _res, next) => {
      const source = String(req.params.source);
      if (!deps.transforms.has(source)) {
        return next(new BridgeError("source_unknown", `no transform template for source "${source}"`));
      }
      next();
    },
    requireJson,
    rawBody,
    async (req, res) => {
      const source = String(req.params.source);
      const body = Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "";
      const verified = await verifyCounted(
        req,
        res,
        () => verifySvixSignature(verifierOf(deps.verifiers, source), body, req.headers),
        deps,
      );
      // For the delivery log, should the template fail: a verified body may be kept for a re-run.
      res.locals.verified = verified;
      // Parsed only once verified (the signature covers the raw bytes), and with its depth bounded.
      const payload = parseJson(verified.body);
      const transform = deps.transforms.get(source)!;
      const context = { source, webhookId: verified.id, webhookTimestamp: verified.timestamp };
      const drafts = await applyTransform(transform, payload, context, deps.transformTimeoutMs);
      const refused = firstRefusedName(
        deps.reserved,
        drafts.map((draft) => draft.name),
        (owner) => owner === source && owner !== SYSTEM_OWNER,
      );
      if (refused) {
        const owner =
          refused.owner === SYSTEM_OWNER ? "are the bridge's own events" : `come only from /webhooks/${refused.owner}`;
        throw new BridgeError(
          "transform_failed",
          `transform "${source}" returned "${refused.name}": ${refused.owner}/ names ${owner}`,
        );
      }
      if (drafts.length === 0) {
        deps.logger.info({ source, svixId: verified.id }, "template dropped the webhook: nothing stored");
        deps.metrics?.webhooks.inc({ source, outcome: "dropped" });
        res.status(200).json({ ids: [], status: 200 });
        return;
      }
      const { ids, erased } = await acceptEventsReporting(deps.accept, drafts, source);
      if (erased.length > 0) {
        // 2xx all the same, so Svix stops redelivering: the user is gone and stays gone.
        deps.logger.info(
          { source, svixId: verified.id, events: drafts.map((draft) => draft.name), erased: erased.length },
          "webhook names an erased user: answered, nothing stored",
        );
        deps.metrics?.webhooks.inc({ source, outcome: "erased" });
        await deps.deliveries
          ?.record({ source, svixId: verified.id, outcome: "erased", status: 200, eventIds: [] })
          .catch((error: unknown) =>
            deps.logger.warn(
              { err: error, svixId: verified.id },
              "delivery log: an erased user's delivery could not be recorded",
            ),
          );
      } else {
        deps.logger.info(
          { source, svixId: verified.id, events: drafts.map((draft) => draft.name) },
          "webhook accepted",
        );
        deps.metrics?.webhooks.inc({ source, outcome: "accepted" });
      }
      res.status(200).json({ ids, status: 200 });
    },
  );
  if (deps.metrics) router.use(countRejections(deps.metrics, deps.transforms));
  router.use(answerBlockedQuietly);
  if (deps.deliveries) router.use(recordRejections(deps.deliveries, deps.transforms, deps.logger, deps.redisHealth));
  return router;
}

/** Counts a rejected delivery by its error code, then hands the error on to the error handler. */
function countRejections(metrics: BridgeMetrics, transforms: TransformRegistry): ErrorRequestHandler {
  return (error, req, _res, next) => {
    const source = String(req.params.source ?? req.path.split("/")[2] ?? "");
    metrics.webhooks.inc({
      // Unknown sources share one label: a scanner must not be able to mint time series.
      source: transforms.has(source) ? source : "unknown",
      // Classified as the answer will be: the body parser's own 413, 415 and 400 are not BridgeErrors.
      outcome: classify(error).code,
    });
    next(error);
  };
}
