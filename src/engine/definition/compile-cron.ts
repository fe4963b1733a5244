import { CronExpressionParser } from "cron-parser";

export interface CompiledCron {
  /** As the function declared it, e.g. "TZ=Europe/Paris 0 9 * * *". */
  cron: string;
  /** The expression alone, for the scheduler. */
  pattern: string;
  /** The IANA time zone of a `TZ=` (or `CRON_TZ=`) prefix; UTC otherwise. */
  tz?: string;
}

/**
 * Parses a cron trigger when the function is defined, so a mistake stops the start naming the
 * function instead of failing later inside the scheduler. Accepts Inngest's forms: five fields
 * (or six, with seconds first), a macro such as "@daily", and a time zone prefix
 * "TZ=Europe/Paris 0 9 * * *". cron-parser accepts a wrong field count and an unknown time zone
 * silently, so both are checked here. Throws an Error with the reason.
 */
export function compileCron(cron: string): CompiledCron {
  const match = /^\s*(?:(?:CRON_)?TZ=(\S+)\s+)?(.+?)\s*$/.exec(cron);
  const tz = match?.[1];
  const pattern = match?.[2] ?? "";
  if (tz !== undefined) checkTimeZone(tz);
  const fields = pattern.split(/\s+/).length;
  if (!pattern.startsWith("@") && fields !== 5 && fields !== 6) {
    throw new Error(
      `"${pattern}" has ${fields} fields; a cron expression has 5 (minute hour day month weekday), or 6 with seconds first`,
    );
  }
  try {
    CronExpressionParser.parse(pattern, tz === undefined ? {} : { tz });
  } catch (error) {
    throw new Error(`"${pattern}" is not a cron expression: ${(error as Error).message}`, { cause: error });
  }
  return { cron, pattern, ...(tz === undefined ? {} : { tz }) };
}

/** The next tick after `from`, for the dashboard. */
export function nextTick(cron: CompiledCron, from = new Date()): Date {
  return CronExpressionParser.parse(cron.pattern, {
    currentDate: from,
    ...(cron.tz === undefined ? {} : { tz: cron.tz }),
  })
    .next()
    .toDate();
}

function checkTimeZone(tz: string): void {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
  } catch {
    throw new Error(`"${tz}" is not an IANA time zone (such as Europe/Paris or America/New_York)`);
  }
}
