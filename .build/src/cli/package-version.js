import { readFileSync } from "node:fs";
const PACKAGE_NAME = "clerk-webhook-bridge";
function readPackageVersion() {
  for (const candidate of ["../../package.json", "../../../package.json"]) {
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(new URL(candidate, import.meta.url), "utf8"));
    } catch {
      continue;
    }
    if (manifest.name === PACKAGE_NAME && manifest.version) return manifest.version;
  }
  throw new Error(`cannot find the package.json of ${PACKAGE_NAME}`);
}
export {
  readPackageVersion
};
