import type { Redis } from "ioredis";
import { idsIn } from "../../redis/id-lists.ts";
import { idFromIndexMember, indexMember, type BridgeKeys } from "../../redis/keys.ts";
import { IDENTITY_SEALER, type Sealer } from "../../crypto/sealer.ts";
import { decodeRun, type RunState, type RunStatus } from "./run-state.ts";

export interface RunQuery {
  status?: string;
  functionId?: string;
  /** Created at or after, at or before (ms): a range of the time index. */
  since?: number;
  until?: number;
  /** Only runs whose event's name passes this test (scanned, like a status). */
  eventName?: (name: string) => boolean;
  limit: number;
  /** The `next` cursor of the previous page. */
  before?: string;
}

export interface Page<T> {
  items: T[];
  /** Pass as `before` to get the next (older) page; absent on the last page. */
  next?: string;
}

export interface RunTimes {
  id: string;
  status: RunStatus;
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
}

/** A status filter scans the time index, at most this many runs per call. */
const MAX_SCANNED = 5000;

/** What the dashboard and the operator API read about runs. Reads only. */
export function createRunQueries(deps: { redis: Redis; keys: BridgeKeys; sealer?: Sealer }) {
  const { redis, keys } = deps;
  const sealer = deps.sealer ?? IDENTITY_SEALER;

  async function getRun(runId: string): Promise<RunState | undefined> {
    return decodeRun(runId, await redis.hgetall(keys.run(runId)), undefined, sealer);
  }

  async function getRuns(runIds: string[]): Promise<Array<RunState | undefined>> {
    if (runIds.length === 0) return [];
    const pipeline = redis.pipeline();
    for (const runId of runIds) pipeline.hgetall(keys.run(runId));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([, hash], index) =>
      decodeRun(runIds[index] as string, (hash ?? {}) as Record<string, string>, undefined, sealer),
    );
  }

  /**
   * Newest first. Runs are indexed by function and time; a status or event name filter scans the
   * index (bounded), since statuses change too often to index.
   */
  async function listRuns(query: RunQuery): Promise<Page<RunState>> {
    const indexes = query.functionId ? [keys.runIndexByFunction(query.functionId)] : await allRunIndexes();
    const items: RunState[] = [];
    let cursor = query.before;
    let scanned = 0;
    const filtered = query.status !== undefined || query.eventName !== undefined;
    const batch = filtered ? Math.max(query.limit * 4, 100) : query.limit;
    const top = query.until !== undefined ? `(${indexMember(query.until + 1, "")}` : "+";
    const bottom = query.since !== undefined ? `[${indexMember(query.since, "")}` : "-";
    while (items.length < query.limit && scanned < MAX_SCANNED) {
      const members = await newestMembers(indexes, cursor ? `(${cursor}` : top, bottom, batch);
      if (members.length === 0) return { items };
      const runs = await getRuns(members.map(idFromIndexMember));
      for (const [i, run] of runs.entries()) {
        cursor = members[i];
        scanned++;
        if (
          !run ||
          (query.status && run.status !== query.status) ||
          (query.eventName && !query.eventName(run.eventName))
        )
          continue;
        items.push(run);
        if (items.length === query.limit) break;
      }
      if (members.length < batch && items.length < query.limit) return { items };
    }
    return { items, next: cursor };
  }

  /** Every function's run index: the functions any worker has registered (they are few). */
  async function allRunIndexes(): Promise<string[]> {
    return (await redis.hkeys(keys.runFunctions)).map(keys.runIndexByFunction);
  }

  /**
   * The newest `count` members between `top` and `bottom` across the indexes: each index's newest
   * `count`, merged. Members are `<time>|<run id>`, so their order is the same in every index.
   */
  async function newestMembers(indexes: string[], top: string, bottom: string, count: number): Promise<string[]> {
    if (indexes.length === 1) return redis.zrevrangebylex(indexes[0]!, top, bottom, "LIMIT", 0, count);
    const pipeline = redis.pipeline();
    for (const index of indexes) pipeline.zrevrangebylex(index, top, bottom, "LIMIT", 0, count);
    const lists = ((await pipeline.exec()) ?? []).map(([error, members]) => {
      if (error) throw error;
      return members as string[];
    });
    return lists
      .flat()
      .sort((a, b) => (a < b ? 1 : a > b ? -1 : 0))
      .slice(0, count);
  }

  /** A function's newest runs, status and times only (no steps, no event): what its statistics read. */
  async function recentRunTimes(functionId: string, count: number): Promise<RunTimes[]> {
    const ids = (await redis.zrevrangebylex(keys.runIndexByFunction(functionId), "+", "-", "LIMIT", 0, count)).map(
      idFromIndexMember,
    );
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hmget(keys.run(id), "status", "createdAt", "startedAt", "endedAt");
    const replies = (await pipeline.exec()) ?? [];
    return replies.flatMap(([error, fields], i) => {
      const [status, createdAt, startedAt, endedAt] = (error ? [] : fields) as Array<string | null>;
      if (!status) return [];
      return [
        {
          id: ids[i] as string,
          status: status as RunStatus,
          createdAt: Number(createdAt),
          ...(startedAt ? { startedAt: Number(startedAt) } : {}),
          ...(endedAt ? { endedAt: Number(endedAt) } : {}),
        },
      ];
    });
  }

  async function listRunsForEvent(eventId: string): Promise<RunState[]> {
    const runIds = (await idsIn(redis, keys.eventRuns(eventId), keys.legacyEventRuns(eventId))).sort();
    return (await getRuns(runIds)).filter((run): run is RunState => run !== undefined);
  }

  return { getRun, getRuns, listRuns, listRunsForEvent, recentRunTimes };
}

export type RunQueries = ReturnType<typeof createRunQueries>;
