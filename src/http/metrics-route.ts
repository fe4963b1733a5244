import { Router } from "express";
import type { BridgeMetrics } from "../metrics/create-metrics.ts";

/** GET /metrics in the Prometheus text format. */
export function metricsRoute(metrics: BridgeMetrics): Router {
  const router = Router();
  router.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
