import type { BridgeEvent } from "../events/event-schema.ts";
import { globMatches } from "../util/glob-match.ts";

/**
 * What an operator typed in the events search box, read as one of:
 * - `data.id = user_123`, `user.email = ada@example.com`, `id = user_123` (data. assumed): the
 *   value at that path equals the value (case-insensitive);
 * - a name pattern with `*` (`clerk/user.*`, `*.deleted`);
 * - anything else (`user.created`, `msg_2g7...`, `ada@example.com`): an event with that id, or
 *   else the names it starts (`clerk/user` → `clerk/user.created`, `user.created` →
 *   `clerk/user.created`), or else text found in the events' data and user.
 */
export type EventSearch =
  | { kind: "path"; path: string[]; value: string }
  | { kind: "pattern"; pattern: string }
  | { kind: "term"; term: string };

export function parseEventSearch(text: string): EventSearch {
  const query = text.trim();
  const equals = /^([A-Za-z_$][\w$-]*(?:\.[\w$-]+)*)\s*=\s*(.+)$/.exec(query);
  if (equals) {
    const [, pathText = "", valueText = ""] = equals;
    const path = pathText.split(".");
    const rooted = path[0] === "data" || path[0] === "user" ? path : ["data", ...path];
    return { kind: "path", path: rooted, value: unquote(valueText.trim()) };
  }
  if (query.includes("*")) return { kind: "pattern", pattern: query };
  return { kind: "term", term: query };
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/**
 * Whether a name matches a pattern (`*` any run of characters) or starts with a term, either from
 * its beginning or from just after its source's prefix (`user.created` finds `clerk/user.created`).
 */
export function matchesName(name: string, search: { pattern: string } | { term: string }): boolean {
  const lower = name.toLowerCase();
  const tail = lower.slice(lower.indexOf("/") + 1);
  if ("term" in search) {
    const term = search.term.toLowerCase();
    return lower.startsWith(term) || tail.startsWith(term);
  }
  // Linear, never a RegExp: the pattern is whatever the operator (or a crafted link) typed.
  const pattern = search.pattern.toLowerCase();
  return globMatches(pattern, lower) || globMatches(pattern, tail);
}

/** Whether an event's data (or user) holds the value at the path, or the text anywhere. */
export function matchesData(
  event: Pick<BridgeEvent, "data" | "user">,
  search: { path: string[]; value: string } | { term: string },
): boolean {
  if ("path" in search) {
    let value: unknown = event;
    for (const key of search.path)
      value = value !== null && typeof value === "object" ? Reflect.get(value, key) : undefined;
    return isScalar(value) && String(value).toLowerCase() === search.value.toLowerCase();
  }
  const term = search.term.toLowerCase();
  return containsText(event.data, term) || (event.user !== undefined && containsText(event.user, term));
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

/** Depth is bounded by the intake (64 levels), so the walk is too. */
function containsText(value: unknown, term: string): boolean {
  if (isScalar(value)) return String(value).toLowerCase().includes(term);
  if (Array.isArray(value)) return value.some((item) => containsText(item, term));
  if (value !== null && typeof value === "object") return Object.values(value).some((item) => containsText(item, term));
  return false;
}
