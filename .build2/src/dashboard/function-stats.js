import { compileCron, nextTick } from "../engine/compile-cron.js";
/** Statistics read each function's newest runs, this many: the bound of the scan. */
export const STATS_RUNS = 500;
/** The failure rate counts the runs that ended within this window. */
export const FAILURE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Pure: the statistics of a function from its newest runs. */
export function summarizeRuns(runs, now) {
    const counts = {};
    for (const run of runs)
        counts[run.status] = (counts[run.status] ?? 0) + 1;
    const recent = runs.filter((run) => (run.status === "completed" || run.status === "failed") && run.endedAt !== undefined && now - run.endedAt <= FAILURE_WINDOW_MS);
    const failed = recent.filter((run) => run.status === "failed").length;
    const durations = runs
        .filter((run) => run.status === "completed" && run.endedAt !== undefined)
        .map((run) => run.endedAt - (run.startedAt ?? run.createdAt))
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
export function percentile(sorted, p) {
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
/** The soonest next tick of a function's cron triggers. */
export function nextCronTick(triggers, now) {
    const ticks = (triggers ?? []).flatMap((trigger) => (trigger.cron ? [nextTick(compileCron(trigger.cron), new Date(now)).getTime()] : []));
    return ticks.length > 0 ? Math.min(...ticks) : undefined;
}
