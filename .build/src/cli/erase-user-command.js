import { parseArgs } from "node:util";
import { UsageError } from "./cli-io.js";
import { callBridge } from "./operator-client.js";
async function eraseUserCommand(args, io) {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: "boolean" } } });
  const userId = positionals[0];
  if (!userId) throw new UsageError("which user? bridge erase-user <userId>");
  const { erased } = await callBridge(io, `/api/users/${encodeURIComponent(userId)}`, { method: "DELETE" });
  if (values.json) {
    io.stdout.write(`${JSON.stringify(erased)}
`);
    return 0;
  }
  io.stdout.write(
    `erased ${erased.userId}: ${erased.events} events, ${erased.runs} runs, ${erased.waiters} waiters, ${erased.emails} outbox emails, ${erased.deliveries} kept webhook payloads; users row: ${erased.usersRow}
`
  );
  return 0;
}
export {
  eraseUserCommand
};
