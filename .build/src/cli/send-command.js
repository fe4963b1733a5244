import { callBridge } from "./operator-client.js";
import { readJsonInput } from "./read-input.js";
async function sendCommand(args, io) {
  const { value } = await readJsonInput(args[0], io);
  const key = encodeURIComponent(io.env.EVENT_KEY ?? "dev");
  const result = await callBridge(io, `/e/${key}`, { method: "POST", body: value });
  for (const id of result.ids) io.stdout.write(`${id}
`);
  return 0;
}
export {
  sendCommand
};
