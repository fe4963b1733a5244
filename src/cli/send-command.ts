import type { CliIo } from "./cli-io.ts";
import { callBridge } from "./operator-client.ts";
import { readJsonInput } from "./read-input.ts";

/**
 * `bridge send <file|->`: POSTs one event or an array to the running bridge's Event API
 * (`/e/$EVENT_KEY`), exactly as the Inngest SDK would, and prints the accepted ids.
 */
export async function sendCommand(args: string[], io: CliIo): Promise<number> {
  const { value } = await readJsonInput(args[0], io);
  // Without EVENT_KEYS the bridge accepts any key (development mode).
  const key = encodeURIComponent(io.env.EVENT_KEY ?? "dev");
  const result = (await callBridge(io, `/e/${key}`, { method: "POST", body: value })) as { ids: string[] };
  for (const id of result.ids) io.stdout.write(`${id}\n`);
  return 0;
}
