/**
 * "Floor c", the least the bridge's intake can cost, in a process of its own (forked by
 * bench/e2e-floor.ts): express.raw, then svix verify and one BullMQ add for a webhook, or one
 * JSON.parse and one BullMQ add for an Event API request. No transform, dedupe, log or metrics.
 * Arguments: the Redis prefix and the webhook secret.
 */
import { Queue } from "bullmq";
import express from "express";
import { Redis } from "ioredis";
import { Webhook } from "svix";

const [prefix, secret] = process.argv.slice(2) as [string, string];
const connection = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", {
  enableAutoPipelining: true,
  maxRetriesPerRequest: null,
});
const queue = new Queue("floor", { connection, prefix: `{${prefix}}` });
const webhook = new Webhook(secret);
const raw = express.raw({ type: () => true, limit: 1024 * 1024 });
const app = express();

app.post("/webhooks/clerk", raw, async (req, res) => {
  const body = (req.body as Buffer).toString("utf8");
  try {
    webhook.verify(body, req.headers as Record<string, string>);
  } catch {
    res.status(401).end();
    return;
  }
  // svix's verify answers nothing in this version: the one parse of the body is ours, as the bridge's.
  const payload = JSON.parse(body) as { type: string };
  const job = await queue.add(payload.type, payload, { jobId: String(req.headers["svix-id"]) });
  res.json({ ids: [job.id] });
});

app.post("/e/:key", raw, async (req, res) => {
  const event = JSON.parse((req.body as Buffer).toString("utf8")) as { id: string; name: string };
  const job = await queue.add(event.name, event, { jobId: event.id });
  res.json({ ids: [job.id], status: 200 });
});

const server = app.listen(0, "127.0.0.1", () => {
  process.send?.({ port: (server.address() as { port: number }).port });
});
process.on("disconnect", () => process.exit(0));
