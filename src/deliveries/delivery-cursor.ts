import { INDEX_MEMBER, STREAM_ID } from "../redis/cursor-forms.ts";

/**
 * The deliveries list reads two logs, and its cursor carries both positions: `<log>~<events>`,
 * each empty (not read yet), `end` (read out), or that log's own position (a stream id, an event
 * log member). Split at the first `~`: a stream id never holds one, an event id may. Undefined
 * when the cursor is not of that form.
 */
export function splitDeliveryCursor(cursor: string | undefined): { log: string; events: string } | undefined {
  if (cursor === undefined || cursor === "") return { log: "", events: "" };
  const tilde = cursor.indexOf("~");
  if (tilde < 0) return undefined;
  const log = cursor.slice(0, tilde);
  const events = cursor.slice(tilde + 1);
  const fits = (side: string, form: RegExp) => side === "" || side === "end" || form.test(side);
  return fits(log, STREAM_ID) && fits(events, INDEX_MEMBER) ? { log, events } : undefined;
}
