import { randomUUID } from "node:crypto";
import express, { type Express, type Router } from "express";
import type { Redis } from "ioredis";
import { pinoHttp } from "pino-http";
import type { Config } from "../config/load-config.ts";
import { BridgeError } from "../errors.ts";
import type { AcceptDeps } from "../events/accept-events.ts";
import { reservedNames } from "../events/reserved-names.ts";
import type { Logger } from "../logger.ts";
import type { TransformRegistry } from "../transforms/load-transforms.ts";
import type { SvixVerifier } from "../webhooks/verify-svix-signature.ts";
import { eventApiRoute } from "./event-api-route.ts";
import { healthRoute } from "./health-route.ts";
import { metricsRoute } from "./metrics-route.ts";
import type { BridgeMetrics } from "../metrics/create-metrics.ts";
import type { DeliveryLog } from "../deliveries/delivery-log.ts";
import type { FailureLimiter } from "./failure-limiter.ts";
import type { BridgeKeys } from "../redis/keys.ts";
import type { RedisHealth } from "../redis/redis-health.ts";
import { redactUrl } from "./redact-url.ts";
import { errorHandler } from "./send-error.ts";
import { webhookRoute } from "./webhook-route.ts";

export interface AppDeps {
  config: Config;
  logger: Logger;
  redis: Redis;
  /** The intake: where accepted events go. */
  accept: AcceptDeps;
  transforms: TransformRegistry;
  verifiers: ReadonlyMap<string, SvixVerifier>;
  metrics?: BridgeMetrics;
  /** Failed-attempt counters per client address; without them nothing is rate limited. */
  limiters?: { eventKeys: FailureLimiter; signatures?: FailureLimiter };
  /** Where refused deliveries are logged, for the dashboard's Deliveries page. */
  deliveries?: Pick<DeliveryLog, "record">;
  /** Where Redis outages are reported, to be logged once, not per request (redis-health.ts). */
  redisHealth?: RedisHealth;
  /** The key /readyz writes to (`keys.healthProbe`). */
  keys: Pick<BridgeKeys, "healthProbe">;
  /** Routers mounted after the intake routes: operator API, dashboard, metrics. */
  routers?: Router[];
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The receiver's HTTP surface. Builds nothing but express objects: clients come in through deps. */
export function createApp(deps: AppDeps): Express {
  const { config, logger, accept } = deps;
  const app = express();
  app.disable("x-powered-by");
  // Answers are tiny and never cached: hashing each one for an ETag is wasted work.
  app.disable("etag");
  // Off unless TRUST_PROXY names the proxies: otherwise any client could pick its own address
  // (and rate-limit bucket) with X-Forwarded-For, or claim TLS with X-Forwarded-Proto.
  app.set("trust proxy", config.trustProxy);
  // Names under a source's prefix (`clerk/`) come only from that source's verified webhooks.
  const reserved = reservedNames(deps.transforms.keys());
  // The intake routes come first and log one line per delivery themselves, keyed by svix-id:
  // pino-http's per-request child logger and access line cost more than the rest of a webhook's
  // own work (measured with bench:ingress; see the README). Everything else gets pino-http.
  app.use(
    webhookRoute({
      accept,
      logger,
      transforms: deps.transforms,
      verifiers: deps.verifiers,
      maxBodyBytes: config.maxBodyBytes,
      transformTimeoutMs: config.transformTimeoutMs,
      reserved,
      metrics: deps.metrics,
      deliveries: deps.deliveries,
      limiter: deps.limiters?.signatures,
      redisHealth: deps.redisHealth,
    }),
  );
  app.use(
    eventApiRoute({
      accept,
      logger,
      eventKeys: config.eventKeys,
      trustedEventKeys: config.trustedEventKeys,
      maxBodyBytes: config.maxBodyBytes,
      reserved,
      limiter: deps.limiters?.eventKeys,
    }),
  );
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        // A caller's id is kept only when it looks like one: it is echoed and logged.
        const given = req.headers["x-request-id"];
        const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader("x-request-id", id);
        return id;
      },
      // The request line without headers: cheaper on the hot path, and nothing to redact.
      serializers: {
        req: (req) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
      quietReqLogger: true,
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info",
      // Health probes every few seconds would drown the log.
      autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/readyz" || req.url === "/metrics" },
    }),
  );
  app.use(healthRoute({ redis: deps.redis, probeKey: deps.keys.healthProbe, redisHealth: deps.redisHealth }));
  if (deps.metrics) app.use(metricsRoute(deps.metrics));
  for (const router of deps.routers ?? []) app.use(router);
  app.use((req, _res, next) =>
    next(new BridgeError("not_found", `no route for ${req.method} ${redactUrl(req.path).slice(0, 200)}`)),
  );
  app.use(errorHandler(logger, deps.redisHealth));
  return app;
}
