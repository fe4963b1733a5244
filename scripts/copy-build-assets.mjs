// tsc emits only JavaScript: copy what the compiled service reads at run time beside it, so the
// output runs on its own (the Dockerfile ships exactly dist/src). Usage: copy-build-assets.mjs [outDir]
import { cpSync } from "node:fs";

const outDir = process.argv[2] ?? "dist";
for (const folder of ["src/engine/lua", "src/dashboard/public"]) {
  cpSync(folder, `${outDir}/${folder}`, { recursive: true });
}
