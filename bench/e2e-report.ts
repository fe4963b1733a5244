/**
 * The measures of the end-to-end benchmark beside their targets: a table on stdout and the same
 * figures as JSON in artifacts/, so runs before and after a change can be compared.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface Measure {
  measure: string;
  /** null: not reached within the bench's time limit. */
  result: number | null;
  unit: string;
  target: string;
  /** null when the measure has no target of its own (shown for comparison only). */
  pass: boolean | null;
}

export function atLeast(
  measure: string,
  result: number | null,
  unit: string,
  floor: number,
  target = `≥ ${floor.toLocaleString("en-US")} ${unit}`,
): Measure {
  return { measure, result, unit, target, pass: result !== null && result >= floor };
}

export function atMost(
  measure: string,
  result: number | null,
  unit: string,
  ceiling: number,
  target = `≤ ${ceiling.toLocaleString("en-US")} ${unit}`,
): Measure {
  return { measure, result, unit, target, pass: result !== null && result <= ceiling };
}

export function shown(measure: string, result: number | null, unit: string): Measure {
  return { measure, result, unit, target: "—", pass: null };
}

/** Nearest-rank percentile of `values` (unsorted), or null when there are none. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function printReport(measures: Measure[], notes: string[]): void {
  const rows = measures.map((m) => ({
    measure: m.measure,
    result: m.result === null ? "not reached" : `${m.result.toLocaleString("en-US")} ${m.unit}`,
    target: m.target,
    "pass/miss": m.pass === null ? "" : m.pass ? "pass" : "MISS",
  }));
  const widths = (Object.keys(rows[0]!) as Array<keyof (typeof rows)[number]>).map((key) =>
    Math.max(key.length, ...rows.map((row) => row[key].length)),
  );
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(`\n${line(Object.keys(rows[0]!))}`);
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of rows) console.log(line(Object.values(row)));
  console.log("");
  for (const note of notes) console.log(note);
}

/** Writes `artifacts/bench-e2e-<timestamp>.json` under `root` and returns its path. */
export async function writeArtifact(root: string, report: object): Promise<string> {
  const dir = join(root, "artifacts");
  await mkdir(dir, { recursive: true });
  const path = join(
    dir,
    `bench-e2e-${new Date()
      .toISOString()
      .replaceAll(":", "-")
      .replace(/\.\d+Z$/, "Z")}.json`,
  );
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}
