import { readFileSync } from "node:fs";
const PACKAGE_NAME = "clerk-webhook-bridge";
/**
 * The version in the bridge's package.json. It sits two folders above src/cli in a checkout and
 * three above dist/src/cli in the Docker image; the name check keeps another package.json
 * (dist/ has none today) from answering instead.
 */
export function readPackageVersion() {
    for (const candidate of ["../../package.json", "../../../package.json"]) {
        let manifest;
        try {
            manifest = JSON.parse(readFileSync(new URL(candidate, import.meta.url), "utf8"));
        }
        catch {
            continue;
        }
        if (manifest.name === PACKAGE_NAME && manifest.version)
            return manifest.version;
    }
    throw new Error(`cannot find the package.json of ${PACKAGE_NAME}`);
}
