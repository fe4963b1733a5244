import express, {} from "express";
import { healthRoute } from "./health-route.js";
import { metricsRoute } from "./metrics-route.js";
/**
 * What a worker-only process serves: probes and metrics, so an orchestrator can check it and
 * Prometheus can scrape it like a receiver.
 */
export function createWorkerApp(redis, metrics) {
    const app = express();
    app.disable("x-powered-by");
    app.use(healthRoute(redis));
    app.use(metricsRoute(metrics));
    return app;
}
