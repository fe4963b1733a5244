import { Router } from "express";
import { withTimeout } from "../util/with-timeout.js";
/** /healthz: the process answers. /readyz: it can accept events, i.e. Redis answers a PING. */
export function healthRoute(redis) {
    const router = Router();
    router.get("/healthz", (_req, res) => {
        res.json({ status: "ok" });
    });
    router.get("/readyz", async (_req, res) => {
        try {
            await withTimeout(redis.ping(), 1000, "Redis did not answer PING");
            res.json({ status: "ready", redis: "ok" });
        }
        catch (error) {
            res.status(503).json({ status: "unavailable", redis: error.message });
        }
    });
    return router;
}
