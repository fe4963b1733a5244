import ms, { type StringValue } from "ms";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
/** Inngest's compact form: one or more `<number><unit>` parts, as in "30s", "1h30m", "0m2s", "1w". */
const COMPACT = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;
const COMPACT_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;

/**
 * The one duration parser of the bridge, for environment variables, function options and step
 * tools alike. It takes what Inngest takes (a number of milliseconds; "30s", "1h30m", "2d",
 * "1w", "0m2s") and what `ms` takes ("3 days", "90 seconds", "1.5h"). Undefined when the value is
 * none of these, or negative.
 */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (COMPACT.test(text)) {
    let total = 0;
    for (const [, amount, unit] of text.matchAll(COMPACT_PART)) total += Number(amount) * (UNIT_MS[unit as string] as number);
    return Math.round(total);
  }
  const parsed = text === "" ? undefined : ms(text as StringValue);
  return typeof parsed === "number" && Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

export const DURATION_HINT = 'a duration such as "30s", "1h30m", "3 days" or a number of milliseconds';

/** A point in time (Date, ISO 8601 string or epoch ms) as epoch ms; undefined when it is none. */
export function parseTimeMs(value: unknown): number | undefined {
  const time = value instanceof Date ? value.getTime() : typeof value === "number" ? value : typeof value === "string" ? Date.parse(value) : NaN;
  return Number.isFinite(time) ? time : undefined;
}
