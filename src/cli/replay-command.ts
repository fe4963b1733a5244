import { parseArgs } from "node:util";
import { UsageError, type CliIo } from "./cli-io.ts";
import { callBridge } from "./operator-client.ts";
import { readJsonInput } from "./read-input.ts";

/**
 * `bridge replay <eventId> [--data <file|->]`: replays an event as a new one (a new id that links
 * back); with --data, the new event carries that data instead (edit and replay).
 */
export async function replayCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { data: { type: "string" } } });
  const eventId = positionals[0];
  if (!eventId) throw new UsageError("which event? bridge replay <eventId>");
  const path = `/api/events/${encodeURIComponent(eventId)}`;
  const result = values.data
    ? await callBridge<{ id: string }>(io, `${path}/edit-and-replay`, {
        method: "POST",
        body: { data: (await readJsonInput(values.data, io)).value },
      })
    : await callBridge<{ id: string }>(io, `${path}/replay`, { method: "POST", body: {} });
  io.stdout.write(`${result.id}\n`);
  io.stderr.write(`replayed ${eventId} as ${result.id}\n`);
  return 0;
}
