import ms, { type StringValue } from "ms";

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
/**
 * Inngest's compact form, Go's `time.ParseDuration` grammar with `d` and `w` (str2duration, what
 * Inngest's server reads for periods and timeouts): one or more `<number><unit>` parts, as in
 * "30s", "1h30m", "0m2s", "1.5h", "1w2d"; the parts may be spaced ("1h 30m", as the SDK's
 * `durationToMs` takes them).
 */
const PART = String.raw`\d*\.?\d+(?:ns|us|µs|ms|s|m|h|d|w)`;
const COMPACT = new RegExp(`^${PART}(?:\\s*${PART})*$`);
const COMPACT_PART = /(\d*\.?\d+)(ns|us|µs|ms|s|m|h|d|w)/g;

/**
 * Longer strings are no duration (`ms` draws the same line). A step tool may be handed a value
 * from an event (`step.sleep("wait", event.data.delay)`), and COMPACT's `\d*\.?\d+` takes time
 * quadratic in a run of digits.
 */
const MAX_DURATION_CHARS = 100;

/**
 * The one duration parser of the bridge, for environment variables, function options and step
 * tools alike. It takes what Inngest takes, wherever Inngest takes it: a number of milliseconds;
 * the compact form above; and what the SDK's `ms` takes for step tools ("3 days", "90 seconds",
 * "1.5 h", "1y", a bare "500" meaning ms). Undefined when the value is none of these, or negative.
 *
 * Differences, both on the lenient side: a compound string works in step tools too
 * (`step.sleep("1h30m")` sleeps 90 minutes here; Inngest's SDK turns it into "" and sleeps 0 s),
 * and a sub-second duration is kept as it is (the SDK rounds it up to 1 s).
 */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string" || value.length > MAX_DURATION_CHARS) return undefined;
  const text = value.trim();
  if (COMPACT.test(text)) {
    let total = 0;
    for (const [, amount, unit] of text.matchAll(COMPACT_PART)) total += Number(amount) * (UNIT_MS[unit ?? ""] ?? 0);
    return Math.round(total);
  }
  const parsed = text === "" ? undefined : ms(text as StringValue);
  return typeof parsed === "number" && Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

export const DURATION_HINT = 'a duration such as "30s", "1h30m", "3 days" or a number of milliseconds';

/** A point in time (Date, ISO 8601 string or epoch ms) as epoch ms; undefined when it is none. */
export function parseTimeMs(value: unknown): number | undefined {
  const time =
    value instanceof Date
      ? value.getTime()
      : typeof value === "number"
        ? value
        : typeof value === "string"
          ? Date.parse(value)
          : NaN;
  return Number.isFinite(time) ? time : undefined;
}
