import { resolve } from "node:path";
import { UsageError, type CliIo } from "./cli-io.ts";
import { readJsonInput } from "./read-input.ts";
import { applyTransform } from "../transforms/apply-transform.ts";
import { loadTransforms } from "../transforms/load-transforms.ts";

/**
 * `bridge transform test <source> <payload.json>`: runs the template the bridge would run for
 * /webhooks/<source> and prints the events it produces. Nothing is sent or stored.
 */
export async function transformTestCommand(args: string[], io: CliIo): Promise<number> {
  const [subcommand, source, file] = args;
  if (subcommand !== "test" || !source) throw new UsageError("usage: bridge transform test <source> <payload.json|->");
  const dir = io.env.TRANSFORMS_DIR ?? "transforms";
  const transforms = await loadTransforms(dir);
  const transform = transforms.get(source);
  if (!transform) {
    throw new UsageError(
      `no template for source "${source}" in ${resolve(dir)} (found: ${[...transforms.keys()].join(", ") || "none"})`,
    );
  }
  const { value } = await readJsonInput(file, io);
  const now = Date.now();
  // The id a real delivery would carry: events without their own id are named after it.
  const context = { source, webhookId: "msg_transform_test", webhookTimestamp: Math.floor(now / 1000) };
  const events = await applyTransform(transform, value, context, 5000);
  io.stdout.write(`${JSON.stringify(events, null, 2)}\n`);
  io.stderr.write(`${events.length} event${events.length === 1 ? "" : "s"}; nothing was sent\n`);
  return 0;
}
