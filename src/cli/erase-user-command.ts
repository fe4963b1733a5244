import { parseArgs } from "node:util";
import { UsageError, type CliIo } from "./cli-io.ts";
import { callBridge } from "./operator-client.ts";

/**
 * `bridge erase-user <userId> [--json]`: asks the running bridge (DELETE /api/users/:id) to erase
 * what it holds about a Clerk user, and prints what went.
 */
export async function eraseUserCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: "boolean" } } });
  const userId = positionals[0];
  if (!userId) throw new UsageError("which user? bridge erase-user <userId>");
  const { erased } = await callBridge<{ erased: Record<string, unknown> }>(
    io,
    `/api/users/${encodeURIComponent(userId)}`,
    { method: "DELETE" },
  );
  if (values.json) {
    io.stdout.write(`${JSON.stringify(erased)}\n`);
    return 0;
  }
  io.stdout.write(
    `erased ${erased.userId}: ${erased.events} events, ${erased.runs} runs, ${erased.waiters} waiters, ${erased.emails} outbox emails` +
      `, ${erased.deliveries} kept webhook payloads; users row: ${erased.usersRow}; tombstone written, refusing their events until ${erased.tombstoneUntil}\n`,
  );
  return 0;
}
