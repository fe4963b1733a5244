import express, { type Express } from "express";
import type { Redis } from "ioredis";
import type { BridgeMetrics } from "../metrics/create-metrics.ts";
import { healthRoute } from "./health-route.ts";
import { metricsRoute } from "./metrics-route.ts";

/**
 * What a worker-only process serves: probes and metrics, so an orchestrator can check it and
 * Prometheus can scrape it like a receiver.
 */
export function createWorkerApp(redis: Redis, metrics: BridgeMetrics): Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(healthRoute(redis));
  app.use(metricsRoute(metrics));
  return app;
}
