// tsc emits only JavaScript: copy what the compiled service reads at run time beside it, so the
// output runs on its own (the Dockerfile ships exactly dist/src). Usage: copy-build-assets.mjs [outDir]
import { cpSync } from "node:fs";
import { pathToFileURL } from "node:url";

/** The folders of src/ the service reads as files (Lua scripts, the dashboard's static files). */
export const ASSET_FOLDERS = ["src/engine/store/lua", "src/queue/lua", "src/crypto/lua", "src/dashboard/public"];

export function copyBuildAssets(outDir) {
  for (const folder of ASSET_FOLDERS) cpSync(folder, `${outDir}/${folder}`, { recursive: true });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) copyBuildAssets(process.argv[2] ?? "dist");
