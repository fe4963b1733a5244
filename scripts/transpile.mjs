// `npm start` runs the bridge from JavaScript made here (its prestart step), not through a
// TypeScript loader: tsx in every process costs about 50 MB of memory (the transformed sources and
// their source maps), and WORKERS runs one process per core. Types are not checked here (npm test
// runs tsc); each file is transpiled alone with the project's compiler options, so imports of
// "./x.ts" become "./x.js" as in the tsc build. Only files changed since the last run are
// transpiled again, and outputs whose source is gone are removed.
// Usage: node scripts/transpile.mjs [outDir]   (default .run)
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { copyBuildAssets } from "./copy-build-assets.mjs";

const outDir = process.argv[2] ?? ".run";
const sources = readdirSync("src", { recursive: true })
  .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
  .map((file) => join("src", file));
const outputOf = (source) => join(outDir, source.replace(/\.ts$/, ".js"));
const stale = sources.filter((source) => !existsSync(outputOf(source)) || statSync(outputOf(source)).mtimeMs < statSync(source).mtimeMs);

if (stale.length > 0) {
  // Loaded only when there is something to do: a start with nothing changed takes a few ms here.
  const { default: ts } = await import("typescript");
  const { config } = ts.readConfigFile("tsconfig.json", ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ".");
  // One file at a time TypeScript cannot see package.json's "type": "module": say ES modules here.
  const compilerOptions = { ...options, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, noEmit: false, declaration: false, sourceMap: false, inlineSourceMap: false };
  for (const source of stale) {
    const { outputText } = ts.transpileModule(readFileSync(source, "utf8"), { fileName: source, compilerOptions });
    mkdirSync(dirname(outputOf(source)), { recursive: true });
    writeFileSync(outputOf(source), outputText);
  }
}
const wanted = new Set(sources.map(outputOf));
for (const file of readdirSync(join(outDir, "src"), { recursive: true }).map((file) => join(outDir, "src", file))) {
  if (file.endsWith(".js") && !file.includes(`${join(outDir, "src/dashboard/public")}`) && !wanted.has(file) && statSync(file).isFile()) rmSync(file);
}
copyBuildAssets(outDir);
if (stale.length > 0) console.error(`transpile: ${stale.length} of ${sources.length} files to ${outDir}/src`);
