import { resolve } from "node:path";
import { UsageError } from "./cli-io.js";
import { readJsonInput } from "./read-input.js";
import { applyTransform } from "../transforms/apply-transform.js";
import { loadTransforms } from "../transforms/load-transforms.js";
async function transformTestCommand(args, io) {
  const [subcommand, source, file] = args;
  if (subcommand !== "test" || !source) throw new UsageError("usage: bridge transform test <source> <payload.json|->");
  const dir = io.env.TRANSFORMS_DIR ?? "transforms";
  const transforms = await loadTransforms(dir);
  const transform = transforms.get(source);
  if (!transform) {
    throw new UsageError(`no template for source "${source}" in ${resolve(dir)} (found: ${[...transforms.keys()].join(", ") || "none"})`);
  }
  const { value } = await readJsonInput(file, io);
  const now = Date.now();
  const context = { source, webhookId: "msg_transform_test", webhookTimestamp: Math.floor(now / 1e3) };
  const events = await applyTransform(transform, value, context, 5e3);
  io.stdout.write(`${JSON.stringify(events, null, 2)}
`);
  io.stderr.write(`${events.length} event${events.length === 1 ? "" : "s"}; nothing was sent
`);
  return 0;
}
export {
  transformTestCommand
};
