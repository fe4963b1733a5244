import { Router } from "express";
import { readMetrics } from "../cluster/cluster-messages.ts";
import type { BridgeMetrics } from "../metrics/create-metrics.ts";

/** GET /metrics in the Prometheus text format: under a supervisor, summed over every process. */
export function metricsRoute(metrics: BridgeMetrics): Router {
  const router = Router();
  router.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await readMetrics(metrics));
  });
  return router;
}
