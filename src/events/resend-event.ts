import { z } from "zod";
import { BridgeError } from "../errors.ts";
import { acceptEvents, type AcceptDeps } from "./accept-events.ts";
import { formatIssues, type BridgeEvent } from "./event-schema.ts";

/** The sources the bridge stamps on events an operator made, so the stream shows where they came from. */
export const REPLAY_SOURCE = "replay";
export const DASHBOARD_SOURCE = "dashboard";

export const replayBodySchema = z
  .object({
    data: z.record(z.string(), z.unknown()).optional(),
    user: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new BridgeError("event_invalid", formatIssues(parsed.error));
  return parsed.data;
}

/**
 * Resends an event as a NEW event (a fresh id, so deduplication lets it through and every
 * function runs again) that names the original in `replayOf`: what an operator's "replay" does
 * (the route, the CLI's `bridge replay`, the audit actions and the stored `replay` source keep
 * that word; in the code it is "resend", apart from the engine's replay of stored steps).
 * Edit-and-replay passes new data. A bulk replay names the new id itself, so that resending the
 * same item twice (after a crash) stores it once.
 */
export async function resendEvent(
  accept: AcceptDeps,
  original: BridgeEvent,
  changes: z.infer<typeof replayBodySchema> = {},
  options: { id?: string } = {},
): Promise<{ id: string; replayOf: string }> {
  const [id] = await acceptEvents(
    accept,
    [
      {
        ...(options.id ? { id: options.id } : {}),
        name: original.name,
        data: changes.data ?? original.data,
        ...((changes.user ?? original.user) ? { user: changes.user ?? original.user } : {}),
        ...(original.v ? { v: original.v } : {}),
        replayOf: original.id,
      },
    ],
    REPLAY_SOURCE,
  );
  return { id: id!, replayOf: original.id };
}
