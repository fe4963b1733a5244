import ms from "ms";
const UNIT_MS = { ns: 1e-6, us: 1e-3, "\xB5s": 1e-3, ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 };
const PART = String.raw`\d*\.?\d+(?:ns|us|µs|ms|s|m|h|d|w)`;
const COMPACT = new RegExp(`^${PART}(?:\\s*${PART})*$`);
const COMPACT_PART = /(\d*\.?\d+)(ns|us|µs|ms|s|m|h|d|w)/g;
function parseDurationMs(value) {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : void 0;
  if (typeof value !== "string") return void 0;
  const text = value.trim();
  if (COMPACT.test(text)) {
    let total = 0;
    for (const [, amount, unit] of text.matchAll(COMPACT_PART)) total += Number(amount) * UNIT_MS[unit];
    return Math.round(total);
  }
  const parsed = text === "" ? void 0 : ms(text);
  return typeof parsed === "number" && Number.isFinite(parsed) && parsed >= 0 ? parsed : void 0;
}
const DURATION_HINT = 'a duration such as "30s", "1h30m", "3 days" or a number of milliseconds';
function parseTimeMs(value) {
  const time = value instanceof Date ? value.getTime() : typeof value === "number" ? value : typeof value === "string" ? Date.parse(value) : NaN;
  return Number.isFinite(time) ? time : void 0;
}
export {
  DURATION_HINT,
  parseDurationMs,
  parseTimeMs
};
