import { z } from "zod";
import { BridgeError } from "../errors.js";
import { acceptEvents } from "../events/accept-events.js";
import { formatIssues } from "../events/event-schema.js";
const REPLAY_SOURCE = "replay";
const DASHBOARD_SOURCE = "dashboard";
const replayBodySchema = z.object({
  data: z.record(z.string(), z.unknown()).optional(),
  user: z.record(z.string(), z.unknown()).optional()
}).strict();
function parseBody(schema, body) {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new BridgeError("event_invalid", formatIssues(parsed.error));
  return parsed.data;
}
async function replayEvent(accept, original, changes = {}, options = {}) {
  const [id] = await acceptEvents(
    accept,
    [
      {
        ...options.id ? { id: options.id } : {},
        name: original.name,
        data: changes.data ?? original.data,
        ...changes.user ?? original.user ? { user: changes.user ?? original.user } : {},
        ...original.v ? { v: original.v } : {},
        replayOf: original.id
      }
    ],
    REPLAY_SOURCE
  );
  return { id, replayOf: original.id };
}
export {
  DASHBOARD_SOURCE,
  REPLAY_SOURCE,
  parseBody,
  replayBodySchema,
  replayEvent
};
