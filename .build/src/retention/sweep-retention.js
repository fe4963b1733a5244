import { indexMember } from "../redis/keys.js";
const CLEAN_BATCH = 1e3;
const OUTBOX_BATCH = 100;
async function sweepRetention(deps, now = Date.now()) {
  const cutoff = now - deps.retentionMs;
  const [events, runJobs, indexEntries, outboxEmails] = await Promise.all([
    cleanQueue(deps.queues.events, deps.retentionMs, ["completed", "failed"]),
    cleanQueue(deps.queues.runs, deps.retentionMs, ["failed"]),
    trimTimeIndexes(deps, cutoff),
    trimOutbox(deps.redis, deps.keys.outbox, cutoff)
  ]);
  if (deps.streams?.length) {
    const pipeline = deps.redis.pipeline();
    for (const stream of deps.streams) pipeline.xtrim(stream, "MINID", `${cutoff}-0`);
    await pipeline.exec();
  }
  return { events, runJobs, indexEntries, outboxEmails };
}
async function cleanQueue(queue, graceMs, states) {
  let removed = 0;
  for (const state of states) {
    for (; ; ) {
      const ids = await queue.clean(graceMs, CLEAN_BATCH, state);
      removed += ids.length;
      if (ids.length < CLEAN_BATCH) break;
    }
  }
  return removed;
}
async function trimTimeIndexes({ redis, keys }, cutoff) {
  const indexes = [keys.eventLog, keys.runIndex, ...await scanKeys(redis, `${keys.eventLog}:name:*`), ...await scanKeys(redis, `${keys.runIndex}:fn:*`)];
  const oldest = `(${indexMember(cutoff, "")}`;
  const pipeline = redis.pipeline();
  for (const index of indexes) pipeline.zremrangebylex(index, "-", oldest);
  pipeline.zremrangebyscore(keys.eventNames, "-inf", `(${cutoff}`);
  const results = await pipeline.exec() ?? [];
  return results.reduce((sum, [error, count]) => sum + (error ? 0 : Number(count)), 0);
}
async function scanKeys(redis, pattern) {
  const found = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1e3);
    cursor = next;
    found.push(...batch);
  } while (cursor !== "0");
  return found;
}
async function trimOutbox(redis, key, cutoff) {
  let removed = 0;
  for (; ; ) {
    const tail = await redis.lrange(key, -OUTBOX_BATCH, -1);
    let old = 0;
    for (let i = tail.length - 1; i >= 0 && isOlder(tail[i], cutoff); i--) old++;
    if (old === 0) return removed;
    await redis.ltrim(key, 0, -old - 1);
    removed += old;
    if (old < tail.length) return removed;
  }
}
function isOlder(entry, cutoff) {
  try {
    return Number(JSON.parse(entry).sentAt ?? 0) < cutoff;
  } catch {
    return true;
  }
}
function startRetentionSweep(deps) {
  const intervalMs = deps.intervalMs ?? Math.min(Math.max(deps.retentionMs / 10, 1e3), 10 * 6e4);
  let running;
  const tick = () => {
    if (running) return;
    running = sweepRetention(deps).then((report) => {
      if (report.events + report.runJobs + report.indexEntries + report.outboxEmails > 0) deps.logger.debug(report, "retention: swept");
    }).catch((error) => deps.logger.warn({ err: error }, "retention: the sweep failed; it runs again at the next tick")).finally(() => running = void 0);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
export {
  startRetentionSweep,
  sweepRetention
};
