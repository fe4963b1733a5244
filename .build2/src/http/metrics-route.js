import { Router } from "express";
import { readMetrics } from "../cluster/cluster-messages.js";
/** GET /metrics in the Prometheus text format: under a supervisor, summed over every process. */
export function metricsRoute(metrics) {
    const router = Router();
    router.get("/metrics", async (_req, res) => {
        res.type(metrics.registry.contentType).send(await readMetrics(metrics));
    });
    return router;
}
