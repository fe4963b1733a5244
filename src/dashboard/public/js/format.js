// @ts-check
// Times, durations and ids as the dashboard writes them: text only, no DOM.

/** @param {number | undefined} ms */
export function ago(ms) {
  if (!ms) return "";
  const seconds = Math.round((Date.now() - ms) / 1000);
  if (seconds < 0) return `in ${duration(-seconds * 1000)}`;
  if (seconds < 5) return "just now";
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86400)}d ago`;
}

/** @param {number | undefined} ms */
export function clock(ms) {
  if (!ms) return "—";
  const date = new Date(ms);
  const today = new Date().toDateString() === date.toDateString();
  const time = date.toLocaleTimeString(undefined, {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
  });
  return today ? time : `${date.toLocaleDateString(undefined, { month: "short", day: "numeric" })} ${time}`;
}

/** @param {number | undefined | null} ms */
export function duration(ms) {
  if (ms === undefined || ms === null || Number.isNaN(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(ms < 9_995 ? 2 : 1)} s`;
  // Two units at most, rounded as a whole first so 2d 23.9h reads 3d, not "2d 24h".
  /** @type {Array<[number, number, string, string]>} */
  const units = [
    [86_400_000, 3_600_000, "d", "h"],
    [3_600_000, 60_000, "h", "m"],
    [60_000, 1000, "m", "s"],
  ];
  for (const [big, small, bigName, smallName] of units) {
    const rounded = Math.round(ms / small) * small;
    if (rounded < big) continue;
    const whole = Math.floor(rounded / big);
    const rest = Math.round((rounded % big) / small);
    return rest ? `${whole}${bigName} ${rest}${smallName}` : `${whole}${bigName}`;
  }
  return `${Math.round(ms / 1000)} s`;
}

/** @param {string | undefined} id */
export function shortId(id) {
  return id && id.length > 14 ? `${id.slice(0, 6)}…${id.slice(-6)}` : (id ?? "");
}

/** The first line of a message (a stack or a long error reads whole on its own page). @param {string | undefined} text */
export const firstLine = (text) => (text ?? "").split("\n", 1)[0] ?? "";
