import { parseArgs } from "node:util";
import { MAX_PAGE_SIZE } from "../dashboard/query-params.js";
import { RUN_STATUSES } from "../engine/run-state.js";
import { UsageError } from "./cli-io.js";
import { callBridge } from "./operator-client.js";
async function runsCommand(args, io) {
  const { values } = parseArgs({
    args: attachNegativeLimit(args),
    options: {
      status: { type: "string" },
      function: { type: "string" },
      limit: { type: "string", default: "20" },
      json: { type: "boolean", default: false }
    }
  });
  const search = new URLSearchParams({ limit: String(parseLimit(values.limit)) });
  if (values.status !== void 0) search.set("status", checkStatus(values.status));
  if (values.function) search.set("function", values.function);
  const { runs } = await callBridge(io, `/api/runs?${search}`);
  if (values.json) {
    io.stdout.write(`${JSON.stringify(runs, null, 2)}
`);
    return 0;
  }
  if (runs.length === 0) {
    io.stderr.write("no runs match\n");
    return 0;
  }
  io.stdout.write(formatRunsTable(runs));
  return 0;
}
function attachNegativeLimit(args) {
  const index = args.indexOf("--limit");
  if (index === -1 || !/^-\d/.test(args[index + 1] ?? "")) return args;
  return [...args.slice(0, index), `--limit=${args[index + 1]}`, ...args.slice(index + 2)];
}
function checkStatus(status) {
  if (!RUN_STATUSES.includes(status)) {
    throw new UsageError(`--status must be one of ${RUN_STATUSES.join(", ")}, got "${status}"`);
  }
  return status;
}
function parseLimit(limit) {
  const count = /^\d+$/.test(limit) ? Number(limit) : Number.NaN;
  if (!(count >= 1 && count <= MAX_PAGE_SIZE)) {
    throw new UsageError(`--limit must be a whole number from 1 to ${MAX_PAGE_SIZE}, got "${limit}"`);
  }
  return count;
}
function formatRunsTable(runs) {
  const rows = [
    ["RUN", "FUNCTION", "STATUS", "STARTED", "EVENT"],
    ...runs.map((run) => {
      const started = run.startedAt ?? run.createdAt;
      return [run.id, run.functionId, run.status, started ? new Date(started).toISOString() : "-", run.eventId];
    })
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd()).join("\n") + "\n";
}
export {
  formatRunsTable,
  runsCommand
};
