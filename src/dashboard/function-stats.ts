import { compileCron, nextTick } from "../engine/definition/compile-cron.ts";
import type { RunTimes } from "../engine/store/run-queries.ts";
import type { RunStatus } from "../engine/store/run-state.ts";

/** Statistics read each function's newest runs, this many: the bound of the scan. */
export const STATS_RUNS = 500;
/** The failure rate counts the runs that ended within this window. */
export const FAILURE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface FunctionStats {
  id: string;
  /** Runs in each state among the newest STATS_RUNS. */
  counts: Partial<Record<RunStatus, number>>;
  scanned: number;
  /** Failed runs among those that completed or failed in the last 24 hours; absent when none did. */
  failureRate?: number;
  ended24h: number;
  /** Durations of the completed runs among the newest (start to end, ms). */
  p50Ms?: number;
  p95Ms?: number;
  /** The next cron tick (ms), for a function with a cron trigger. */
  nextTickAt?: number;
  paused: boolean;
  /** Runs held by the pause, waiting for a resume. */
  held: number;
}

/** Pure: the statistics of a function from its newest runs. */
export function summarizeRuns(
  runs: readonly RunTimes[],
  now: number,
): Pick<FunctionStats, "counts" | "scanned" | "failureRate" | "ended24h" | "p50Ms" | "p95Ms"> {
  const counts: Partial<Record<RunStatus, number>> = {};
  for (const run of runs) counts[run.status] = (counts[run.status] ?? 0) + 1;
  const recent = runs.filter(
    (run) =>
      (run.status === "completed" || run.status === "failed") &&
      run.endedAt !== undefined &&
      now - run.endedAt <= FAILURE_WINDOW_MS,
  );
  const failed = recent.filter((run) => run.status === "failed").length;
  const durations = runs
    .filter((run) => run.status === "completed" && run.endedAt !== undefined)
    .map((run) => (run.endedAt as number) - (run.startedAt ?? run.createdAt))
    .sort((a, b) => a - b);
  return {
    counts,
    scanned: runs.length,
    ended24h: recent.length,
    ...(recent.length > 0 ? { failureRate: failed / recent.length } : {}),
    ...(durations.length > 0 ? { p50Ms: percentile(durations, 0.5), p95Ms: percentile(durations, 0.95) } : {}),
  };
}

/** Nearest rank, on sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

/** The soonest next tick of a function's cron triggers. */
export function nextCronTick(triggers: ReadonlyArray<{ cron?: string }> | undefined, now: number): number | undefined {
  const ticks = (triggers ?? []).flatMap((trigger) =>
    trigger.cron ? [nextTick(compileCron(trigger.cron), new Date(now)).getTime()] : [],
  );
  return ticks.length > 0 ? Math.min(...ticks) : undefined;
}
