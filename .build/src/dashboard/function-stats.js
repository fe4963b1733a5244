import { compileCron, nextTick } from "../engine/compile-cron.js";
const STATS_RUNS = 500;
const FAILURE_WINDOW_MS = 24 * 60 * 60 * 1e3;
function summarizeRuns(runs, now) {
  const counts = {};
  for (const run of runs) counts[run.status] = (counts[run.status] ?? 0) + 1;
  const recent = runs.filter((run) => (run.status === "completed" || run.status === "failed") && run.endedAt !== void 0 && now - run.endedAt <= FAILURE_WINDOW_MS);
  const failed = recent.filter((run) => run.status === "failed").length;
  const durations = runs.filter((run) => run.status === "completed" && run.endedAt !== void 0).map((run) => run.endedAt - (run.startedAt ?? run.createdAt)).sort((a, b) => a - b);
  return {
    counts,
    scanned: runs.length,
    ended24h: recent.length,
    ...recent.length > 0 ? { failureRate: failed / recent.length } : {},
    ...durations.length > 0 ? { p50Ms: percentile(durations, 0.5), p95Ms: percentile(durations, 0.95) } : {}
  };
}
function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
function nextCronTick(triggers, now) {
  const ticks = (triggers ?? []).flatMap((trigger) => trigger.cron ? [nextTick(compileCron(trigger.cron), new Date(now)).getTime()] : []);
  return ticks.length > 0 ? Math.min(...ticks) : void 0;
}
export {
  FAILURE_WINDOW_MS,
  STATS_RUNS,
  nextCronTick,
  percentile,
  summarizeRuns
};
