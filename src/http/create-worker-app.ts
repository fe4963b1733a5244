import express, { type Express } from "express";
import type { BridgeMetrics } from "../metrics/create-metrics.ts";
import { healthRoute, type HealthDeps } from "./health-route.ts";
import { metricsRoute } from "./metrics-route.ts";

/**
 * What a worker-only process serves: probes and metrics, so an orchestrator can check it and
 * Prometheus can scrape it like a receiver.
 */
export function createWorkerApp(health: HealthDeps, metrics: BridgeMetrics): Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(healthRoute(health));
  app.use(metricsRoute(metrics));
  return app;
}
