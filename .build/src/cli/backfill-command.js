import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { BACKFILL_RESOURCES, PAGE_SIZE } from "../backfill/backfill-resources.js";
import { isBackfillError } from "../backfill/backfill-error.js";
import { createClerkPages } from "../backfill/clerk-pages.js";
import { createEventApiIntake } from "../backfill/event-api-intake.js";
import { count, createProgress, formatDuration, ratePerSecond } from "../backfill/progress.js";
import { createRedisIntake } from "../backfill/redis-intake.js";
import { runBackfill } from "../backfill/run-backfill.js";
import { DEFAULT_RETRY, RetriesExhaustedError } from "../backfill/with-retries.js";
import { digest } from "../redis/keys.js";
import { bridgeUrl, UsageError } from "./cli-io.js";
const CLERK_API_URL = "https://api.clerk.com";
function createBackfillCommand(retry = DEFAULT_RETRY) {
  return async function backfillCommand(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        "dry-run": { type: "boolean", default: false },
        restart: { type: "boolean", default: false },
        direct: { type: "boolean", default: false },
        state: { type: "string" },
        "limit-per-page": { type: "string" }
      }
    });
    const resource = resolveResource(positionals);
    const limit = parsePageSize(values["limit-per-page"]);
    const secretKey = io.env.CLERK_SECRET_KEY;
    if (!secretKey) throw new UsageError("CLERK_SECRET_KEY is not set: set it to the instance's secret key (Clerk Dashboard \u2192 API keys, sk_live_... or sk_test_...)");
    const apiUrl = clerkApiUrl(io.env);
    const statePath = values.state ?? join(io.env.DATA_DIR || "data", `backfill-${resource.name}.json`);
    const dryRun = values["dry-run"];
    const progress = createProgress(io.stderr, resource.noun);
    const policy = { ...retry, sleep: (ms) => sleep(ms), onWait: ({ ms, reason }) => progress.note(`${reason}; retrying in ${formatDuration(ms)}`) };
    const readPage = createClerkPages(resource, { secretKey, apiUrl, retry: policy });
    let intake;
    try {
      intake = dryRun ? void 0 : await openIntake(values.direct, io, policy);
      await intake?.check();
      const clerk = apiUrl ?? CLERK_API_URL;
      io.stderr.write(`backfill ${resource.name}: reading Clerk at ${clerk}, ${intake ? `sending to ${intake.target}` : "dry run, sending nothing"} (state: ${statePath})
`);
      const summary = await runBackfill(
        { resource, limit, dryRun, restart: values.restart, statePath, instance: `${clerk}#${digest(secretKey).slice(0, 10)}` },
        { readPage, intake, progress }
      );
      io.stdout.write(`${formatSummary(resource, summary, { dryRun, statePath, target: intake?.target })}
`);
      return 0;
    } catch (error) {
      if (isBackfillError(error)) throw new UsageError(error.message);
      if (!(error instanceof RetriesExhaustedError)) throw error;
      progress.finish();
      io.stderr.write(`bridge backfill: stopped: ${error.message}. Run the same command again to resume from ${statePath}
`);
      return 1;
    } finally {
      await intake?.close();
    }
  };
}
async function openIntake(direct, io, retry) {
  if (!direct) return createEventApiIntake({ baseUrl: bridgeUrl(io.env), eventKey: io.env.EVENT_KEY ?? "dev", fetch: io.fetch, retry });
  return createRedisIntake(io.env, { retry, log: io.stderr });
}
function resolveResource(positionals) {
  const name = positionals.join("-");
  const resource = BACKFILL_RESOURCES[name];
  if (!resource) {
    const known = Object.keys(BACKFILL_RESOURCES).join(", ");
    throw new UsageError(name ? `cannot backfill "${positionals.join(" ")}": one of ${known}` : `backfill what? one of ${known}`);
  }
  return resource;
}
function parsePageSize(value) {
  if (value === void 0) return PAGE_SIZE.default;
  const size = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(size >= PAGE_SIZE.min && size <= PAGE_SIZE.max)) {
    throw new UsageError(`--limit-per-page must be a whole number from ${PAGE_SIZE.min} to ${PAGE_SIZE.max}, got "${value}"`);
  }
  return size;
}
function clerkApiUrl(env) {
  const url = env.CLERK_API_URL;
  if (!url) return void 0;
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) throw new UsageError(`CLERK_API_URL must be an http:// or https:// URL, got "${url}"`);
  return url.replace(/\/+$/, "");
}
function formatSummary(resource, summary, context) {
  const seconds = (summary.elapsedMs / 1e3).toFixed(1);
  const rate = count(Math.round(ratePerSecond({ doneThisRun: summary.sent, elapsedMs: summary.elapsedMs })));
  const pages = `${count(summary.pages)} page${summary.pages === 1 ? "" : "s"}`;
  const resumed = summary.resumedFrom === void 0 ? "" : ` (resumed at record ${count(summary.resumedFrom)}; ${count(summary.sentInAll)} in all)`;
  if (context.dryRun) {
    return `backfill ${resource.name} (dry run): ${count(summary.sent)} ${resource.noun} in ${pages} would be sent${resumed}; nothing was sent and ${context.statePath} is unchanged`;
  }
  return `backfill ${resource.name}: sent ${count(summary.sent)} ${resource.noun} as ${resource.eventName} to ${context.target} in ${pages}, ${seconds} s (${rate}/s)${resumed}; done, recorded in ${context.statePath}`;
}
export {
  createBackfillCommand,
  formatSummary
};
