// `npm start` runs the bridge from JavaScript made here (its prestart step), not through a
// TypeScript loader: tsx in every process costs about 50 MB of memory (the transformed sources and
// their source maps), and WORKERS runs one process per core. Types are not checked here (npm test
// runs tsc). The compiler is esbuild, a production dependency (tsx runs on it too), so that
// `npm ci --omit=dev && npm start` works: the TypeScript compiler is a development dependency.
// Each file becomes its own module, with imports of "./x.ts" turned into "./x.js" as in the tsc
// build. Only files changed since the last run are transpiled again, and outputs whose source is
// gone are removed.
// Usage: node scripts/transpile.mjs [outDir]   (default .run)
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { copyBuildAssets } from "./copy-build-assets.mjs";

const outDir = process.argv[2] ?? ".run";
const sources = readdirSync("src", { recursive: true })
  .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
  .map((file) => join("src", file));
const outputOf = (source) => join(outDir, source.replace(/\.ts$/, ".js"));
const stale = sources.filter(
  (source) => !existsSync(outputOf(source)) || statSync(outputOf(source)).mtimeMs < statSync(source).mtimeMs,
);

/**
 * esbuild rewrites import paths only while bundling, so it bundles here with every import left
 * outside: each module keeps its own file, and a relative "./x.ts" is emitted as "./x.js" (what
 * TypeScript's rewriteRelativeImportExtensions does). https://github.com/evanw/esbuild/issues/2435
 */
const keepModulesApart = {
  name: "keep-modules-apart",
  setup(builder) {
    builder.onResolve({ filter: /^\.\.?\// }, ({ path, kind }) =>
      kind === "entry-point" ? undefined : { path: path.replace(/\.ts$/, ".js"), external: true },
    );
  },
};

if (stale.length > 0) {
  await build({
    entryPoints: stale,
    outdir: outDir,
    outbase: ".",
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    // tsconfig.json's target: the syntax every supported Node runs as written.
    target: "es2022",
    plugins: [keepModulesApart],
    logLevel: "warning",
  });
}
const wanted = new Set(sources.map(outputOf));
for (const file of readdirSync(join(outDir, "src"), { recursive: true }).map((file) => join(outDir, "src", file))) {
  if (
    file.endsWith(".js") &&
    !file.includes(`${join(outDir, "src/dashboard/public")}`) &&
    !wanted.has(file) &&
    statSync(file).isFile()
  )
    rmSync(file);
}
copyBuildAssets(outDir);
if (stale.length > 0) console.error(`transpile: ${stale.length} of ${sources.length} files to ${outDir}/src`);
