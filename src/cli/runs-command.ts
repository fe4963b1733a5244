import { parseArgs } from "node:util";
import { MAX_PAGE_SIZE } from "../dashboard/query-params.ts";
import { RUN_STATUSES } from "../engine/store/run-state.ts";
import { UsageError, type CliIo } from "./cli-io.ts";
import { callBridge } from "./operator-client.ts";

interface RunSummary {
  id: string;
  functionId: string;
  status: string;
  eventId: string;
  startedAt?: number;
  createdAt?: number;
  endedAt?: number;
}

/** `bridge runs [--status failed] [--function id] [--limit n] [--json]`: the newest runs as a table. */
export async function runsCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: attachNegativeLimit(args),
    options: {
      status: { type: "string" },
      function: { type: "string" },
      limit: { type: "string", default: "20" },
      json: { type: "boolean", default: false },
    },
  });
  const search = new URLSearchParams({ limit: String(parseLimit(values.limit!)) });
  if (values.status !== undefined) search.set("status", checkStatus(values.status));
  if (values.function) search.set("function", values.function);
  const { runs } = (await callBridge(io, `/api/runs?${search}`)) as { runs: RunSummary[] };
  if (values.json) {
    io.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
    return 0;
  }
  if (runs.length === 0) {
    io.stderr.write("no runs match\n");
    return 0;
  }
  io.stdout.write(formatRunsTable(runs));
  return 0;
}

/**
 * parseArgs refuses `--limit -5` as ambiguous (a value that starts with a dash) in three lines
 * that never say the range; passed as `--limit=-5`, the range check below answers instead.
 */
function attachNegativeLimit(args: string[]): string[] {
  const index = args.indexOf("--limit");
  if (index === -1 || !/^-\d/.test(args[index + 1] ?? "")) return args;
  return [...args.slice(0, index), `--limit=${args[index + 1]}`, ...args.slice(index + 2)];
}

/** Checked here: the API answers an unknown status with an empty list, which reads as "no runs". */
function checkStatus(status: string): string {
  if (!(RUN_STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`--status must be one of ${RUN_STATUSES.join(", ")}, got "${status}"`);
  }
  return status;
}

function parseLimit(limit: string): number {
  const count = /^\d+$/.test(limit) ? Number(limit) : Number.NaN;
  if (!(count >= 1 && count <= MAX_PAGE_SIZE)) {
    throw new UsageError(`--limit must be a whole number from 1 to ${MAX_PAGE_SIZE}, got "${limit}"`);
  }
  return count;
}

export function formatRunsTable(runs: RunSummary[]): string {
  const rows = [
    ["RUN", "FUNCTION", "STATUS", "STARTED", "EVENT"],
    ...runs.map((run) => {
      const started = run.startedAt ?? run.createdAt;
      return [run.id, run.functionId, run.status, started ? new Date(started).toISOString() : "-", run.eventId];
    }),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return (
    rows
      .map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column]!))
          .join("  ")
          .trimEnd(),
      )
      .join("\n") + "\n"
  );
}
