import { Router } from "express";
import { readMetrics } from "../cluster/cluster-messages.js";
function metricsRoute(metrics) {
  const router = Router();
  router.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await readMetrics(metrics));
  });
  return router;
}
export {
  metricsRoute
};
