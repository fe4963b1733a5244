import { readFileSync } from "node:fs";

const PACKAGE_NAME = "clerk-webhook-bridge";

/**
 * The folder of the bridge's package.json (a file: URL ending in /). It sits two folders above
 * src/cli in a checkout and three above dist/src/cli in the Docker image; the name check keeps
 * another package.json (dist/ has none today) from answering instead.
 */
export function packageRoot(): URL {
  for (const candidate of ["../../", "../../../"]) {
    const root = new URL(candidate, import.meta.url);
    try {
      const manifest = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { name?: string };
      if (manifest.name === PACKAGE_NAME) return root;
    } catch {
      continue;
    }
  }
  throw new Error(`cannot find the package.json of ${PACKAGE_NAME}`);
}

/** The version in the bridge's package.json. */
export function readPackageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("package.json", packageRoot()), "utf8")) as { version?: string };
  if (!manifest.version) throw new Error(`the package.json of ${PACKAGE_NAME} has no version`);
  return manifest.version;
}
