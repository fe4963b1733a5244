import { idFromIndexMember, indexMember } from "../../redis/keys.js";
import { IDENTITY_SEALER } from "../../crypto/sealer.js";
import { decodeRun } from "../run-state.js";
const MAX_SCANNED = 5e3;
function createRunQueries(deps) {
  const { redis, keys } = deps;
  const sealer = deps.sealer ?? IDENTITY_SEALER;
  async function getRun(runId) {
    return decodeRun(runId, await redis.hgetall(keys.run(runId)), void 0, sealer);
  }
  async function getRuns(runIds) {
    if (runIds.length === 0) return [];
    const pipeline = redis.pipeline();
    for (const runId of runIds) pipeline.hgetall(keys.run(runId));
    const results = await pipeline.exec() ?? [];
    return results.map(([, hash], index) => decodeRun(runIds[index], hash ?? {}, void 0, sealer));
  }
  async function listRuns(query) {
    const index = query.functionId ? keys.runIndexByFunction(query.functionId) : keys.runIndex;
    const items = [];
    let cursor = query.before;
    let scanned = 0;
    const filtered = query.status !== void 0 || query.eventName !== void 0;
    const batch = filtered ? Math.max(query.limit * 4, 100) : query.limit;
    const top = query.until !== void 0 ? `(${indexMember(query.until + 1, "")}` : "+";
    const bottom = query.since !== void 0 ? `[${indexMember(query.since, "")}` : "-";
    while (items.length < query.limit && scanned < MAX_SCANNED) {
      const members = await redis.zrevrangebylex(index, cursor ? `(${cursor}` : top, bottom, "LIMIT", 0, batch);
      if (members.length === 0) return { items };
      const runs = await getRuns(members.map(idFromIndexMember));
      for (const [i, run] of runs.entries()) {
        cursor = members[i];
        scanned++;
        if (!run || query.status && run.status !== query.status || query.eventName && !query.eventName(run.eventName)) continue;
        items.push(run);
        if (items.length === query.limit) break;
      }
      if (members.length < batch && items.length < query.limit) return { items };
    }
    return { items, next: cursor };
  }
  async function recentRunTimes(functionId, count) {
    const ids = (await redis.zrevrangebylex(keys.runIndexByFunction(functionId), "+", "-", "LIMIT", 0, count)).map(idFromIndexMember);
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hmget(keys.run(id), "status", "createdAt", "startedAt", "endedAt");
    const replies = await pipeline.exec() ?? [];
    return replies.flatMap(([error, fields], i) => {
      const [status, createdAt, startedAt, endedAt] = error ? [] : fields;
      if (!status) return [];
      return [{ id: ids[i], status, createdAt: Number(createdAt), ...startedAt ? { startedAt: Number(startedAt) } : {}, ...endedAt ? { endedAt: Number(endedAt) } : {} }];
    });
  }
  async function listRunsForEvent(eventId) {
    const runIds = (await redis.smembers(keys.eventRuns(eventId))).sort();
    return (await getRuns(runIds)).filter((run) => run !== void 0);
  }
  return { getRun, getRuns, listRuns, listRunsForEvent, recentRunTimes };
}
export {
  createRunQueries
};
