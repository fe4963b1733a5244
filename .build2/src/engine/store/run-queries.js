import { idFromIndexMember, indexMember } from "../../redis/keys.js";
import { IDENTITY_SEALER } from "../../crypto/sealer.js";
import { decodeRun } from "../run-state.js";
/** A status filter scans the time index, at most this many runs per call. */
const MAX_SCANNED = 5000;
/** What the dashboard and the operator API read about runs. Reads only. */
export function createRunQueries(deps) {
    const { redis, keys } = deps;
    const sealer = deps.sealer ?? IDENTITY_SEALER;
    async function getRun(runId) {
        return decodeRun(runId, await redis.hgetall(keys.run(runId)), undefined, sealer);
    }
    async function getRuns(runIds) {
        if (runIds.length === 0)
            return [];
        const pipeline = redis.pipeline();
        for (const runId of runIds)
            pipeline.hgetall(keys.run(runId));
        const results = (await pipeline.exec()) ?? [];
        return results.map(([, hash], index) => decodeRun(runIds[index], (hash ?? {}), undefined, sealer));
    }
    /**
     * Newest first. Function and time are indexed; a status or event name filter scans the index
     * (bounded), since statuses change too often to index.
     */
    async function listRuns(query) {
        const index = query.functionId ? keys.runIndexByFunction(query.functionId) : keys.runIndex;
        const items = [];
        let cursor = query.before;
        let scanned = 0;
        const filtered = query.status !== undefined || query.eventName !== undefined;
        const batch = filtered ? Math.max(query.limit * 4, 100) : query.limit;
        const top = query.until !== undefined ? `(${indexMember(query.until + 1, "")}` : "+";
        const bottom = query.since !== undefined ? `[${indexMember(query.since, "")}` : "-";
        while (items.length < query.limit && scanned < MAX_SCANNED) {
            const members = await redis.zrevrangebylex(index, cursor ? `(${cursor}` : top, bottom, "LIMIT", 0, batch);
            if (members.length === 0)
                return { items };
            const runs = await getRuns(members.map(idFromIndexMember));
            for (const [i, run] of runs.entries()) {
                cursor = members[i];
                scanned++;
                if (!run || (query.status && run.status !== query.status) || (query.eventName && !query.eventName(run.eventName)))
                    continue;
                items.push(run);
                if (items.length === query.limit)
                    break;
            }
            if (members.length < batch && items.length < query.limit)
                return { items };
        }
        return { items, next: cursor };
    }
    /** A function's newest runs, status and times only (no steps, no event): what its statistics read. */
    async function recentRunTimes(functionId, count) {
        const ids = (await redis.zrevrangebylex(keys.runIndexByFunction(functionId), "+", "-", "LIMIT", 0, count)).map(idFromIndexMember);
        const pipeline = redis.pipeline();
        for (const id of ids)
            pipeline.hmget(keys.run(id), "status", "createdAt", "startedAt", "endedAt");
        const replies = (await pipeline.exec()) ?? [];
        return replies.flatMap(([error, fields], i) => {
            const [status, createdAt, startedAt, endedAt] = (error ? [] : fields);
            if (!status)
                return [];
            return [{ id: ids[i], status: status, createdAt: Number(createdAt), ...(startedAt ? { startedAt: Number(startedAt) } : {}), ...(endedAt ? { endedAt: Number(endedAt) } : {}) }];
        });
    }
    async function listRunsForEvent(eventId) {
        const runIds = (await redis.smembers(keys.eventRuns(eventId))).sort();
        return (await getRuns(runIds)).filter((run) => run !== undefined);
    }
    return { getRun, getRuns, listRuns, listRunsForEvent, recentRunTimes };
}
