import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { BACKFILL_RESOURCES, PAGE_SIZE, type BackfillResource } from "../backfill/backfill-resources.ts";
import { isBackfillError } from "../backfill/backfill-error.ts";
import { createClerkPages } from "../backfill/clerk-pages.ts";
import { createEventApiIntake } from "../backfill/event-api-intake.ts";
import type { Intake } from "../backfill/intake.ts";
import { count, createProgress, formatDuration, ratePerSecond } from "../backfill/progress.ts";
import { createRedisIntake } from "../backfill/redis-intake.ts";
import { cliClients } from "../app/cli-clients.ts";
import { loadConfig } from "../config/load-config.ts";
import { createLogger } from "../logger.ts";
import { DEFAULT_REDIS_URL } from "../redis/create-redis.ts";
import { runBackfill, type BackfillSummary } from "../backfill/run-backfill.ts";
import { DEFAULT_RETRY, RetriesExhaustedError, type RetryPolicy } from "../backfill/with-retries.ts";
import { digest } from "../redis/keys.ts";
import { bridgeUrl, UsageError, type CliIo } from "./cli-io.ts";

const CLERK_API_URL = "https://api.clerk.com";

/**
 * `bridge backfill users|organizations|organization-memberships`: sends every existing record
 * through the bridge's intake as `clerk/<type>.backfilled`, for the users who signed up before the
 * bridge existed. Made by a factory so tests can shorten the retry backoff.
 */
export function createBackfillCommand(retry: Omit<RetryPolicy, "sleep" | "onWait"> = DEFAULT_RETRY) {
  return async function backfillCommand(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        "dry-run": { type: "boolean", default: false },
        restart: { type: "boolean", default: false },
        direct: { type: "boolean", default: false },
        state: { type: "string" },
        "limit-per-page": { type: "string" },
      },
    });
    const resource = resolveResource(positionals);
    const limit = parsePageSize(values["limit-per-page"]);
    const secretKey = io.env.CLERK_SECRET_KEY;
    if (!secretKey)
      throw new UsageError(
        "CLERK_SECRET_KEY is not set: set it to the instance's secret key (Clerk Dashboard → API keys, sk_live_... or sk_test_...)",
      );
    const apiUrl = clerkApiUrl(io.env);
    const statePath = values.state ?? join(io.env.DATA_DIR || "data", `backfill-${resource.name}.json`);
    const dryRun = values["dry-run"];

    const progress = createProgress(io.stderr, resource.noun);
    const policy: RetryPolicy = {
      ...retry,
      sleep: (ms) => sleep(ms),
      onWait: ({ ms, reason }) => progress.note(`${reason}; retrying in ${formatDuration(ms)}`),
    };
    const readPage = createClerkPages(resource, { secretKey, apiUrl, retry: policy });
    let intake: Intake | undefined;
    try {
      intake = dryRun ? undefined : await openIntake(values.direct, io, policy);
      await intake?.check();
      const clerk = apiUrl ?? CLERK_API_URL;
      io.stderr.write(
        `backfill ${resource.name}: reading Clerk at ${clerk}, ${intake ? `sending to ${intake.target}` : "dry run, sending nothing"} (state: ${statePath})\n`,
      );
      const summary = await runBackfill(
        {
          resource,
          limit,
          dryRun,
          restart: values.restart,
          statePath,
          instance: `${clerk}#${digest(secretKey).slice(0, 10)}`,
        },
        { readPage, intake, progress },
      );
      io.stdout.write(`${formatSummary(resource, summary, { dryRun, statePath, target: intake?.target })}\n`);
      return 0;
    } catch (error) {
      if (isBackfillError(error)) throw new UsageError(error.message);
      if (!(error instanceof RetriesExhaustedError)) throw error;
      // An outage outlasted the retries: what was acknowledged is recorded, so say how to go on.
      progress.finish();
      io.stderr.write(
        `bridge backfill: stopped: ${error.message}. Run the same command again to resume from ${statePath}\n`,
      );
      return 1;
    } finally {
      await intake?.close();
    }
  };
}

async function openIntake(direct: boolean, io: CliIo, retry: RetryPolicy): Promise<Intake> {
  if (!direct)
    return createEventApiIntake({
      baseUrl: bridgeUrl(io.env),
      eventKey: io.env.EVENT_KEY ?? "dev",
      fetch: io.fetch,
      retry,
    });
  // A receiver's services: no engine client. REDIS_URL falls back to the bridge's default
  // explicitly, so that nothing answering there is an error, never a private redis-server started
  // by a command-line tool.
  const config = loadConfig({ ...io.env, ROLE: "receiver", REDIS_URL: io.env.REDIS_URL || DEFAULT_REDIS_URL });
  // Warnings only unless LOG_LEVEL says otherwise: "Redis: connected" would only crowd the progress.
  const logger = createLogger(io.env.LOG_LEVEL ? config.logLevel : "warn", io.stderr);
  const services = await cliClients(config, logger).services();
  return createRedisIntake(
    { accept: services.accept, redisPrefix: config.redisPrefix, close: services.close },
    { retry },
  );
}

/** `users`, `organizations`, `organization-memberships` (or `organization memberships`). */
function resolveResource(positionals: string[]): BackfillResource {
  const name = positionals.join("-");
  const resource = BACKFILL_RESOURCES[name];
  if (!resource) {
    const known = Object.keys(BACKFILL_RESOURCES).join(", ");
    throw new UsageError(
      name ? `cannot backfill "${positionals.join(" ")}": one of ${known}` : `backfill what? one of ${known}`,
    );
  }
  return resource;
}

function parsePageSize(value: string | undefined): number {
  if (value === undefined) return PAGE_SIZE.default;
  const size = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(size >= PAGE_SIZE.min && size <= PAGE_SIZE.max)) {
    throw new UsageError(
      `--limit-per-page must be a whole number from ${PAGE_SIZE.min} to ${PAGE_SIZE.max}, got "${value}"`,
    );
  }
  return size;
}

function clerkApiUrl(env: CliIo["env"]): string | undefined {
  const url = env.CLERK_API_URL;
  if (!url) return undefined;
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url))
    throw new UsageError(`CLERK_API_URL must be an http:// or https:// URL, got "${url}"`);
  return url.replace(/\/+$/, "");
}

export function formatSummary(
  resource: BackfillResource,
  summary: BackfillSummary,
  context: { dryRun: boolean; statePath: string; target?: string },
): string {
  const seconds = (summary.elapsedMs / 1000).toFixed(1);
  const rate = count(Math.round(ratePerSecond({ doneThisRun: summary.sent, elapsedMs: summary.elapsedMs })));
  const pages = `${count(summary.pages)} page${summary.pages === 1 ? "" : "s"}`;
  const resumed =
    summary.resumedFrom === undefined
      ? ""
      : ` (resumed at record ${count(summary.resumedFrom)}; ${count(summary.sentInAll)} in all)`;
  if (context.dryRun) {
    return `backfill ${resource.name} (dry run): ${count(summary.sent)} ${resource.noun} in ${pages} would be sent${resumed}; nothing was sent and ${context.statePath} is unchanged`;
  }
  return `backfill ${resource.name}: sent ${count(summary.sent)} ${resource.noun} as ${resource.eventName} to ${context.target} in ${pages}, ${seconds} s (${rate}/s)${resumed}; done, recorded in ${context.statePath}`;
}
