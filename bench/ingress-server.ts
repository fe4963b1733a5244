/**
 * One side of the ingress benchmark, run in its own process so the load generator does not share
 * its event loop: `bridge` is the real receiver (createServices and createApp, as start-bridge.ts builds it), `floor` is the
 * least a verified webhook can cost (express.raw + svix verify + one XADD).
 */
import express from "express";
import { Redis } from "ioredis";
import { Webhook } from "svix";
import { loadConfig } from "../src/config/load-config.ts";
import { createApp } from "../src/http/create-app.ts";
import { createLogger } from "../src/logger.ts";
import { createServices } from "../src/app/create-services.ts";
import { loadTransforms } from "../src/transforms/load-transforms.ts";
import { createSvixVerifier } from "../src/webhooks/verify-svix-signature.ts";

const [mode, prefix, secret] = process.argv.slice(2) as ["bridge" | "floor", string, string];
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

let app: express.Express;
if (mode === "floor") {
  const redis = new Redis(redisUrl, { enableAutoPipelining: true });
  const webhook = new Webhook(secret);
  app = express();
  app.post("/webhooks/clerk", express.raw({ type: () => true, limit: 1024 * 1024 }), async (req, res) => {
    const body = (req.body as Buffer).toString("utf8");
    try {
      webhook.verify(body, req.headers as Record<string, string>);
    } catch {
      res.status(401).end();
      return;
    }
    const id = await redis.xadd(`{${prefix}}:floor`, "*", "body", body);
    res.json({ ids: [id] });
  });
} else {
  const config = loadConfig({
    ...process.env,
    REDIS_URL: redisUrl,
    CLERK_WEBHOOK_SECRET: secret,
    REDIS_PREFIX: prefix,
    FUNCTIONS: "none",
  });
  const services = await createServices(config, createLogger(config.logLevel, undefined, "json"));
  const transforms = await loadTransforms(config.transformsDir);
  const verifiers = new Map([["clerk", createSvixVerifier([secret])]]);
  app = createApp({ ...services, transforms, verifiers });
}
const server = app.listen(0, "127.0.0.1", () => {
  process.send?.({ port: (server.address() as { port: number }).port });
});
process.on("disconnect", () => process.exit(0));
