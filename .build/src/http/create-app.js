import { randomUUID } from "node:crypto";
import express from "express";
import { pinoHttp } from "pino-http";
import { BridgeError } from "../errors.js";
import { reservedNames } from "../events/reserved-names.js";
import { eventApiRoute } from "./event-api-route.js";
import { healthRoute } from "./health-route.js";
import { metricsRoute } from "./metrics-route.js";
import { redactUrl } from "./redact-url.js";
import { errorHandler } from "./send-error.js";
import { webhookRoute } from "./webhook-route.js";
const REQUEST_ID = /^[\w.:-]{1,128}$/;
function createApp(deps) {
  const { config, logger, accept } = deps;
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  app.set("trust proxy", config.trustProxy);
  const reserved = reservedNames(deps.transforms.keys());
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
      deliveries: deps.deliveries
    })
  );
  app.use(
    eventApiRoute({
      accept,
      logger,
      eventKeys: config.eventKeys,
      trustedEventKeys: config.trustedEventKeys,
      maxBodyBytes: config.maxBodyBytes,
      reserved,
      limiter: deps.limiters?.eventKeys
    })
  );
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers["x-request-id"];
        const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader("x-request-id", id);
        return id;
      },
      // The request line without headers: cheaper on the hot path, and nothing to redact.
      serializers: {
        req: (req) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
        res: (res) => ({ statusCode: res.statusCode })
      },
      quietReqLogger: true,
      customLogLevel: (_req, res, error) => error || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info",
      // Health probes every few seconds would drown the log.
      autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/readyz" || req.url === "/metrics" }
    })
  );
  app.use(healthRoute(deps.redis));
  if (deps.metrics) app.use(metricsRoute(deps.metrics));
  for (const router of deps.routers ?? []) app.use(router);
  app.use((req, _res, next) => next(new BridgeError("not_found", `no route for ${req.method} ${redactUrl(req.path).slice(0, 200)}`)));
  app.use(errorHandler(logger));
  return app;
}
export {
  createApp
};
