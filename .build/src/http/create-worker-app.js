import express from "express";
import { healthRoute } from "./health-route.js";
import { metricsRoute } from "./metrics-route.js";
function createWorkerApp(redis, metrics) {
  const app = express();
  app.disable("x-powered-by");
  app.use(healthRoute(redis));
  app.use(metricsRoute(metrics));
  return app;
}
export {
  createWorkerApp
};
