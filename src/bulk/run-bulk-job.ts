import type { Redis } from "ioredis";
import type { BulkJobRun, BulkProgress } from "./bulk-queue.ts";
import type { BridgeKeys } from "../redis/keys.ts";
import { BULK_MAX } from "./bulk-request.ts";
import { selectBulkItems, type BulkSources } from "./select-bulk-items.ts";

/** What a bulk action does to one item: `skipped` when there is nothing to do any more. */
export interface BulkActions {
  /** `replayId`: the new event's id, the same on a second attempt, so a crash cannot replay twice. */
  replay(eventId: string, replayId: string): Promise<"ok" | "skipped">;
  retry(runId: string): Promise<"ok" | "skipped">;
  cancel(runId: string): Promise<"ok" | "skipped">;
}

export interface BulkJobDeps {
  redis: Redis;
  keys: Pick<BridgeKeys, "bulkItems">;
  sources: BulkSources;
  actions: BulkActions;
}

const CHUNK = 25;
const ITEMS_TTL_SECONDS = 2 * 24 * 60 * 60;

/**
 * Processes one bulk job in two phases. First it selects its items and stores their ids in a
 * Redis list (a snapshot: the action then works on what matched when it started, whatever it
 * changes); then it works through the list in order, reporting its progress (BullMQ's job
 * progress, which the page polls) after every chunk. The progress is the cursor: a job picked up
 * again after a crash or a restart goes on from the last chunk reported, and its actions are
 * safe to repeat (a replay's id is fixed; a retried or cancelled run is skipped).
 */
export async function runBulkJob(deps: BulkJobDeps, job: BulkJobRun): Promise<BulkProgress> {
  const key = deps.keys.bulkItems(job.id);
  let progress =
    job.progress?.phase === "running" || job.progress?.phase === "done" ? job.progress : await select(deps, job, key);
  while (progress.done < progress.total) {
    const ids = await deps.redis.lrange(key, progress.done, progress.done + CHUNK - 1);
    if (ids.length === 0) break; // the list expired: nothing left that can be done
    const next = { ...progress, errors: [...progress.errors] };
    for (const [offset, id] of ids.entries()) {
      try {
        next[await act(deps.actions, job, id, progress.done + offset)]++;
      } catch (error) {
        next.failed++;
        next.errors = [...next.errors, `${id}: ${(error as Error).message}`].slice(-5);
      }
    }
    next.done += ids.length;
    await job.report(next);
    progress = next;
  }
  const finished = { ...progress, done: progress.total, phase: "done" as const };
  await job.report(finished);
  await deps.redis.del(key);
  return finished;
}

async function select(deps: BulkJobDeps, job: BulkJobRun, key: string): Promise<BulkProgress> {
  await job.report({ phase: "selecting", total: 0, done: 0, ok: 0, skipped: 0, failed: 0, errors: [] });
  await deps.redis.del(key);
  let total = 0;
  for await (const items of selectBulkItems(deps.sources, job.data.request)) {
    const ids = items.slice(0, BULK_MAX - total).map((item) => item.id);
    if (ids.length > 0) await deps.redis.rpush(key, ...ids);
    total += ids.length;
    if (total >= BULK_MAX) break;
  }
  await deps.redis.expire(key, ITEMS_TTL_SECONDS);
  const progress: BulkProgress = { phase: "running", total, done: 0, ok: 0, skipped: 0, failed: 0, errors: [] };
  await job.report(progress);
  return progress;
}

function act(actions: BulkActions, job: BulkJobRun, id: string, index: number): Promise<"ok" | "skipped"> {
  switch (job.data.request.kind) {
    case "replay":
      return actions.replay(id, `bulk-${job.data.request.until}-${job.id}-${index}`);
    case "retry":
      return actions.retry(id);
    case "cancel":
      return actions.cancel(id);
  }
}
