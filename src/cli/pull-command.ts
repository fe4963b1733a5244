import { parseArgs } from "node:util";
import { UsageError, type CliIo } from "./cli-io.ts";
import { toEventApiPayload, type EventApiPayload } from "../events/event-schema.ts";
import { callBridge } from "./operator-client.ts";

/**
 * `bridge pull <eventId> --from <url>`: reads an event from another bridge's operator API (a
 * production one, with PROD_ADMIN_TOKEN, else ADMIN_TOKEN) and sends it, same id and all, to the
 * local bridge's Event API (BRIDGE_URL, EVENT_KEY), so that a real event runs through the
 * functions on a laptop. Pulling it twice stores it once: the id dedupes.
 */
export async function pullCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { from: { type: "string" } } });
  const eventId = positionals[0];
  if (!eventId) throw new UsageError("which event? bridge pull <eventId> --from <url>");
  const from = remoteUrl(values.from);
  const remote = { url: from, token: io.env.PROD_ADMIN_TOKEN || io.env.ADMIN_TOKEN, tokenVariable: "PROD_ADMIN_TOKEN" };
  const { event } = (await callBridge(io, `/api/events/${encodeURIComponent(eventId)}`, { bridge: remote })) as {
    event: EventApiPayload;
  };
  const body = toEventApiPayload(event);
  // Without EVENT_KEYS the local bridge accepts any key, and clerk/* names from this machine.
  const key = encodeURIComponent(io.env.EVENT_KEY ?? "dev");
  const result = (await callBridge(io, `/e/${key}`, { method: "POST", body })) as { ids: string[] };
  for (const id of result.ids) io.stdout.write(`${id}\n`);
  io.stderr.write(`pulled ${event.id} (${event.name}) from ${from}\n`);
  return 0;
}

function remoteUrl(from: string | undefined): string {
  if (!from) throw new UsageError("from which bridge? bridge pull <eventId> --from https://bridge.example.com");
  if (!/^https?:\/\//i.test(from) || !URL.canParse(from))
    throw new UsageError(`--from must be an http:// or https:// URL, got "${from}"`);
  return from.replace(/\/+$/, "");
}
