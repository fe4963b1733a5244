import { parseArgs } from "node:util";
import type { CliIo } from "./cli-io.ts";
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
    args,
    options: {
      status: { type: "string" },
      function: { type: "string" },
      limit: { type: "string", default: "20" },
      json: { type: "boolean", default: false },
    },
  });
  const search = new URLSearchParams({ limit: values.limit! });
  if (values.status) search.set("status", values.status);
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

export function formatRunsTable(runs: RunSummary[]): string {
  const rows = [
    ["RUN", "FUNCTION", "STATUS", "STARTED", "EVENT"],
    ...runs.map((run) => {
      const started = run.startedAt ?? run.createdAt;
      return [run.id, run.functionId, run.status, started ? new Date(started).toISOString() : "-", run.eventId];
    }),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd()).join("\n") + "\n";
}
