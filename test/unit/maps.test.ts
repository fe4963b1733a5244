import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

// The maps of the code: ARCHITECTURE.md at the top, and the Markdown files inside src/ (the engine's
// rooms each have one). A file or folder of src/ that no map names is a map that drifted.
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SRC = join(ROOT, "src");

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? [path + sep, ...walk(path)] : [path];
  });
}

const entries = walk(SRC);
const maps = [join(ROOT, "ARCHITECTURE.md"), ...entries.filter((path) => path.endsWith(".md"))].map((path) => ({
  dir: dirname(path),
  lines: readFileSync(path, "utf8").split("\n"),
}));
const posix = (path: string) => path.split(sep).join("/");

/**
 * Named by a map above it or beside it: by its path from the map's folder in backticks, or, in a
 * line (a table row) that names its folder that way, by its bare name in backticks.
 */
function isNamed(entry: string): boolean {
  const isFolder = entry.endsWith(sep);
  const path = isFolder ? entry.slice(0, -1) : entry;
  const name = path.slice(path.lastIndexOf(sep) + 1) + (isFolder ? "/" : "");
  return maps.some((map) => {
    if (!path.startsWith(map.dir + sep)) return false;
    const fromMap = posix(relative(map.dir, path)) + (isFolder ? "/" : "");
    const folder = posix(relative(map.dir, dirname(path)));
    return map.lines.some(
      (line) =>
        line.includes(`\`${fromMap}\``) ||
        (folder !== "" && line.includes(`\`${folder}/\``) && line.includes(`\`${name}\``)),
    );
  });
}

test("every file and folder of src/ is named by a map (ARCHITECTURE.md, or a map in its folder or above)", () => {
  const unnamed = entries
    .filter((entry) => !entry.endsWith(".md") && !isNamed(entry))
    .map((entry) => posix(relative(ROOT, entry)));
  assert.deepEqual(unnamed, [], "name these in the nearest map (a row with the file's name in backticks)");
});

test("a map names nothing that is not there", () => {
  const stale: string[] = [];
  for (const map of maps) {
    for (const line of map.lines) {
      const folders = [...line.matchAll(/`((?:[\w.-]+\/)+)`/g)].map(([, folder]) => folder!);
      for (const [, named] of line.matchAll(/`((?:[\w.-]+\/)*[\w.-]+\.(?:ts|lua|js|css|html|svg))`/g)) {
        // From the map's folder, from the checkout (`src/…`), or inside a folder the same row names.
        const candidates = [
          join(map.dir, named!),
          join(ROOT, named!),
          ...folders.map((folder) => join(map.dir, folder, named!)),
        ];
        if (!candidates.some((path) => existsSync(path)))
          stale.push(`${posix(relative(ROOT, map.dir)) || "."}: ${named}`);
      }
    }
  }
  assert.deepEqual(stale, [], "a map names a file that is not there (moved or renamed?)");
});
