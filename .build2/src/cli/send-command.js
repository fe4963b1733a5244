import { callBridge } from "./operator-client.js";
import { readJsonInput } from "./read-input.js";
/**
 * `bridge send <file|->`: POSTs one event or an array to the running bridge's Event API
 * (`/e/$EVENT_KEY`), exactly as the Inngest SDK would, and prints the accepted ids.
 */
export async function sendCommand(args, io) {
    const { value } = await readJsonInput(args[0], io);
    // Without EVENT_KEYS the bridge accepts any key (development mode).
    const key = encodeURIComponent(io.env.EVENT_KEY ?? "dev");
    const result = (await callBridge(io, `/e/${key}`, { method: "POST", body: value }));
    for (const id of result.ids)
        io.stdout.write(`${id}\n`);
    return 0;
}
